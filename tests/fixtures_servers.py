"""Real servers for tests and benches, each on a free loopback port, started and stopped here.

`redis_server()` runs Debian's redis-server with no persistence; `stop(proc)` stops a
server (terminate, then kill after a grace period). `missing(reason)` is the
rule for a missing tool: fail in CI (CI=true), skip with the reason elsewhere.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

START_TIMEOUT = 20  # s for redis-server to answer PING (it takes ~10 ms on an idle machine)


def missing(reason):
    """Fail in CI (it must install the tool), skip with the reason elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"{reason}; install it to run these tests")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc, grace: float = 10) -> None:
    """Terminate a server we started; kill it if it has not exited after ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()


def _ping(port) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


@contextlib.contextmanager
def redis_server():
    """Start `redis-server` on 127.0.0.1:<free port> without persistence; yield its URL; stop it.

    Raises RuntimeError (with the server's log) if it does not come up; callers decide
    whether a missing binary skips (see `missing`).
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    workdir = tempfile.TemporaryDirectory(prefix="cevis-redis-")
    log = open(os.path.join(workdir.name, "redis.log"), "w+")  # closed in finally
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir.name],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _ping(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"redis-server did not start on port {port}:\n{log.read()}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)
        log.close()
        workdir.cleanup()
