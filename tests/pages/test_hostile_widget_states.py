"""AppTest: widget states a tab can send over the websocket, hostile or stale, never a traceback.

The states are put in the widget-state message itself (what the browser sends), so
they go through Streamlit's own decoding, the callbacks and the page, as in a real
session. After each, the page runs again (the tab keeps sending the same state).
"""

import json
import pathlib

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

TIMEOUT = 30
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
TALLY = {"tried": 0, "tracebacks": 0}

EDITOR_STATES = [
    {"edited_rows": {"0": "x"}}, {"deleted_rows": ["x"]}, {"deleted_rows": [99]},
    {"edited_rows": {"x": {"label": 1}}}, {"edited_rows": {"9" * 5000: {}}}, [1, 2], "x", 7, None,
    {"edited_rows": {"0": {"nope": 1}}}, {"edited_rows": {"0": {"label": [1]}}},
    {"added_rows": ["x"]}, {"added_rows": [{"label": 1}] * 600}, {"edited_rows": []},
    {"edited_rows": {"0": {"prediction": "**bold** [x](http://evil.example)"}}},
    {"edited_rows": {"0": {"prediction": 1e308}}}, {"edited_rows": {"0": {"prediction": "nan"}}},
]


def open_page(page):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def _editor_id(node):
    if getattr(node, "type", None) == "dataframe" and ".editor." in getattr(node.proto, "id", ""):
        return node.proto.id
    for child in getattr(node, "children", {}).values():
        found = _editor_id(child)
        if found:
            return found
    return None


def send(at, fill):
    """Run ``at`` with the browser's widget states plus one more that ``fill`` writes."""
    states = WidgetStates()
    states.CopyFrom(at._tree.get_widget_states())
    fill(states.widgets.add())
    return at._run(states)


def check(at, what):
    TALLY["tried"] += 1
    if at.exception:
        TALLY["tracebacks"] += 1
    assert not at.exception, (what, [e.message for e in at.exception])


@pytest.mark.parametrize("state", EDITOR_STATES, ids=lambda s: json.dumps(s)[:40])
def test_binary_editor_states(state):
    at = open_page("app_pages/binary.py")
    rows = at.session_state["binary.rows"]
    editor = _editor_id(at._tree)

    def fill(w):
        w.id = editor
        w.string_value = json.dumps(state)

    at = send(at, fill)
    check(at, state)
    assert at.session_state["binary.rows"] == rows  # the table kept
    check(at.run(), state)


def test_a_valid_editor_state_still_applies():
    at = open_page("app_pages/binary.py")
    editor = _editor_id(at._tree)

    def fill(w):
        w.id = editor
        w.string_value = json.dumps({"edited_rows": {"0": {"prediction": 0.5}}})

    at = send(at, fill)
    check(at, "valid")
    assert at.session_state["binary.rows"].startswith("0:0.5, 1:0.91")


def test_batch_edit_to_a_column_not_in_the_table():
    at = open_page("app_pages/batch.py")
    rows = at.session_state["batch.rows"]
    editor = _editor_id(at._tree)

    def fill(w):
        w.id = editor
        w.string_value = json.dumps({"edited_rows": {"0": {"z7": 1.0}}})

    at = send(at, fill)
    check(at, "z7")
    assert at.session_state["batch.rows"] == rows
    assert any("column 'z7', which the table does not have" in e.value for e in at.error)


@pytest.mark.parametrize("page, key", [("app_pages/binary.py", "binary.upload"),
                                       ("app_pages/batch.py", "batch.upload")])
def test_an_uploader_naming_a_file_the_server_no_longer_has(page, key):
    at = open_page(page)
    prefix = key.split(".")[0]
    rows = at.session_state[f"{prefix}.rows"]
    uploader = next(w.id for w in at._tree.get_widget_states().widgets if w.id.endswith(key))

    def fill(w):
        w.id = uploader
        info = w.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = "gone-after-a-restart", "x.csv", 20

    at = send(at, fill)
    check(at, "stale upload")
    assert at.session_state[f"{prefix}.rows"] == rows
    assert any("no longer on the server" in e.value for e in at.error)
    check(at.run(), "stale upload, again")


def teardown_module():
    print(f"\nhostile widget states: {TALLY['tried']} runs, {TALLY['tracebacks']} tracebacks")
