"""A shared figure's JSON encoded once, not by every session's run.

``st.plotly_chart`` (Streamlit 1.67, elements/plotly_chart.py lines 890-899) takes the
figure's ``to_dict()`` and encodes that with ``plotly.io.to_json(d, validate=False)`` on every
run: plotly's encoder walks the whole figure (~0.3 ms for one of Descent's charts), and a
room of 100 opening Descent encodes its three shared charts 300 times. What says it never
changes again (``frozen``: charts/_unvalidated.py's frozen figures and the FrozenDict their
``to_dict()`` returns, shared through the caches) keeps the text of its first encoding on
itself, under the template, the engine and the call's arguments, and later calls return that
text; anything else is encoded as before.
Fallback when plotly.io lacks ``to_json``: every run encodes.
"""

from __future__ import annotations

from collections.abc import Callable

from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has

MEMO = "_cevis_json"  # a frozen figure's attribute: (key, text) of its last encoding


@capability("figure_json_once")
def _plotly_io():
    try:
        import plotly.io as pio
    except ImportError:
        return None
    return pio if callable(getattr(pio, "to_json", None)) else None


def once(to_json, frozen: Callable[[object], bool]):
    """``to_json(fig, *args, **kwargs)``, its text kept on a figure ``frozen(fig)`` says never
    changes (setting one dict item is atomic: two sessions at once at worst encode twice)."""
    import plotly.io as pio

    def encode(fig, *args, **kwargs):
        if not frozen(fig):
            return to_json(fig, *args, **kwargs)
        key = (pio.templates.default, pio.json.config.default_engine, args,
               tuple(sorted(kwargs.items())))
        memo = fig.__dict__.get(MEMO)
        if memo is not None and memo[0] == key:
            return memo[1]
        text = to_json(fig, *args, **kwargs)
        fig.__dict__[MEMO] = (key, text)
        return text
    encode.__wrapped__ = to_json
    return encode


def encode_figures_once(frozen: Callable[[object], bool]) -> bool:
    """Install `once` on plotly.io.to_json, which st.plotly_chart calls (once per process).
    False: every run encodes (plotly.io lacks it)."""
    pio = _plotly_io() if has("figure_json_once") else None
    if pio is None:
        _fallback("figure_json_once", "each run encodes every figure")
        return False
    if getattr(pio.to_json, "__wrapped__", None) is None:
        pio.to_json = once(pio.to_json, frozen)
    return True
