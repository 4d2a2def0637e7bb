"""Serve cevis to a class: N Streamlit workers behind nginx, rooms in Redis, one command.

    python deploy/serve.py --workers 2 --port 8080               # http://127.0.0.1:8080
    python deploy/serve.py --workers 2 --port 8080 --host 0.0.0.0  # reachable by the class

Starts, as children of this process, keeps alive, and stops on Ctrl-C or SIGTERM:
- `redis-server` on a free loopback port (unless --redis-url names one): rooms persist in an
  append-only file (fsync every second) under STATE/redis, so a Redis restart keeps every
  room; `maxmemory` with the noeviction policy, so a full Redis refuses new writes with a
  clear "the classroom server is full" and never evicts a live room;
- N × `streamlit run app.py` on free loopback ports, sharing one cookie secret;
- Debian's nginx (deploy/nginx.conf.template, filled by nginx_conf.py) in a fresh run
  directory every user can traverse (nginx's workers, `nobody` when started as root, buffer
  uploads there). Only nginx listens on --host.
Every part is restarted with backoff when it dies (deploy/supervisor.py) without touching
the others; serve.py stops only when nginx or every worker is past its restart limit.
Logs are kept in --log-dir (default STATE/logs), STATE being --state-dir (default
$XDG_STATE_HOME/cevis or ~/.local/state/cevis). The line "cevis: serving http://HOST:PORT"
on stdout means every part answered. `streamlit run app.py` stays the one-process default.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime
import fcntl
import grp
import os
import pathlib
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

from nginx_conf import DEFAULT_LIMITS
from nginx_conf import nginx_conf
from supervisor import Part
from supervisor import Supervisor
from supervisor import log_tail
from supervisor import reap_group

ROOT = pathlib.Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # s for every part to answer; workers import plotly/pandas first
STOP_TIMEOUT = 10  # s a child gets to exit after SIGTERM before SIGKILL
CHECK_SECONDS = 0.5  # between the supervisor's looks at its children
PR_SET_PDEATHSIG = 1  # prctl option: the kernel signals a child when this process dies
REDIS_MAXMEMORY = "256mb"  # 1,000 rooms x 16 KB states + seats and answers is ~40 MB: room to spare
LOG_ROTATE_BYTES = 20_000_000  # a log this big at start is renamed to <name>.1 (one old copy kept)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def default_state_dir() -> pathlib.Path:
    base = os.environ.get("XDG_STATE_HOME") or pathlib.Path.home() / ".local" / "state"
    return pathlib.Path(base) / "cevis"


def _die_with_parent():
    """In the child, before exec: get SIGTERM if the launcher is killed, so nothing leaks."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _find(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if not path:
        sys.exit(f"cevis: {name} is not installed (Debian: apt-get install {name})")
    return path


