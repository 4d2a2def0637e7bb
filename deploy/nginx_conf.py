"""deploy/nginx.conf.template filled in: the one place that knows its {{placeholders}}.

serve.py fills it for its local workers; `serve.py --print-nginx-conf` fills it for
containers (deploy/compose.nginx.conf, kept in sync by a test). What varies:
- limits (DEFAULT_LIMITS, each a serve.py flag);
- framing: `frame_ancestors` is the CSP frame-ancestors list; "'self'" (the default) also
  sends X-Frame-Options SAMEORIGIN; any other list (an LMS's origin) drops X-Frame-Options,
  which cannot name another origin, and, under TLS, marks the routing cookie SameSite=None
  (a cross-site frame sends no Lax cookie: every request would land on a random worker);
- TLS: with a certificate nginx listens with ssl, sends HSTS and marks the cookie Secure;
  `behind_tls` does the same for a TLS proxy in front (Caddy), without ssl here;
- `trusted_proxies`: addresses whose X-Forwarded-For names the real client (the proxy in
  front), so the per-address limits count clients, not the proxy;
- `expose_upstream`: the X-Cevis-Upstream header naming the worker that answered (internal
  addresses: for tests and operators only);
- `resolver`: for containers, workers named by DNS and re-resolved (nginx >= 1.27.3), so
  compose can scale replicas without a new config.
"""

from __future__ import annotations

import pathlib

TEMPLATE = pathlib.Path(__file__).with_name("nginx.conf.template")
DEFAULT_LIMITS = {  # see deploy/nginx.conf.template; sized for a class behind one NAT
    "ws_per_browser": 16,  # tabs one browser (cookie; without one, one address) may keep open
    "ws_per_address": 400,  # websockets from one address: a whole class may share one
    "http_rate": 200,  # plain HTTP requests/s per address (a first visit makes ~40)
    "http_burst": 2000,
}
HSTS_SECONDS = 31_536_000  # a year: the usual value once HTTPS is known to work


def nginx_conf(listen: str, upstreams: list[str], prefix: str, *, temp: str = "",
               nginx_workers: int = 1, error_log: str = "", user: str = "",
               frame_ancestors: str = "'self'", expose_upstream: bool = False,
               tls: tuple[str, str] | None = None, behind_tls: bool = False,
               trusted_proxies: tuple[str, ...] = (), resolver: str = "", **limits) -> str:
    """The template with every placeholder filled; ValueError if one is left.

    Files go under ``prefix`` (pid), temp files under ``temp`` (default: prefix), the
    error log to ``error_log`` (default: prefix/error.log). ``user`` is nginx's `user`
    line for a master that runs as root (its workers must be able to write ``temp``).
    """
    if any(c in frame_ancestors for c in ';"\n{}'):
        raise ValueError(f"frame-ancestors must be a list of sources, not {frame_ancestors!r}")
    own_frames = frame_ancestors.strip() == "'self'"
    headers = []
    if own_frames:
        headers.append("add_header X-Frame-Options SAMEORIGIN always;")
    https = bool(tls) or behind_tls
    if https:
        headers.append(f'add_header Strict-Transport-Security "max-age={HSTS_SECONDS}" always;')
    if expose_upstream:
        headers.append("add_header X-Cevis-Upstream $upstream_addr always;  # internal: tests only")
    cookie = "Path=/; HttpOnly; SameSite=Lax"
    if https:
        cookie = "Path=/; HttpOnly; Secure; SameSite=" + ("Lax" if own_frames else "None")
    servers = ["zone cevis_workers 256k;  # resolve needs the upstream in shared memory"] if resolver else []
    server_args = "resolve max_fails=2 fail_timeout=5s" if resolver else "max_fails=2 fail_timeout=5s"
    values = {
        **DEFAULT_LIMITS, **limits, "prefix": prefix, "temp": temp or prefix,
        "listen": listen + (" ssl" if tls else ""),
        "error_log": error_log or f"{prefix}/error.log", "nginx_workers": nginx_workers,
        "user": f"user {user};" if user else "# user: nginx's default (matters only as root)",
        "resolver": f"resolver {resolver} valid=5s ipv6=off;" if resolver else "# resolver: none",
        "real_ip": "\n    ".join([f"set_real_ip_from {a};" for a in trusted_proxies]
                                  + ["real_ip_header X-Forwarded-For;"] if trusted_proxies
                                  else ["# clients connect directly: $remote_addr is theirs"]),
        "scheme": "https" if behind_tls else "$scheme",
        "frame_ancestors": frame_ancestors.strip(), "cookie": cookie,
        "headers": "\n".join("        " + h for h in headers) or "        # no further headers",
        "tls": ("\n".join(f"        {line}" for line in (
            f"ssl_certificate {tls[0]};", f"ssl_certificate_key {tls[1]};",
            "ssl_protocols TLSv1.2 TLSv1.3;")) if tls else "        # tls: off (plain HTTP)"),
        "servers": "\n".join("        " + line for line in
                             servers + [f"server {u} {server_args};" for u in upstreams]),
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", str(value))
    if "{{" in text:
        raise ValueError(f"unfilled placeholder in {TEMPLATE}: {text[text.index('{{'):][:40]}")
    return text
