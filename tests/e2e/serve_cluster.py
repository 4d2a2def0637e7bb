"""A real `python deploy/serve.py` for tests: started on free ports with its own state
directory, its children found by their command lines, stopped as Ctrl-C stops it.

Used by test_deploy.py (routing, rooms across workers) and test_deploy_faults.py (killing
and stalling its parts). Its stdout goes to a file, so a long fault test never fills a pipe.
"""

import contextlib
import dataclasses
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

from fixtures_servers import missing

from tests.e2e.helpers import ROOT

START_TIMEOUT = 120  # s for serve.py to report every part answering (two workers import plotly)
STOP_TIMEOUT = 30  # s for serve.py to stop its children after Ctrl-C
SBIN = "/usr/sbin:/usr/bin:/sbin:/bin"


def alive(pid: int) -> bool:
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def children(parent: int) -> dict[int, str]:
    """pid -> command line of the live children of ``parent``."""
    found = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent and fields[0] != "Z":
                cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found[int(stat.parent.name)] = cmd
    return found


@dataclasses.dataclass
class Served:
    proc: subprocess.Popen
    url: str  # host:port of nginx
    pids: list[int]  # as serve.py printed them when it was ready
    state: pathlib.Path
    out: pathlib.Path  # serve.py's stdout and stderr

    @property
    def logs(self) -> pathlib.Path:
        return self.state / "logs"

    def part(self, word: str) -> list[int]:
        """pids of serve.py's live children whose command line has ``word``
        ('redis-server', 'streamlit', 'nginx')."""
        return sorted(pid for pid, cmd in children(self.proc.pid).items() if word in cmd)

    def said(self) -> str:
        return self.out.read_text(errors="replace")

    def wait_said(self, text: str, after: int = 0, timeout: float = 60) -> float:
        """Seconds until serve.py's output past offset ``after`` contains ``text``."""
        start = time.monotonic()
        while text not in self.said()[after:]:
            assert self.proc.poll() is None, self.said()
            assert time.monotonic() - start < timeout, f"no {text!r} in:\n{self.said()[after:]}"
            time.sleep(0.1)
        return time.monotonic() - start


@contextlib.contextmanager
def serve(tmp: pathlib.Path, *args: str, env=None):
    """Run `python deploy/serve.py --port 0 --state-dir TMP/state ARGS`; yield a Served; stop it
    with SIGINT and check that it said so and left no child running."""
    for tool in ("nginx", "redis-server"):
        if not (shutil.which(tool) or shutil.which(tool, path=SBIN)):
            missing(f"{tool} is not installed (apt-get install {tool})")
    out = tmp / "serve.out"
    with open(out, "w") as sink:
        proc = subprocess.Popen([sys.executable, "deploy/serve.py", "--port", "0",
                                 "--state-dir", str(tmp / "state"), *args], cwd=ROOT,
                                stdout=sink, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
    deadline = time.monotonic() + START_TIMEOUT
    while "cevis: serving" not in out.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("deploy/serve.py did not start:\n" + out.read_text())
        time.sleep(0.2)
    line = next(line for line in out.read_text().splitlines() if "cevis: serving" in line)
    url = re.search(r"https?://(127\.0\.0\.1:\d+)", line).group(1)
    pids = [int(p) for p in re.search(r"pids ([\d ]+)\)", line).group(1).split()]
    served = Served(proc, url, pids, tmp / "state", out)
    try:
        yield served
    finally:
        everyone = set(pids) | set(children(proc.pid))
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(STOP_TIMEOUT)
        left = [p for p in everyone if alive(p)]
        assert rc == 0 and "cevis: stopped" in served.said(), served.said()
        assert not left, f"children still running after Ctrl-C: {left}"


def get(url: str, path: str, route: str | None = None, method: str = "GET", data=None,
        headers=None):
    """An HTTP request to http://url/path with an optional cevis_route cookie; (status,
    headers, body), error statuses included."""
    request = urllib.request.Request(f"http://{url}{path}", method=method, data=data,
                                     headers=headers or {})
    if route:
        cookie = request.get_header("Cookie")
        request.add_header("Cookie", f"cevis_route={route}" + (f"; {cookie}" if cookie else ""))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def upload_csv(url: str, route: str, session_id: str, size: int) -> int:
    """Upload a CSV table of about ``size`` bytes into a session through nginx, as the
    frontend does (a PUT to the session's upload URL, the XSRF token from the health
    route's cookie); the HTTP status (204: taken)."""
    headers = get(url, "/_stcore/health", route)[1]
    xsrf = re.search(r"_streamlit_xsrf=([^;]+)", headers["Set-Cookie"]).group(1)
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"table.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() \
        + b"label,prediction\n" + b"1,0.5\n" * (size // 6) + f"\r\n--{boundary}--\r\n".encode()
    return get(url, f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}", route, "PUT", body,
               {"Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": xsrf, "Cookie": f"_streamlit_xsrf={xsrf}"})[0]


def metric_bytes(text: str) -> int:
    """The UploadedFileManager's bytes in Streamlit's /_stcore/metrics text."""
    found = re.findall(r'cache_memory_bytes\{[^}]*UploadedFileManager[^}]*\} (\d+)', text)
    return sum(int(v) for v in found)
