"""The nginx config serve.py generates, run by Debian's nginx in front of a stand-in worker.

The stand-in is a small socket server on a free loopback port: it answers every request
with 200 and holds every websocket upgrade open (101), and records the paths it saw. So
what is checked is nginx's own doing: the headers it adds, what it hides, and the
websocket limits per browser (cookie, or address without one) and per address.
"""

import contextlib
import pathlib
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time

import pytest
from fixtures_servers import free_port
from fixtures_servers import missing
from fixtures_servers import stop

from tests.e2e.helpers import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
from nginx_conf import nginx_conf  # noqa: E402

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin")
START_TIMEOUT = 10  # s for nginx to listen (it takes ~20 ms)
WS_PER_BROWSER, WS_PER_ADDRESS = 4, 10  # small limits: the same rules, fewer sockets


class StandIn(socketserver.ThreadingTCPServer):
    daemon_threads = allow_reuse_address = True

    def __init__(self, port):
        self.paths = []
        super().__init__(("127.0.0.1", port), Handler)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            head = []
            while (line := self.rfile.readline()) not in (b"\r\n", b""):
                head.append(line.decode("latin-1"))
            if not head:
                return
            self.server.paths.append(head[0].split()[1])
            if any(h.lower().startswith("upgrade:") for h in head):
                self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                 b"Connection: Upgrade\r\n\r\n")
                self.rfile.read()  # hold it open until nginx closes it
                return
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


@contextlib.contextmanager
def nginx(tmp: pathlib.Path, **options):
    """nginx with nginx_conf(**options) in front of a stand-in worker; yields (port, stand-in)."""
    if NGINX is None:
        missing("nginx is not installed (apt-get install nginx)")
    port, upstream_port = free_port(), free_port()
    standin = StandIn(upstream_port)
    threading.Thread(target=standin.serve_forever, daemon=True).start()
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_conf(f"127.0.0.1:{port}", [f"127.0.0.1:{upstream_port}"], str(tmp),
                               ws_per_browser=WS_PER_BROWSER, ws_per_address=WS_PER_ADDRESS,
                               **options))
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                pytest.fail(f"nginx did not start with {conf}:\n{log}")
            time.sleep(0.02)
        yield port, standin
    finally:
        stop(proc)
        standin.shutdown()
        standin.server_close()


