"""Who this browser is: a random device token kept in a cookie, and a teacher link's secret.

Rooms know their students and teachers by browser, not by server session (a reload,
a new tab, a cleared cache or a worker's death starts a new session). A tiny
components-v2 mount (no visible element) makes sure the browser has a `cevis_device`
cookie: 128 random bits from `crypto.getRandomValues`, set once, kept a year. The
cookie travels with the websocket's opening request, so from the second session on
the server knows the device on its very first run (`st.context.cookies`). In a
browser's very first session the server needs the new token only where rooms are opened
or joined (the Room page, a `?room=` link): there the mount reports it, which costs one
rerun; anywhere else it only sets the cookie (a rerun mid-drag would interrupt a learner).

A teacher link (`/room?room=CODE#teach=SECRET`) carries its secret in the URL
fragment, which browsers never send to a server: the mount reads it, reports it over
the websocket, and removes it from the address bar.

Without a browser (AppTest) there are no cookies and no JavaScript: each session is
its own device, so the page tests still exercise every path.
"""

from __future__ import annotations

import functools
import os
import secrets

import streamlit as st

from cevis_app.rooms.store import valid_token

COOKIE = "cevis_device"  # the cookie's name: a public contract, like the URL parameters
KEY = "cevis_identity"  # the mount's key; its state: {"device": token, "teach": secret}
FALLBACK = "cevis_identity.session_device"  # no browser (AppTest): a token for this session
ROOMS_PAGE = "room"  # where rooms are opened and joined (widgets/room.ROOM_PAGE)
TRUST_PROXY = "CEVIS_TRUST_PROXY"  # "1" behind deploy/'s nginx: the client is X-Forwarded-For's last
_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const ok = /^[A-Za-z0-9_-]{16,64}$/;
  let token = (document.cookie.match(/(?:^|; )cevis_device=([^;]*)/) || [])[1];
  if (!token || !ok.test(token)) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    token = btoa(String.fromCharCode(...bytes)).replace(/[+]/g, "-").replace(/[/]/g, "_")
      .replace(/=+$/, "");
    document.cookie = "cevis_device=" + token + "; Path=/; Max-Age=31536000; SameSite=Lax"
      + (location.protocol === "https:" ? "; Secure" : "");
  }
  if (data.wanted && data.known !== token) setStateValue("device", token);
  const link = location.hash.match(/teach=([A-Za-z0-9_-]{16,64})/);
  if (link) {
    history.replaceState(history.state, "", location.pathname + location.search);
    setStateValue("teach", link[1]);
  }
}
"""
_CSS = ".st-key-cevis_identity { display: none; }"  # nothing to see; keeps no gap in the layout


@functools.cache
def _renderer():
    return st.components.v2.component("cevis_identity", js=_JS, css=_CSS, isolate_styles=False)


def _has_browser() -> bool:
    """A real browser sends headers with its websocket; AppTest has none."""
    return len(st.context.headers) > 0


def mount(page: str) -> None:
    """Every run, before the room bar: make sure the browser has its device cookie, and on
    the pages that open or join rooms (``page``: the url_path) have the mount report it (and
    a teacher link's secret). Elsewhere, a session that opened with the cookie mounts nothing:
    ``device()`` is the cookie's for its whole life."""
    if not _has_browser():
        return
    known = _cookie_device()
    wanted = page == ROOMS_PAGE or bool(st.query_params.get("room"))
    if known and not wanted:  # the cookie is set and the server has it: nothing to mount
        return  # (a component costs every run ~0.5 ms; most runs are a learner's drags)
    _renderer()(key=KEY, data={"known": known, "wanted": wanted},
                on_device_change=_noop, on_teach_change=_noop, height=0)


def _noop() -> None:
    """The mount's values are read where they are needed; a change only needs the rerun."""


def _cookie_device() -> str | None:
    token = st.context.cookies.get(COOKIE)
    return token if valid_token(token) else None


def _reported() -> dict:
    value = st.session_state.get(KEY)
    try:
        return dict(value) if value is not None else {}
    except (TypeError, ValueError):
        return {}


def device() -> str | None:
    """This browser's device token, or None until its first session's mount has reported it."""
    if not _has_browser():
        return st.session_state.setdefault(FALLBACK, secrets.token_urlsafe(16))
    token = _cookie_device() or _reported().get("device")
    return token if valid_token(token) else None


def teacher_link_secret() -> str | None:
    """The secret of a teacher link this tab was opened with (the URL fragment), if any."""
    secret = _reported().get("teach")
    return secret if valid_token(secret) else None


def client_address() -> str | None:
    """The client's network address for the abuse bounds (never shown or stored in clear).

    Behind deploy/'s nginx (CEVIS_TRUST_PROXY=1) every connection comes from loopback and
    nginx appends the real peer to X-Forwarded-For: its last entry is the one to trust
    (the earlier ones are whatever the client sent).
    """
    if os.environ.get(TRUST_PROXY) == "1":
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return st.context.ip_address or ("local" if _has_browser() else None)
