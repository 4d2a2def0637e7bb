"""Hostile data-editor change sets and uploader states: a plain message, the table kept."""

import re

import pytest

from cevis import InputError
from cevis_app.text import parsing
from cevis_app.text import samples
from cevis_app.widgets import editors

ROWS = [(0, 0.1), (1, 0.8)]
HOSTILE = [
    ({"edited_rows": {"0": "x"}}, r"edited row 0: 'x' is not a set of cells"),
    ({"deleted_rows": ["x"]}, r"deleted rows: row 'x' is not a row number"),
    ({"deleted_rows": [True]}, r"row 'True' is not a row number"),
    ({"deleted_rows": [5]}, r"deleted rows: row 5 does not exist; the table has 2 row\(s\)"),
    ({"deleted_rows": [-1]}, r"row -1 does not exist"),
    ({"deleted_rows": "0"}, r"is not a list of row numbers"),
    ({"edited_rows": {"²": {"label": 1}}}, r"row '²' is not a row number"),
    ({"edited_rows": {"9" * 5000: {"label": 1}}}, r"row '9{40}…' \(5,000 characters\)"),
    ({"edited_rows": {"7": {"label": 1}}}, r"row 7 does not exist"),
    ({"edited_rows": {"0": {"nope": 1}}}, r"an edit to the column 'nope', which the table does not"),
    ({"edited_rows": {"0": {"label": [1]}}}, r"column 'label': '\[1\]' is not a cell value"),
    ({"edited_rows": {"0": {"prediction": "0.5; drop"}}}, r"row 1, column 'prediction': "
                                                          r"'0.5; drop' is not a number"),
    ({"edited_rows": [1]}, r"edited rows: '\[1\]' is not a set of rows"),
    ({"added_rows": {"label": 1}}, r"added rows: .* is not a list of rows"),
    ({"added_rows": ["x"]}, r"added row 1: 'x' is not a set of cells"),
    ({"added_rows": [{"label": 1}] * 600}, r"602 rows; at most 500"),
    ([1, 2], r"the table's edit is '\[1, 2\]'; expected a set of changes"),
    ("edited_rows", r"expected a set of changes"),
]


@pytest.mark.parametrize("edits, message", HOSTILE)
def test_hostile_binary_edits_are_refused_plainly(edits, message):
    with pytest.raises(InputError, match=message) as err:
        samples.apply_table_edits(ROWS, edits, "probability")
    assert len(str(err.value)) < 300


def test_hostile_batch_edit_to_a_missing_column():
    batch = parsing.parse_batch("0 | 1, 2; 1 | 0, 0", "index", "logits")
    columns = parsing.batch_columns("index", "logits", 2)
    with pytest.raises(InputError, match=r"column 'z7', which the table does not have"):
        editors.apply_record_edits(parsing.batch_records(batch), {"edited_rows": {"0": {"z7": 1}}},
                                   columns, [0, 0.0, 0.0])
    records = editors.apply_record_edits(parsing.batch_records(batch),
                                         {"edited_rows": {"0": {"z1": "abc"}}}, columns, [0, 0, 0])
    with pytest.raises(InputError, match=r"row 1, column 3: 'abc' is not a number"):
        parsing.batch_from_records(records, "index", "logits", 2)


def test_good_edits_with_string_row_keys_and_index_column():
    edits = {"edited_rows": {"1": {"prediction": 0.3, "_index": 9}}, "added_rows": [{"label": 0}],
             "deleted_rows": ["0"]}
    assert samples.apply_table_edits(ROWS, edits, "probability") == [(1, 0.3), (0, 0.5)]


class FakeState(dict):
    """st.session_state for a callback: reading the editor's key can raise, as Streamlit's can."""

    def __init__(self, *args, broken=(), **kw):
        super().__init__(*args, **kw)
        self.broken = broken

    def __getitem__(self, key):
        if key in self.broken:
            raise ValueError("invalid literal for int() with base 10: 'x'")
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key in self or key in self.broken else default


@pytest.fixture
def state(monkeypatch):
    fake = FakeState({"binary.rows": "0:0.1, 1:0.8", "binary.editor_shows": ("0:0.1, 1:0.8",
                                                                              "probability")})
    monkeypatch.setattr(editors.st, "session_state", fake)
    return fake


@pytest.mark.parametrize("edits, message", HOSTILE[:4])
def test_edit_callback_keeps_the_table_and_asks_for_a_fresh_editor(state, edits, message):
    state["binary.editor.1"] = edits
    editors._on_edit("binary", "binary.editor.1", ROWS, "probability")
    assert state["binary.rows"] == "0:0.1, 1:0.8"
    assert re.search(message, state["binary.table_error"])
    assert state["binary.editor_shows"] is None  # the next run builds a new editor


def test_edit_callback_survives_state_streamlit_cannot_decode(state):
    state.broken = ("binary.editor.1",)
    editors._on_edit("binary", "binary.editor.1", ROWS, "probability")
    assert state["binary.table_error"] == "The table's edit could not be read"
    assert state["binary.rows"] == "0:0.1, 1:0.8"


def test_accepted_edits_apply_to_the_rows_the_editor_was_built_from(state):
    # the editor's change set is cumulative: the second edit arrives with the first
    state["binary.editor.1"] = {"edited_rows": {"0": {"prediction": 0.5}}}
    editors._on_edit("binary", "binary.editor.1", ROWS, "probability")
    state["binary.editor.1"] = {"edited_rows": {"0": {"prediction": 0.5}, "1": {"label": 0}}}
    editors._on_edit("binary", "binary.editor.1", ROWS, "probability")
    assert state["binary.rows"] == "0:0.5, 0:0.8"
    assert state["binary.editor_shows"] == ("0:0.5, 0:0.8", "probability")  # same editor kept


class DeletedFile:  # what Streamlit hands back for a file id the server no longer holds
    file_id = "gone"


class Upload:
    def __init__(self, name, data=None, error=None):
        self.name, self.data, self.error = name, data, error

    def getvalue(self):
        if self.error:
            raise self.error
        return self.data


@pytest.mark.parametrize("upload, message", [
    (DeletedFile(), "The uploaded file is no longer on the server"),
    (Upload("a.csv", error=OSError("gone")), "The uploaded file is no longer on the server"),
    (Upload("a.csv", b"label,prediction\r7,0.5\r"), "'a.csv': row 1, column 'label': 7 is not 0 or 1"),
    (Upload("x" * 500 + ".csv", b"\x00"), "'xxxx"),
])
def test_upload_callback_never_raises(state, upload, message):
    state["binary.upload"] = upload
    editors._on_upload("binary", "binary.upload", "probability")
    assert state["binary.table_error"].startswith(message)
    assert state["binary.rows"] == "0:0.1, 1:0.8"
    assert len(state["binary.table_error"]) < 400


def test_upload_callback_reads_a_cr_only_file_and_its_kind(state):
    state["binary.upload"] = Upload("mac.csv", b"# predictions are: logit\rlabel,prediction\r1,2.5\r")
    editors._on_upload("binary", "binary.upload", "probability")
    assert state["binary.rows"] == "1:2.5" and state["binary.rows_kind"] == "logit"
    assert "binary.table_error" not in state


def test_upload_callback_without_a_file_does_nothing(state):
    state["binary.upload"] = None
    editors._on_upload("binary", "binary.upload", "probability")
    assert "binary.table_error" not in state