def request(port: int, path: str = "/", cookie: str = "", upgrade: bool = False, tls=False,
            forwarded_for: str = ""):
    """A raw HTTP/1.1 request; (status, {lower-case header: value}, the open socket)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if tls:
        sock = ssl._create_unverified_context().wrap_socket(sock)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"Cookie: {cookie}"] if cookie else []
    lines += [f"X-Forwarded-For: {forwarded_for}"] if forwarded_for else []
    lines += ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="] if upgrade else ["Connection: close"]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    status, *fields = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = {}
    for field in fields:
        name, _, value = field.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status.split()[1]), headers, sock


def test_every_response_has_the_security_headers_and_no_internal_address(tmp_path):
    with nginx(tmp_path) as (port, _):
        for path in ("/", "/descent", "/no/such/page"):
            status, headers, sock = request(port, path)
            sock.close()
            assert status == 200
            assert headers["x-content-type-options"] == ["nosniff"]
            assert headers["referrer-policy"] == ["same-origin"]
            assert headers["content-security-policy"] == ["frame-ancestors 'self'"]
            assert headers["x-frame-options"] == ["SAMEORIGIN"]
            assert "x-cevis-upstream" not in headers and "strict-transport-security" not in headers
            assert headers["server"] == ["nginx"]  # server_tokens off: no version
            (cookie,) = headers["set-cookie"]
            assert cookie.endswith("; Path=/; HttpOnly; SameSite=Lax") and "Secure" not in cookie


def test_the_worker_address_only_when_asked_for(tmp_path):
    with nginx(tmp_path, expose_upstream=True) as (port, standin):
        _, headers, sock = request(port)
        sock.close()
        assert headers["x-cevis-upstream"] == [f"127.0.0.1:{standin.server_address[1]}"]


def test_streamlits_metrics_are_not_served_publicly(tmp_path):
    with nginx(tmp_path) as (port, standin):
        status, headers, sock = request(port, "/_stcore/metrics")
        sock.close()
        assert status == 404 and headers["x-content-type-options"] == ["nosniff"]
        assert request(port, "/_stcore/health")[0] == 200
        assert standin.paths == ["/_stcore/health"]  # the metrics request never reached a worker


def test_an_lms_may_frame_the_app_when_it_is_named(tmp_path):
    with nginx(tmp_path, frame_ancestors="'self' https://lms.school.example") as (port, _):
        _, headers, sock = request(port)
        sock.close()
        assert headers["content-security-policy"] == ["frame-ancestors 'self' https://lms.school.example"]
        assert "x-frame-options" not in headers  # it cannot name another origin; CSP supersedes it
    with pytest.raises(ValueError, match="frame-ancestors"):
        nginx_conf("127.0.0.1:1", ["127.0.0.1:2"], "/tmp", frame_ancestors="'self'; script-src *")


def test_with_tls_hsts_and_a_secure_cookie(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    with nginx(tmp_path, tls=(str(cert), str(key)),
               frame_ancestors="https://lms.school.example") as (port, _):
        status, headers, sock = request(port, tls=True)
        sock.close()
        assert status == 200
        assert headers["strict-transport-security"] == ["max-age=31536000"]
        (cookie,) = headers["set-cookie"]  # framed by another site: SameSite=None needs Secure
        assert cookie.endswith("; Path=/; HttpOnly; Secure; SameSite=None"), cookie


def test_websocket_limits_hold_with_and_without_the_cookie(tmp_path):
    with nginx(tmp_path) as (port, _):
        held = []

        def upgrade(cookie=""):
            status, _, sock = request(port, "/_stcore/stream", cookie=cookie, upgrade=True)
            held.append(sock)
            return status

        try:
            # one browser (cookie): WS_PER_BROWSER tabs, then 429
            assert [upgrade("cevis_route=a") for _ in range(WS_PER_BROWSER + 1)] == \
                [101] * WS_PER_BROWSER + [429]
            # no cookie: the same limit, counted per address (before: no limit at all)
            assert [upgrade() for _ in range(WS_PER_BROWSER + 1)] == [101] * WS_PER_BROWSER + [429]
            # another browser on the same address: its own count, up to the address's limit
            left = WS_PER_ADDRESS - 2 * WS_PER_BROWSER
            assert [upgrade("cevis_route=b") for _ in range(left + 1)] == [101] * left + [429]
            assert upgrade("cevis_route=c") == 429  # the address is full, whatever the cookie
        finally:
            for sock in held:
                sock.close()


def test_behind_a_tls_proxy_the_limits_count_the_clients_it_names(tmp_path):
    with nginx(tmp_path, behind_tls=True, trusted_proxies=("127.0.0.1",)) as (port, _):
        held = []

        def upgrade(client):
            status, headers, sock = request(port, "/_stcore/stream", upgrade=True, forwarded_for=client)
            held.append(sock)
            return status, headers

        try:
            statuses = [upgrade("198.51.100.7")[0] for _ in range(WS_PER_BROWSER + 1)]
            assert statuses == [101] * WS_PER_BROWSER + [429]
            status, headers = upgrade("198.51.100.8")  # another client behind the same proxy
            assert status == 101
            _, headers, sock = request(port, forwarded_for="198.51.100.9")
            held.append(sock)
            assert headers["strict-transport-security"] == ["max-age=31536000"]
            assert "; Secure; SameSite=Lax" in headers["set-cookie"][0]
        finally:
            for sock in held:
                sock.close()
