"""Issue 27 item 2: the Explorer sample is specified once (cevis_app.urlstate.SPEC); the live
view's grids derive from it, travel in the payload, and the JS restates none of them."""

import pathlib
import re

import numpy as np
import pytest

from cevis_app.urlstate import SPEC
from cevis_app.views import carry
from cevis_app.views import room
from cevis_app.views.live import LOGIT_GRID
from cevis_app.views.live import TEMP_GRID
from cevis_app.views.live import live_tables
from cevis_app.views.live import loss_curve
from cevis_app.views.live_binary import binary_live_tables
from cevis_app.views.live_payload import encode_binary
from cevis_app.views.live_payload import encode_live
from cevis_app.widgets import live as live_widget
from tests.app.test_live_payload import unpack

LIVE_JS = pathlib.Path(__file__).resolve().parents[2] / "cevis_app" / "live"


def test_the_live_grids_are_the_specs():
    # independent of the code: the temperature slider's values by counting, 0.1 to 5.0 by 0.05
    assert TEMP_GRID.tolist() == [round(0.1 + 0.05 * i, 10) for i in range(99)]
    assert LOGIT_GRID[0] == SPEC.logit.low and LOGIT_GRID[-1] == SPEC.logit.high
    assert np.allclose(np.diff(LOGIT_GRID), SPEC.logit.drag)
    assert live_widget.T_RANGE == (10, 500) and live_widget.T_STEP == 5


def test_the_payload_carries_the_grids():
    a = unpack(encode_live(live_tables([1.0, 0.0], 0, 1.0), ["a", "b"], *loss_curve()))
    assert a["grid"].tolist() == [round(v * 100) for v in LOGIT_GRID]
    assert a["tgrid"].tolist() == [round(v * 100) for v in TEMP_GRID]
    payload = encode_binary(binary_live_tables(1, logit=0.0), "logit")
    assert payload["zrange"] == [round(SPEC.logit.low * 100), round(SPEC.logit.high * 100)]


@pytest.mark.parametrize("restated, spec", [
    (room.T_RANGE, (SPEC.temperature.low, SPEC.temperature.high)),
    (room.DEFAULT_NAMES, SPEC.names),
    (room.MAX_NAMES_CHARS, SPEC.names_max_chars),
    (carry.LOGIT_RANGE, SPEC.logit.high),
    (carry.LOGIT_STEP, SPEC.logit.step),
    ((carry.T_MIN, carry.T_STEP), (SPEC.temperature.low, SPEC.temperature.step)),
], ids=["room.T_RANGE", "room.DEFAULT_NAMES", "room.MAX_NAMES_CHARS", "carry.LOGIT_RANGE",
        "carry.LOGIT_STEP", "carry.T_MIN/T_STEP"])
def test_values_still_restated_elsewhere_agree_with_the_spec(restated, spec):
    """Modules not yet derived from SPEC: a change to the spec that misses them fails here."""
    assert restated == spec


def test_the_js_restates_no_grid_and_ships_no_bench_hooks():
    js = "\n".join(p.read_text() for p in sorted(LIVE_JS.glob("*.js")))
    for stale in ("count: 201", "count: 99", "+ 1000) /", "/ 2000", "/ 5)", "__cevisLive",
                  "window.__"):
        assert stale not in js, stale


def top_level_names(source):
    return set(re.findall(r"^(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)", source, re.M))


def test_each_view_uses_the_core_and_the_formulas_only():
    """The JS sections are concatenated in component.JS_FILES' order; a view must not lean on
    the other view's names (deleting or reordering one view then breaks nothing else)."""
    from cevis_app.live.component import JS_FILES

    views = [name for name in JS_FILES if name not in ("live_core.js", "live_formulas.js",
                                                       "live_main.js")]
    assert JS_FILES[:2] == ("live_core.js", "live_formulas.js") and JS_FILES[-1] == "live_main.js"
    for view in views:
        mine = re.sub(r'"[^"\n]*"|//[^\n]*', "", (LIVE_JS / view).read_text())  # code, no text
        for other in views:
            if other == view:
                continue
            theirs = top_level_names((LIVE_JS / other).read_text())
            used = {n for n in theirs if re.search(rf"\b{re.escape(n)}\b", mine)}
            assert not used, f"{view} uses {sorted(used)} from {other}"
