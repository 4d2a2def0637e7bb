"""Where phones join a room: the join link, the public base URL, and the loopback warning.

Pure (no streamlit). The link a phone scans must name an address the phone can reach. A
teacher who runs the app on a laptop and opens ``http://localhost:8501`` would otherwise
show ``http://localhost:8501/room?room=…``, which no phone can reach. The teacher (or the
school's IT) names the address phones use in ``CEVIS_PUBLIC_URL``
(e.g. ``http://192.168.1.20:8501`` or ``https://cevis.example.org``), or types it on the
room page for this session; without one, the link is built from the address the teacher's
browser uses, and a loopback address there gets a warning that says how to fix it.
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple
from urllib.parse import urlencode
from urllib.parse import urlsplit

PUBLIC_URL_ENV = "CEVIS_PUBLIC_URL"  # the environment variable: the base URL phones use
ROOM_PAGE = "room"  # url_path of app_pages/room.py (as widgets/room.ROOM_PAGE)
MAX_URL_CHARS = 300  # a base URL longer than this is a paste gone wrong (and a dense QR code)
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class JoinLink(NamedTuple):
    """The link phones open, and why it may not work (plain text; empty when it should)."""

    url: str
    warning: str  # "" or what is wrong and how to fix it
    from_setting: bool  # True: built from CEVIS_PUBLIC_URL or the typed address


def is_loopback_host(host) -> bool:
    """Whether ``host`` (a hostname or an IP address, no port) names this machine only.

    127.0.0.0/8, ::1, 0.0.0.0 and ::, ``localhost`` and names under ``.localhost`` (RFC 6761).

    >>> [is_loopback_host(h) for h in ("localhost", "127.0.1.1", "[::1]", "192.168.1.20", "cevis.org")]
    [True, True, True, False, False]
    """
    if not isinstance(host, str) or not host:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback or (mapped or address).is_unspecified)


def clean_public_base(text) -> tuple[str | None, str]:
    """(base URL, "") for a usable ``http(s)://host[:port][/path]``, else (None, why not).

    The base loses a trailing slash, any query and fragment are refused (they would be
    kept in every join link); an empty value is (None, "") (no setting).

    >>> clean_public_base(" http://192.168.1.20:8501/ ")
    ('http://192.168.1.20:8501', '')
    >>> clean_public_base("192.168.1.20:8501")[1]
    'The public address must start with http:// or https://, like http://192.168.1.20:8501.'
    """
    if text is None or not str(text).strip():
        return None, ""
    text = str(text).strip()
    if len(text) > MAX_URL_CHARS:
        return None, f"The public address is longer than {MAX_URL_CHARS} characters."
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        return None, "The public address is not a valid URL (check the port number)."
    if parts.scheme not in ("http", "https"):
        return None, "The public address must start with http:// or https://, like http://192.168.1.20:8501."
    if not parts.hostname or any(c.isspace() for c in text):
        return None, "The public address needs a host name or address, like http://192.168.1.20:8501."
    if parts.query or parts.fragment or "@" in parts.netloc:
        return None, "The public address must be a plain base URL (no user name, ? or #)."
    del port
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}", ""


def _room_path(path: str) -> str:
    """The Room page's path: ``path`` itself if it is the Room page, else the Room page under it
    (the app's root, which may be served under a prefix such as ``/cevis/``)."""
    trimmed = (path or "").rstrip("/")
    return trimmed if trimmed.endswith("/" + ROOM_PAGE) else f"{trimmed}/{ROOM_PAGE}"


def join_link(code: str, page_url: str | None, public_base: str | None = None) -> JoinLink:
    """The link phones open to join room ``code``, and a warning if phones cannot reach it.

    ``page_url``: the address of the Room page (or the app's root) in the teacher's browser
    (``st.context.url``);
    ``public_base``: CEVIS_PUBLIC_URL or an address the teacher typed (cleaned or not).

    >>> join_link("K7PQ2M", "http://localhost:8501/room").url
    'http://localhost:8501/room?room=K7PQ2M'
    >>> join_link("K7PQ2M", "http://localhost:8501/room", "http://10.0.0.5:8501").url
    'http://10.0.0.5:8501/room?room=K7PQ2M'
    """
    query = urlencode({"room": code})
    base, problem = clean_public_base(public_base)
    if base is not None:
        host = urlsplit(base).hostname
        warning = loopback_warning(host) if is_loopback_host(host) else ""
        return JoinLink(f"{base}/{ROOM_PAGE}?{query}", warning, True)
    url = urlsplit(page_url or "")
    origin = f"{url.scheme}://{url.netloc}" if url.netloc else ""
    link = f"{origin}{_room_path(url.path)}?{query}"
    if problem:
        return JoinLink(link, problem + " The link uses the address of this page instead.", False)
    return JoinLink(link, loopback_warning(url.hostname) if is_loopback_host(url.hostname) else "", False)


def loopback_warning(host: str) -> str:
    """What the teacher reads when the join link names this machine only (plain text)."""
    return (f"Phones cannot open this link: {host} is this computer's own address. Open the app at "
            "this computer's network address instead (the Network URL that streamlit run prints, "
            f"like http://192.168.1.20:8501), type that address below, or set {PUBLIC_URL_ENV} before "
            "starting the app. Phones must be on the same network, and a server started with "
            "--server.address 127.0.0.1 must use --server.address 0.0.0.0.")
