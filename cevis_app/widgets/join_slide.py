"""How phones join: the code, the link and its QR code on the teacher's screen, and the join slide.

The join slide fills the projector with the QR code (as large as the screen's height
allows), the code and the link; nothing else is drawn, and the slide keeps clear of the
fixed *Exit presentation* button. The link comes from views/join.py: CEVIS_PUBLIC_URL, or
an address the teacher typed for this session, or the address of the teacher's own page,
with a warning when that is one no phone can reach (localhost).
"""

from __future__ import annotations

import os

import segno
import streamlit as st

from cevis_app.text import escape
from cevis_app.views.join import PUBLIC_URL_ENV
from cevis_app.views.join import JoinLink
from cevis_app.views.join import join_link
from cevis_app.widgets import present

QR_SCALE = 8  # px per QR module in the SVG (it scales; CSS sets the size shown)
QR_WIDTH = 190  # px: the small QR code beside the code; the join slide shows it far larger
SLIDE = "room.join_slide"  # session key: the join slide is shown (session state, not a URL parameter)
PUBLIC = "room.public_url"  # session key: the address phones use, typed by the teacher
CODE_STYLE = ("font: 700 3.6rem/1.1 ui-monospace, monospace; letter-spacing: .15em; "
              "color: #264653; margin: .2rem 0 .6rem")  # the code, readable from the back row
SLIDE_CODE_STYLE = ("font: 700 min(14vh, 19cqi)/1.05 ui-monospace, monospace; letter-spacing: .12em; "
                    "color: #264653; margin: 0 0 .4rem")  # the code on the slide: as large as fits
# fixed CSS (no user text), on our own keyed containers only (Streamlit's data-testids are
# styled in widgets/present.py): the QR code as large as the viewport's height allows, below
# the fixed Exit presentation button (top 0.4rem, ~2.9rem tall), beside the code and the link
SLIDE_CSS = """
.st-key-cevis-join-slide { padding-top: 3rem; }
.st-key-cevis-join-qr img { width: min(calc(100vh - 8.5rem), 46vw) !important; height: auto;
  max-width: 100%; }
.st-key-cevis-join-url code { font-size: clamp(1rem, 2.2vh + 0.6vw, 2.2rem); }
.st-key-cevis-join-slide p { font-size: clamp(1rem, 1.1vw + 0.8vh, 2rem); }
@media (max-width: 640px) { .st-key-cevis-join-qr img { width: 90vw !important; } }
"""
SLIDE_WARNING = "Phones cannot open this link. Back in the room: how to fix it."
PRESENT_HEAD_CSS = ".st-key-cevis-join-head { padding-top: 2.75rem; }"  # below Exit presentation


def qr_data_uri(link: str) -> str:
    """The link as a QR code (SVG data URI; segno: pure Python, error correction M)."""
    return segno.make(link, error="m").svg_data_uri(scale=QR_SCALE, border=2)


def current_link(code: str) -> JoinLink:
    """The join link for this teacher: the typed address, else CEVIS_PUBLIC_URL, else this page's."""
    typed = st.session_state.get(PUBLIC)
    base = typed if typed and typed.strip() else os.environ.get(PUBLIC_URL_ENV)
    return join_link(code, st.context.url, base)


def join_head(code: str) -> None:
    """The top of the teacher's room page: code, link, a QR code, the join slide's button."""
    link = current_link(code)
    if present.active():
        st.html(f"<style>{PRESENT_HEAD_CSS}</style>")
    with st.container(key="cevis-join-head"):
        top, qr = st.columns([2.2, 1], gap="medium", vertical_alignment="center")
        with top:
            st.html(f'<div data-testid="cevis-room-code" style="{CODE_STYLE}">{code}</div>')
            st.caption(f"Join: scan the code, open the link below, or type {code} on the Room page.")
            st.code(link.url, language=None, wrap_lines=True)
            st.button("Join slide", icon=":material/qr_code_2:", key="room.show_slide",
                      on_click=_set_slide, args=(True,),
                      help="The QR code, the code and the link, as large as the screen allows")
        qr.image(qr_data_uri(link.url), width=QR_WIDTH, alt="QR code of the join link")
    _fix_address(link)


def _fix_address(link: JoinLink) -> None:
    """The warning when phones cannot reach the link, and a field for the address they can."""
    typed = st.session_state.get(PUBLIC)
    if not link.warning and not typed:
        return
    if link.warning:
        st.warning(escape.markdown(link.warning), icon=":material/wifi_off:")  # it quotes the host
    st.text_input("Address phones use for this app", key=PUBLIC, max_chars=300,
                  placeholder="http://192.168.1.20:8501",
                  help=f"For this session only; {PUBLIC_URL_ENV} sets it for every room of the server.")


def _set_slide(on: bool) -> None:
    st.session_state[SLIDE] = on


def slide_shown() -> bool:
    return st.session_state.get(SLIDE) is True


def join_slide(code: str) -> None:
    """The projector's join slide: a big QR code, the code, the link; nothing else."""
    link = current_link(code)
    st.html(f"<style>{SLIDE_CSS}</style>")
    with st.container(key="cevis-join-slide"):
        qr, text = st.columns([1, 1], gap="large", vertical_alignment="center")
        with qr, st.container(key="cevis-join-qr"):
            st.image(qr_data_uri(link.url), width="stretch", alt="QR code of the join link")
        with text:
            st.markdown("**Join the class:** scan the code, or open")
            with st.container(key="cevis-join-url"):
                st.code(link.url, language=None, wrap_lines=True)
            st.markdown("**or type the code on the Room page:**")
            st.html(f'<div data-testid="cevis-slide-code" style="{SLIDE_CODE_STYLE}">{code}</div>')
            st.button("Back to the room", icon=":material/arrow_back:", key="room.hide_slide",
                      on_click=_set_slide, args=(False,))
            if link.warning:  # last: the long how-to is on the room page, under the link
                st.warning(SLIDE_WARNING, icon=":material/wifi_off:")
