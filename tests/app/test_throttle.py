"""cevis_app/widgets/throttle.py: the token bucket, the merge of deferred requests, and the hook.

The hook on a real server (a flood folds into few reruns, the last values win) is in
tests/e2e/test_throttle_server.py.
"""

import streamlit
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession

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


def test_the_hook_exists_in_this_streamlit():
    # fails on a Streamlit without AppSession._handle_rerun_script_request: re-read
    # throttle.py's upstream notes before moving the pin
    assert streamlit.__version__ == "1.67.0"
    assert throttle.install(rate=4.0, burst=6)
    hook = AppSession._handle_rerun_script_request
    assert hook.cevis_throttle and hook.__wrapped__.__qualname__ == (
        "AppSession._handle_rerun_script_request")
    assert throttle.install() is True  # once per process: a second call changes nothing
    assert AppSession._handle_rerun_script_request is hook
