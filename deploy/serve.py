"""Serve cevis to a class: N Streamlit workers behind nginx, rooms in Redis, one command.

    python deploy/serve.py --workers 2 --port 8080               # http://127.0.0.1:8080
    python deploy/serve.py --workers 2 --port 8080 --host 0.0.0.0  # reachable by the class

Starts, as children of this process, and stops them all on Ctrl-C or SIGTERM:
- `redis-server` on a free loopback port, no persistence (rooms are short-lived), unless
  --redis-url names one; its URL reaches every worker as CEVIS_REDIS_URL;
- N × `streamlit run app.py`, each on its own free loopback port, sharing one cookie
  secret (so signed cookies verify on any worker);
- Debian's nginx as a non-daemon child, with deploy/nginx.conf.template filled in a
  temporary directory (pid, logs, temp files there): websocket upgrade, sticky sessions
  by cookie, connection and request limits. Only nginx listens on --host.
A worker that dies is restarted on its port; if nginx or redis dies, everything stops.
The line "cevis: serving http://HOST:PORT" on stdout means every part answered.
`streamlit run app.py` stays the one-process default (embedded room store).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE = pathlib.Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT = 90  # s for every part to answer; workers import plotly/pandas first
STOP_TIMEOUT = 10  # s a child gets to exit after SIGTERM before SIGKILL
PR_SET_PDEATHSIG = 1  # prctl option: the kernel signals a child when this process dies
DEFAULT_LIMITS = {  # see deploy/nginx.conf.template; sized for a class behind one NAT
    "ws_per_browser": 16,  # tabs one browser (cookie) may keep open
    "ws_per_address": 400,  # websockets from one address: a whole class may share one
    "http_rate": 200,  # plain HTTP requests/s per address (a first visit makes ~40)
    "http_burst": 2000,
}


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def nginx_conf(listen: str, upstreams: list[str], prefix: str, nginx_workers: int = 1,
               error_log: str = "", **limits) -> str:
    """deploy/nginx.conf.template with its {{placeholders}} filled; raises if one is left.
    Files go under ``prefix``; the error log too unless ``error_log`` names another."""
    values = {**DEFAULT_LIMITS, **limits, "listen": listen, "prefix": prefix,
              "error_log": error_log or f"{prefix}/error.log",
              "nginx_workers": nginx_workers,
              "servers": "\n".join(f"        server {u} max_fails=2 fail_timeout=5s;"
                                   for u in upstreams)}
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", str(value))
    if "{{" in text:
        raise ValueError(f"unfilled placeholder in {TEMPLATE}: {text[text.index('{{'):][:40]}")
    return text


def _die_with_parent():
    """In the child, before exec: get SIGTERM if the launcher is killed, so nothing leaks."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(cmd, log: pathlib.Path, env=None) -> subprocess.Popen:
    out = open(log, "ab")  # noqa: SIM115 (the child keeps it; closed when we exit)
    return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True, preexec_fn=_die_with_parent)


