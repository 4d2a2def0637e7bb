"""PlainFigure: a plotly figure that skips plotly's validation until it is used as one.

Why: plotly validates every property when a figure is made (1-14 ms a chart, 100+ ms for an
animation with many frames), on every rerun; Streamlit only calls ``to_dict()``.
Upstream details it leans on (plotly 7.1.0, streamlit 1.67.0):
  - streamlit/elements/plotly_chart.py: ``plotly.tools.return_figure_from_figure_or_data``
    calls ``.to_dict()`` on any BaseFigure and skips validation (plotly/tools.py:515-526);
  - the private ``_plotly_utils.utils.to_typed_array_spec`` for non-float arrays;
  - plotly's ``is_skipped_key`` names (copied below) and template semantics in ``to_dict``.
Tested by tests/app/test_plain_figures.py: every builder gives the same JSON as the
validated figure, under both plotly's and Streamlit's default template.
Switch it off (to bisect a rendering bug) with CEVIS_VALIDATE_FIGURES=1 in the environment:
builders then return ordinary validated ``go.Figure`` objects.
Delete it when plotly's own ``go.Figure(..., _validate=False)`` is as fast (today: ~half).
"""

from __future__ import annotations

import base64
import os

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

VALIDATE_FIGURES = os.environ.get("CEVIS_VALIDATE_FIGURES", "") == "1"  # the switch back, for bisecting


class PlainFigure(go.Figure):
    """A ``go.Figure`` that stays the plain dicts it was built from until it is used as one.

    Plotly validates every property of a figure when it is made: about 1 ms for a
    simple chart and over 10 ms for one with many slider steps or frames, on every
    rerun. Streamlit only asks for ``to_dict()``, and that returns the dicts as they
    are (arrays typed and the default template added, as plotly's own ``to_dict``
    does). Anything else (``.data``, ``.layout``, ``.frames``, ``show()``,
    ``update_layout()``) first turns it into the real figure, validated, once.
    The tests check that both give the same JSON for every builder.
    """

    def __new__(cls, data=(), layout=None, frames=()):
        if VALIDATE_FIGURES:  # an ordinary figure; __init__ below is then not called
            return go.Figure(data=list(data), layout=dict(layout or {}), frames=list(frames))
        return super().__new__(cls)

    def __init__(self, data=(), layout=None, frames=()):  # go.Figure.__init__ is skipped on purpose
        object.__setattr__(self, "_spec", dict(data=list(data), layout=dict(layout or {}),
                                               frames=list(frames)))

    def __getattr__(self, name):
        # reached only for attributes that do not exist yet: a plotly API is being used
        spec = self.__dict__.pop("_spec", None)
        if spec is None:
            raise AttributeError(name)
        go.Figure.__init__(self, data=spec["data"], layout=spec["layout"], frames=spec["frames"])
        return getattr(self, name)

    def to_dict(self):
        spec = self.__dict__.get("_spec")
        if spec is None:  # already a real figure (it may have been changed since)
            return super().to_dict()
        done = self.__dict__.get("_dict")  # frozen(): computed once, for this default template
        if done is not None and done[0] == pio.templates.default:
            return done[1]
        out = {"data": _typed(spec["data"]), "layout": _typed(spec["layout"])}
        if "template" not in out["layout"] and pio.templates.default:
            out["layout"]["template"] = _template_json(pio.templates.default)
        if spec["frames"]:
            out["frames"] = _typed(spec["frames"])
        return out

    def to_plotly_json(self):
        return self.to_dict()


class FrozenDict(dict):
    """A frozen figure's ``to_dict()``: an ordinary dict that says it never changes. It is
    what st.plotly_chart encodes (it calls ``to_dict()`` first), so its JSON is kept on it."""


def frozen(fig):
    """``fig``, its ``to_dict()`` computed now and returned from then on (the same FrozenDict:
    its readers must not change it; Streamlit only encodes it, and encodes it once:
    streamlit_hooks/figures.py): for a figure shared by many sessions and never changed.
    A figure that is not a PlainFigure is returned as it is."""
    if isinstance(fig, PlainFigure) and "_spec" in fig.__dict__:
        fig.__dict__["_dict"] = (pio.templates.default, FrozenDict(fig.to_dict()))
    return fig


def is_frozen(fig) -> bool:
    """Whether ``fig`` never changes again: a frozen figure, or its ``to_dict()`` (what
    st.plotly_chart encodes); a plain figure made real by a plotly API call is not (it may
    have been changed since)."""
    if isinstance(fig, FrozenDict):
        return True
    return isinstance(fig, PlainFigure) and "_dict" in fig.__dict__ and "_spec" in fig.__dict__


_TEMPLATES: dict = {}


def _template_json(name) -> dict:
    """The JSON of a registered template, computed once per template object."""
    template = pio.templates[name]
    cached = _TEMPLATES.get(name)
    if cached is None or cached[0] is not template:
        cached = _TEMPLATES[name] = (template, template.to_plotly_json())
    return cached[1]


_FLOAT_CODES = {np.dtype(np.float64): "f8", np.dtype(np.float32): "f4"}
_UNTYPED_KEYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly's is_skipped_key


def _typed(obj):
    """A copy of plain figure dicts with numpy arrays as plotly.js typed arrays (base64),
    as ``go.Figure.to_dict`` sends them."""
    if isinstance(obj, dict):
        return {k: v if k in _UNTYPED_KEYS else _typed(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_typed(v) for v in obj]
    if isinstance(obj, np.ndarray):
        code = _FLOAT_CODES.get(obj.dtype)
        if code is None or obj.size == 0:  # ints are narrowed first, objects stay: plotly's rules
            return to_typed_array_spec(obj)
        # what to_typed_array_spec does for floats, without its ~20 µs of copying and checks
        out = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(obj)).decode("ascii")}
        if obj.ndim > 1:
            out["shape"] = str(obj.shape)[1:-1]
        return out
    return obj
