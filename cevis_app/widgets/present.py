"""Presentation mode and the app-wide reading style: one toggle, one style block.

``?present=1`` (or the sidebar's toggle, or the "Present" button at the top right) hides the
sidebar and the header, enlarges chart text to 18 px and more (``PRESENT_SCALE``) and keeps
the essentials; the page fits 1280×720 at 150 % (853×480 CSS px). The style block is fixed,
app-authored CSS: no user text ever reaches it. Outside presentation the same block lets
button labels wrap instead of being cut, lets formulas scroll sideways with a shadow that
shows more is there, and trims the empty space above the title.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.charts.style import PRESENT_SCALE

KEY = "present"  # the URL parameter (?present=1) and the session key: part of shared links
ON_VALUES = ("1", "true", "yes", "on")  # what ?present= may say to switch it on

# fixed CSS, written here and nowhere else; Streamlit's test ids are its public hooks
BASE_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem; }
[data-testid^="stBaseButton"] p, [data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"] {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word; }
[data-testid="stMetricDelta"] div, [data-testid="stMetricDelta"] p, [data-testid="stMetricLabel"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
/* a display formula wider than its column breaks after a relation or an operator (KaTeX cuts
   it into pieces there; its display mode only keeps them on one line) instead of cutting a
   number at the box's edge; a piece still too wide scrolls, with a shadow */
.katex-display > .katex { white-space: normal; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0;
  background:
    linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 2rem 100% no-repeat local,
    linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 2rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.25), transparent)
      left / .8rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.25), transparent)
      right / .8rem 100% no-repeat scroll; }
@media (max-width: 640px) {
  .katex-display { font-size: 0.85em; }
  /* a phone: presets two or three to a row, metrics side by side, so the first chart is
     within a screen of the sliders that move it (Streamlit stacks every column) */
  [class*="st-key-cevis-presets"] > [data-testid="stElementContainer"],
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > [data-testid="stVerticalBlock"]
    > [data-testid="stElementContainer"] > [data-testid="stMetric"]):not(:has([data-testid="stPlotlyChart"]))
    > [data-testid="stColumn"] {
    min-width: calc(33% - 1rem); }
  [data-testid="stMetricValue"] { font-size: 1.4rem; }
  [data-testid="stHorizontalBlock"] { row-gap: 1rem; }  /* stacked columns: not 4rem apart */
  [data-testid="stMainBlockContainer"] h1 { font-size: 2rem; }
}
/* charts side by side in a column narrower than 440 px (1280x720 at 150 % with the sidebar)
   stack, each at the column's full width, instead of two charts of 170 px */
[data-testid="stColumn"] { container-type: inline-size; }
@container (max-width: 440px) {
  [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) > [data-testid="stColumn"] {
    min-width: 100%; }
}
/* a preset row narrower than 600 px (1280x720 at 150 % with the sidebar open) goes three to
   a row, so "Confidently" is never broken inside the word */
[class*="st-key-cevis-presets"] { container-type: inline-size; flex-wrap: wrap; }
[class*="st-key-cevis-presets"] > [data-testid="stElementContainer"] { flex: 1 1 0; min-width: 0; }
@container (max-width: 600px) {
  [class*="st-key-cevis-presets"] > [data-testid="stElementContainer"] {
    min-width: calc(33% - 1rem); } }
.st-key-cevis-present { position: fixed; top: 0.6rem; right: 3.6rem; z-index: 999991; width: auto; }
/* a phone: the open sidebar's close button sits where "Present" is; hide "Present" meanwhile
   (the sidebar has its own "Presentation mode" toggle) */
@media (max-width: 767.98px) {
  body:has([data-testid="stSidebar"][data-collapsed="false"]) .st-key-cevis-present {
    display: none; } }
"""
# not presenting (presenting hides the sidebar, whose data-collapsed still says "false")
READING_CSS = """
/* the room bar's border, first on the page, clear of Streamlit's 3.75rem header (a title has
   room above its text; a bordered box at 3.25rem lost its top 8 px under it). Presenting
   hides the header: no room needed there */
[data-testid="stMainBlockContainer"]:has(.st-key-room-bar) { padding-top: 4.25rem; }
/* a metric in a column narrower than 160 px (three side by side beside the open sidebar at
   1280x720 at 150 %: 77 px) shrinks its value with the column instead of cutting it to "2.…" */
@container (max-width: 160px) { [data-testid="stMetricValue"] { font-size: min(1.4rem, 26cqi); } }
/* beside the open sidebar on a small screen (1280x720 at 150 %: a main area of ~450 px), a row
   of four or more columns goes two to a row, so a label such as "label_smoothing" keeps its
   word whole (a container query on the main area would make it the box of fixed elements) */
@media (min-width: 768px) and (max-width: 1040px) {
  body:has([data-testid="stSidebar"][data-collapsed="false"])
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4))
    > [data-testid="stColumn"] { min-width: calc(50% - 1rem); } }
"""
PRESENT_CSS = """
/* Every text follows the projector. Streamlit sizes its text in rem, the smallest 0.75 rem:
   1 rem = 24 device px / devicePixelRatio puts that at 18 device px at any zoom (1920x1080 at
   100 %: 24 px; 1280x720 at 150 %: 16 px), and a screen wider than 80 rem (or taller than
   45 rem) grows the text with it */
html { font-size: max(24px, min(1.25vw, 2.22vh)) !important; }
@media (min-resolution: 1.25dppx) { html { font-size: max(19.2px, min(1.25vw, 2.22vh)) !important; } }
@media (min-resolution: 1.5dppx) { html { font-size: max(16px, min(1.25vw, 2.22vh)) !important; } }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 0.5rem 1.25rem 2rem; max-width: none; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding-top: 0; }
[data-testid="stMetricValue"] { font-size: 1.75rem; }
/* "Exit presentation" in the page's flow, right-aligned, never over content when it scrolls */
.st-key-cevis-present { position: static; flex-direction: row; justify-content: flex-end;
  margin-bottom: -0.75rem; }
.st-key-cevis-present button { min-height: 0; padding: 0 0.5rem; }
.st-key-cevis-present [data-testid="stElementContainer"] { width: auto; }
.st-key-cevis-present button p { white-space: nowrap; }
/* a lesson: compact head; its view (beside the text) stacks its charts when narrow */
[data-testid="stMainBlockContainer"] h2 { font-size: 1.5rem; padding: 0; }
@container (max-width: 720px) {
  .st-key-lesson-view [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) {
    flex-wrap: wrap; }
  .st-key-lesson-view [data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"])
    > [data-testid="stColumn"] { min-width: 100%; }
}
/* the page's one-line introduction under the title: the teacher says it */
[data-testid="stElementContainer"]:has(h1)
  + [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {
  display: none; }
"""