def _find(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if not path:
        sys.exit(f"cevis: {name} is not installed (Debian: apt-get install {name})")
    return path


def _answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
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
    """The running children: redis (optional), workers, nginx; started and stopped together."""

    def __init__(self, args):
        self.args = args
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="cevis-serve-"))
        self.redis = None
        self.nginx = None
        self.workers: dict[int, subprocess.Popen] = {}  # port -> process
        self.redis_url = args.redis_url
        self.secret = secrets.token_hex(32)

    def worker_cmd(self, port: int) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(port)]

    def start_worker(self, index: int, port: int):
        env = {**os.environ, "CEVIS_REDIS_URL": self.redis_url or "",
               "CEVIS_WORKER": str(index), "STREAMLIT_SERVER_COOKIE_SECRET": self.secret}
        self.workers[port] = _spawn(self.worker_cmd(port), self.tmp / f"worker{index}.log", env)

    def start(self):
        if not self.redis_url:
            port = free_port()
            self.redis = _spawn([_find("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(self.tmp),
                                 "--daemonize", "no"], self.tmp / "redis.log")
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            self._wait(lambda: _redis_answers(port), "redis-server", self.redis)
        for i in range(self.args.workers):
            self.start_worker(i, free_port())
        for port, proc in self.workers.items():
            self._wait(lambda p=port: _answers(f"http://127.0.0.1:{p}/_stcore/health"),
                       f"worker on port {port}", proc)
        conf = self.tmp / "nginx.conf"
        limits = {k: getattr(self.args, k) for k in DEFAULT_LIMITS}
        conf.write_text(nginx_conf(f"{self.args.host}:{self.args.port}",
                                   [f"127.0.0.1:{p}" for p in self.workers], str(self.tmp),
                                   **limits))
        self.nginx = _spawn([_find("nginx"), "-c", str(conf), "-p", str(self.tmp),
                             "-e", str(self.tmp / "error.log"), "-g", "daemon off;"],
                            self.tmp / "nginx.out")
        local = "127.0.0.1" if self.args.host in ("0.0.0.0", "::") else self.args.host
        self._wait(lambda: _answers(f"http://{local}:{self.args.port}/_stcore/health"),
                   "nginx", self.nginx)

    def _wait(self, ready, what: str, proc: subprocess.Popen):
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                logs = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
                                 for p in sorted(self.tmp.glob("*.log")) + [self.tmp / "nginx.out"]
                                 if p.exists())
                raise RuntimeError(f"{what} did not start (logs in {self.tmp}):\n{logs}")
            time.sleep(0.2)

    def supervise(self):
        """Block; restart a worker that exits; return when nginx or redis exits."""
        while True:
            time.sleep(1)
            for what, proc in (("nginx", self.nginx), ("redis-server", self.redis)):
                if proc is not None and proc.poll() is not None:
                    print(f"cevis: {what} exited ({proc.returncode}); stopping", flush=True)
                    return
            for i, (port, proc) in enumerate(list(self.workers.items())):
                if proc.poll() is not None:
                    print(f"cevis: worker on port {port} exited ({proc.returncode}); restarting",
                          flush=True)
                    self.start_worker(i, port)

    def stop(self):
        """nginx first (no new traffic), then the workers, then redis; SIGKILL stragglers."""
        for group in ([self.nginx], list(self.workers.values()), [self.redis]):
            procs = [p for p in group if p is not None and p.poll() is None]
            for p in procs:
                p.terminate()
            deadline = time.monotonic() + STOP_TIMEOUT
            for p in procs:
                try:
                    p.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if not self.args.keep_temp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def pids(self) -> list[int]:
        return [p.pid for p in [self.nginx, self.redis, *self.workers.values()] if p is not None]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2, help="Streamlit processes (about one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (0: a free one)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="nginx's address; 0.0.0.0 to let the class's devices in")
    ap.add_argument("--redis-url", default="", help="use this Redis instead of starting one")
    ap.add_argument("--keep-temp", action="store_true", help="keep the config and logs at exit")
    ap.add_argument("--print-nginx-conf", nargs="+", metavar="HOST:PORT",
                    help="print the nginx config for these workers (listening on --host:--port, "
                         "files under /tmp, errors to stderr) and exit; deploy/compose.nginx.conf "
                         "is made so")
    for key, value in DEFAULT_LIMITS.items():
        ap.add_argument("--" + key.replace("_", "-"), type=int, default=value)
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    if args.port == 0:
        args.port = free_port(args.host if args.host != "::" else "127.0.0.1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.print_nginx_conf:
        limits = {k: getattr(args, k) for k in DEFAULT_LIMITS}
        print(nginx_conf(f"{args.host}:{args.port}", args.print_nginx_conf, "/tmp",
                         error_log="/dev/stderr", **limits), end="")
        return 0
    cluster = Cluster(args)

    def stop_on_signal(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    # SIGINT too: a shell starts a background job with SIGINT ignored, and Python keeps that
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    try:
        cluster.start()
        print(f"cevis: serving http://{args.host}:{args.port} ({args.workers} workers, "
              f"rooms in {cluster.redis_url}, config and logs in {cluster.tmp}; "
              f"pids {' '.join(map(str, cluster.pids()))})", flush=True)
        cluster.supervise()
        return 1  # nginx or redis died
    except KeyboardInterrupt:
        return 0
    except RuntimeError as err:
        print(f"cevis: {err}", file=sys.stderr, flush=True)
        return 1
    finally:
        cluster.stop()
        print("cevis: stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