def _answers(url: str) -> bool:
    try:  # a self-signed certificate is fine for asking our own nginx whether it is up
        return urllib.request.urlopen(url, timeout=1, context=ssl._create_unverified_context()).status == 200
    except OSError:
        return False


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Cluster:
    """The parts (redis unless given, workers, nginx), their state, logs and run directory."""

    def __init__(self, args):
        self.args = args
        self.state = pathlib.Path(args.state_dir).resolve()
        self.logs = pathlib.Path(args.log_dir or self.state / "logs").resolve()
        for d in (self.state, self.logs, self.state / "redis"):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)  # rooms and logs: the operator's
        self._lock = open(self.state / "serve.lock", "a+")  # noqa: SIM115 (held while we run)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.exit(f"cevis: another serve.py uses the state directory {self.state}; stop it "
                     "or give this one its own --state-dir")
        # nginx's pid, config and upload buffers: fresh per run; 0711 so that nginx's workers
        # (`nobody` under a root master) can reach the temp directories nginx makes in it
        self.run = pathlib.Path(tempfile.mkdtemp(prefix="cevis-serve-"))
        self.run.chmod(0o711)
        self.secret = secrets.token_hex(32)
        self.redis_url = args.redis_url
        self.parts: list[Part] = []
        self.supervisor = Supervisor(self.parts, say=self.say)

    def say(self, text: str) -> None:
        print(text, flush=True)
        with open(self.logs / "serve.log", "a") as f:
            f.write(f"{datetime.datetime.now().isoformat(timespec='seconds')} {text}\n")

    def _part(self, name: str, log: str, cmd: list[str], env=None) -> Part:
        path = self.logs / log
        if path.exists() and path.stat().st_size > LOG_ROTATE_BYTES:
            path.replace(path.with_suffix(path.suffix + ".1"))

        def start():
            with open(path, "ab") as out:  # the child keeps its own descriptor
                out.write(f"=== cevis: {name} starting {datetime.datetime.now()} ===\n".encode())
                out.flush()
                return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                        env=env, start_new_session=True,
                                        preexec_fn=_die_with_parent)

        part = Part(name, start, path)
        self.parts.append(part)
        return part

    def redis_cmd(self, port: int) -> list[str]:
        return [_find("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                "--dir", str(self.state / "redis"), "--appendonly", "yes", "--save", "",
                "--appendfsync", self.args.redis_appendfsync, "--maxmemory", self.args.redis_maxmemory,
                "--maxmemory-policy", "noeviction", "--daemonize", "no", "--logfile", ""]

    def worker_cmd(self, port: int) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(port)]

    def nginx_text(self, worker_ports) -> str:
        a = self.args
        user = ""
        if os.geteuid() == 0:  # nginx's workers drop to this user; it must reach the run dir
            nobody = pwd.getpwnam("nobody")
            user = f"nobody {grp.getgrgid(nobody.pw_gid).gr_name}"
        tls = (str(pathlib.Path(a.tls_cert).resolve()), str(pathlib.Path(a.tls_key).resolve())) \
            if a.tls_cert else None
        return nginx_conf(f"{a.host}:{a.port}", [f"127.0.0.1:{p}" for p in worker_ports],
                          str(self.run), error_log=str(self.logs / "nginx-error.log"), user=user,
                          frame_ancestors=a.frame_ancestors, expose_upstream=a.expose_upstream,
                          tls=tls, **{k: getattr(a, k) for k in DEFAULT_LIMITS})

    def start(self):
        if not self.redis_url:
            port = free_port()
            redis = self._part("redis-server", "redis.log", self.redis_cmd(port))
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            self._wait(redis, lambda: _redis_answers(port))
        env = {**os.environ, "CEVIS_REDIS_URL": self.redis_url,
               "STREAMLIT_SERVER_COOKIE_SECRET": self.secret,
               "CEVIS_TRUST_PROXY": "1"}  # nginx names the client: the rooms' per-address bounds
        ports = [free_port() for _ in range(self.args.workers)]
        workers = [self._part(f"worker {i} (port {p})", f"worker{i}.log", self.worker_cmd(p),
                              {**env, "CEVIS_WORKER": str(i)}) for i, p in enumerate(ports)]
        for part in workers:
            part.proc, part.started_at = part.start(), time.monotonic()
        for part, p in zip(workers, ports):
            self._wait(part, lambda p=p: _answers(f"http://127.0.0.1:{p}/_stcore/health"), started=True)
        conf = self.run / "nginx.conf"
        conf.write_text(self.nginx_text(ports))
        nginx = [_find("nginx"), "-c", str(conf), "-p", str(self.run),
                 "-e", str(self.logs / "nginx-error.log")]
        checked = subprocess.run([*nginx, "-t", "-q"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused its config {conf}:\n{checked.stderr}")
        part = self._part("nginx", "nginx.out", [*nginx, "-g", "daemon off;"])
        scheme = "https" if self.args.tls_cert else "http"
        local = "127.0.0.1" if self.args.host in ("0.0.0.0", "::") else self.args.host
        self._wait(part, lambda: _answers(f"{scheme}://{local}:{self.args.port}/_stcore/health"))

    def _wait(self, part: Part, ready, started: bool = False):
        if not started:
            part.proc, part.started_at = part.start(), time.monotonic()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            if part.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{part.name} did not start; its log, {part.log}, ends:\n"
                                   f"{log_tail(part.log)}")
            time.sleep(0.2)

    def supervise(self) -> int:
        """Block, restarting dead parts; return 1 once nothing can be served any more."""
        while True:
            time.sleep(CHECK_SECONDS)
            for part in self.supervisor.check():
                if part.name == "redis-server":
                    self.say("cevis: rooms are unavailable until serve.py is restarted; "
                             "every page without a room keeps working")
            if any(p.given_up for p in self.parts if p.name == "nginx"):
                self.say("cevis: nginx is down for good; stopping (fix the cause, then start again)")
                return 1
            if all(p.given_up for p in self.parts if p.name.startswith("worker")):
                self.say("cevis: every worker is down for good; stopping (see their logs above)")
                return 1

    def stop(self):
        """nginx first (no new traffic), then the workers, then redis; SIGKILL stragglers."""
        for group in ([p for p in self.parts if p.name == "nginx"],
                      [p for p in self.parts if p.name.startswith("worker")],
                      [p for p in self.parts if p.name == "redis-server"]):
            procs = [p.proc for p in group if p.proc is not None and p.proc.poll() is None]
            for proc in procs:
                proc.terminate()
            deadline = time.monotonic() + STOP_TIMEOUT
            for proc in procs:
                try:
                    proc.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for part in self.parts:  # what a part killed just before the stop left behind (a
            if part.proc is not None:  # killed nginx master's worker keeps serving its port)
                reap_group(part.proc)
        if not self.args.keep_temp:
            shutil.rmtree(self.run, ignore_errors=True)

    def pids(self) -> list[int]:
        return [p.proc.pid for p in self.parts if p.proc is not None]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2, help="Streamlit processes (about one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (0: a free one)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="nginx's address; 0.0.0.0 to let the class's devices in")
    ap.add_argument("--redis-url", default="", help="use this Redis instead of starting one")
    ap.add_argument("--redis-maxmemory", default=REDIS_MAXMEMORY,
                    help="the started Redis's memory limit; when full, new writes are refused")
    ap.add_argument("--redis-appendfsync", choices=("everysec", "always"), default="everysec",
                    help="everysec: a Redis crash may lose the last 1-2 s of writes; always: "
                         "none, at one fsync per write")
    ap.add_argument("--state-dir", default=str(default_state_dir()),
                    help="Redis's data (rooms survive restarts) and, by default, the logs")
    ap.add_argument("--log-dir", default="", help="where the logs go (default STATE_DIR/logs)")
    ap.add_argument("--tls-cert", default="", help="PEM certificate: nginx serves HTTPS, sends HSTS")
    ap.add_argument("--tls-key", default="", help="the certificate's PEM private key")
    ap.add_argument("--frame-ancestors", default="'self'",
                    help="who may show the app in a frame (CSP frame-ancestors), e.g. "
                         "\"'self' https://lms.example.org\" for a school's LMS")
    ap.add_argument("--expose-upstream", action="store_true",
                    help="add X-Cevis-Upstream (the answering worker's address) to responses")
    ap.add_argument("--keep-temp", action="store_true", help="keep the run directory (nginx config)")
    ap.add_argument("--print-nginx-conf", nargs="+", metavar="HOST:PORT",
                    help="print the nginx config for these workers (listening on --host:--port, "
                         "files under /tmp, errors to stderr) and exit; deploy/compose.nginx.conf "
                         "is made so")
    ap.add_argument("--resolver", default="",
                    help="with --print-nginx-conf: a DNS server; workers are re-resolved (replicas)")
    ap.add_argument("--behind-tls", action="store_true",
                    help="with --print-nginx-conf: a TLS proxy is in front (HSTS, Secure cookie)")
    ap.add_argument("--trusted-proxy", action="append", default=[], metavar="CIDR",
                    help="with --print-nginx-conf: the proxy in front; its X-Forwarded-For is the client")
    for key, value in DEFAULT_LIMITS.items():
        ap.add_argument("--" + key.replace("_", "-"), type=int, default=value)
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    if args.port == 0:
        args.port = free_port(args.host if args.host != "::" else "127.0.0.1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.print_nginx_conf:
        print(nginx_conf(f"{args.host}:{args.port}", args.print_nginx_conf, "/tmp",
                         error_log="/dev/stderr", frame_ancestors=args.frame_ancestors,
                         expose_upstream=args.expose_upstream, resolver=args.resolver,
                         behind_tls=args.behind_tls, trusted_proxies=tuple(args.trusted_proxy),
                         **{k: getattr(args, k) for k in DEFAULT_LIMITS}), end="")
        return 0
    cluster = Cluster(args)
    if args.frame_ancestors.strip() != "'self'" and not args.tls_cert:
        cluster.say("cevis: warning: a frame on another site sends no SameSite=Lax cookie; serve "
                    "HTTPS (--tls-cert) so the routing cookie can be SameSite=None")

    def stop_on_signal(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    # SIGINT too: a shell starts a background job with SIGINT ignored, and Python keeps that
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    try:
        cluster.start()
        scheme = "https" if args.tls_cert else "http"
        cluster.say(f"cevis: serving {scheme}://{args.host}:{args.port} ({args.workers} workers, "
                    f"rooms in {cluster.redis_url}, state in {cluster.state}, logs in "
                    f"{cluster.logs}; pids {' '.join(map(str, cluster.pids()))})")
        return cluster.supervise()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as err:
        cluster.say(f"cevis: {err}")
        return 1
    finally:
        cluster.stop()
        cluster.say("cevis: stopped")


if __name__ == "__main__":
    sys.exit(main())
