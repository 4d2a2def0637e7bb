"""cevis_app/widgets/throttle.py: the token bucket, the merge of deferred requests, and the hook.

The hook on a real server (a flood folds into few reruns, the last values win) is in
tests/e2e/test_throttle_server.py.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

from cevis_app import streamlit_hooks
from cevis_app.widgets import throttle
from cevis_app.widgets.throttle import Bucket
from cevis_app.widgets.throttle import merge


def test_bucket_allows_a_burst_then_the_rate():
    b = Bucket(rate=4.0, burst=3, now=0.0)
    assert [b.delay(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert b.delay(0.0) == 0.25  # the next token comes 1/rate later
    assert b.delay(0.25) == 0.0
    assert b.delay(0.25) == 0.25


def test_bucket_refills_no_more_than_its_burst():
    b = Bucket(rate=4.0, burst=2, now=0.0)
    b.delay(0.0)
    b.delay(0.0)
    # an hour idle gives back 2 tokens, not 14,400
    assert [b.delay(3600.0) for _ in range(3)] == [0.0, 0.0, 0.25]


def _request(page="explorer", fragment="", **widgets):
    state = ClientState(page_name=page, fragment_id=fragment)
    for wid, value in widgets.items():
        w = state.widget_states.widgets.add(id=wid)
        if isinstance(value, bool):
            w.trigger_value = value
        else:
            w.double_array_value.data.append(value)
    return state


def _values(state):
    return {w.id: (w.trigger_value if w.HasField("trigger_value") else list(w.double_array_value.data))
            for w in state.widget_states.widgets}


def test_merge_keeps_the_newest_values_and_an_older_button_press():
    older = _request(z0=1.0, z1=2.0, go=True)  # a button press, then more changes
    newer = _request(page="batch", z0=3.0, z1=2.0, go=False)
    out = merge(older, newer)
    assert out.page_name == "batch"
    assert _values(out) == {"z0": [3.0], "z1": [2.0], "go": True}
    assert _values(newer) == {"z0": [3.0], "z1": [2.0], "go": False}  # inputs untouched


def test_merge_of_fragment_reruns_widens_to_a_full_rerun_unless_the_same():
    assert merge(_request(fragment="a"), _request(fragment="a")).fragment_id == "a"
    assert merge(_request(fragment="a"), _request(fragment="b")).fragment_id == ""
    assert merge(_request(), _request(fragment="b")).fragment_id == ""
    assert merge(_request(fragment="a"), _request()).fragment_id == ""


def test_merge_with_a_bare_rerun():
    state = _request(z0=1.0)
    assert merge(None, state) is state
    assert merge(state, None) is state  # "rerun as before" after a change: the change stands


def _layers():
    """The wrappers around AppSession's rerun handler, outermost first, then Streamlit's own."""
    layer, chain = AppSession._handle_rerun_script_request, []
    while layer is not None:
        chain.append(layer)
        layer = getattr(layer, "__wrapped__", None)
    return chain


def test_the_hook_is_in_place_once():
    # the capability itself is listed in tests/app/test_streamlit_hooks.py; another hook
    # (streamlit_hooks.drop_unsound_widget_states) may wrap the same handler, outside this one
    assert throttle.install(rate=4.0, burst=6)
    chain = _layers()
    bounds = [layer for layer in chain if isinstance(getattr(layer, "cevis_throttle", None),
                                                     throttle.SessionBound)]
    assert len(bounds) == 1
    assert chain[-1].__qualname__ == "AppSession._handle_rerun_script_request"
    assert streamlit_hooks.drop_unsound_widget_states()  # as at start-up: a filter outside
    chain = _layers()
    assert throttle.install() is True  # once per process: a second call changes nothing,
    assert _layers() == chain  # even under the filter's layer
    assert sum(isinstance(getattr(layer, "cevis_throttle", None), throttle.SessionBound)
               for layer in chain) == 1


class _Session:
    """Stands for an AppSession: the bound only keys its buckets on it."""


def test_a_flood_runs_a_burst_then_one_folded_rerun_per_token_on_an_injected_clock():
    now = [0.0]
    ran = []

    async def flood():
        bound = throttle.SessionBound(lambda session, request: ran.append(request), rate=2.0,
                                      burst=2, clock=lambda: now[0])
        session = _Session()
        for i in range(5):  # five changes at t = 0: two run, three fold into one
            bound.request(session, _request(z0=float(i), go=(i == 2)))
        state = bound.sessions[session]
        assert len(ran) == 2 and state.timer is not None
        state.timer.cancel()  # the loop's own timer would fire 0.5 s later; the test drives it
        now[0] = 0.2  # early: the token is not back yet, so flush waits again
        bound.flush(session, state)
        assert len(ran) == 2 and state.timer is not None
        state.timer.cancel()
        now[0] = 0.5  # one token back (rate 2/s)
        bound.flush(session, state)
        assert state.timer is None
        bound.request(session, _request(z0=9.0))  # over the bound again: deferred
        assert len(ran) == 3 and state.timer is not None
        state.timer.cancel()

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own: a browser test this
        pool.submit(asyncio.run, flood()).result()  # process ran keeps one running here
    assert [_values(r)["z0"] for r in ran] == [[0.0], [1.0], [4.0]]
    assert _values(ran[2])["go"] is True  # the press among the folded requests survives