KATEX_SIZES = (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.44, 1.728, 2.074, 2.488)  # KaTeX's size1..11
# KaTeX shrinks a sub/superscript of a subscript to half its base (9.7 px beside 14 px text);
# presenting, no shrunk level goes under 0.75 rem, Streamlit's own smallest text
KATEX_FLOOR_CSS = "\n".join(
    f".katex .sizing.reset-size{n}.size{m}, .katex .fontsize-ensurer.reset-size{n}.size{m} "
    f"{{ font-size: max({KATEX_SIZES[m - 1] / KATEX_SIZES[n - 1]:.4g}em, 0.75rem); }}"
    for n in range(1, 12) for m in range(1, n))

def active() -> bool:
    """Whether this session shows the presentation mode."""
    return st.session_state.get(KEY) is True


def chart_scale() -> float:
    """The factor every chart's text is multiplied by: 1, or ``PRESENT_SCALE`` when presenting."""
    return PRESENT_SCALE if active() else 1.0


def _flip() -> None:
    st.session_state[KEY] = not active()


def _take_toggle(toggle_key: str) -> None:
    st.session_state[KEY] = st.session_state.get(toggle_key) is True


def setup() -> None:
    """Call once per run, before the page: the toggle, the URL, the style block, the button."""
    state = st.session_state
    if KEY not in state:  # first run of the session: the URL decides
        state[KEY] = st.query_params.get(KEY, "").lower() in ON_VALUES
    # The mode lives in state[KEY], not in the toggle: a toggle keyed KEY was told the mode once
    # (set_value, in the run that set it), and a run interrupted before that reached the browser
    # (the identity mount's rerun on a fresh browser's first run) left the browser holding the
    # toggle's default, False, which its next rerun sent back: the mode was lost. This toggle is
    # a new widget for each mode, its default the mode, so the browser cannot hold another value.
    toggle_key = f"{KEY}.toggle.{'on' if active() else 'off'}"
    st.sidebar.toggle("Presentation mode", value=active(), key=toggle_key,
                      on_change=_take_toggle, args=(toggle_key,),
                      help="Large chart text, no sidebar, the essentials only; → and ← step "
                           "through a lesson. Also: add ?present=1 to a link.")
    if active():
        if st.query_params.get(KEY) != "1":
            st.query_params[KEY] = "1"
    else:
        st.query_params.pop(KEY, None)
    st.html("<style>" + BASE_CSS + (PRESENT_CSS + KATEX_FLOOR_CSS if active() else READING_CSS)
            + "</style>")
    with st.container(key="cevis-present"):
        st.button("Exit presentation" if active() else "Present", key="cevis-present-button",
                  icon=":material/close:" if active() else ":material/slideshow:",
                  on_click=_flip, type="tertiary" if not active() else "secondary",
                  help="Presentation mode: large text for a projector, no sidebar")
