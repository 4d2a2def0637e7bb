"""A ``st.data_editor`` change set, checked in full before it touches a table.

The change set comes over the websocket, so it is untrusted: a tab can send any JSON
as the editor's state. Its shape is

    {"edited_rows": {row: {column: value}}, "added_rows": [{column: value}],
     "deleted_rows": [row]}

with ``row`` a position in the table the editor was built from (an int, or the
digits of one, as JSON object keys are strings) and ``column`` one of the table's
columns. Anything else is an InputError with a plain message; the caller keeps
the table as it was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from cevis import InputError
from cevis_app.text.csvfile import shown

STATE_KEYS = ("edited_rows", "added_rows", "deleted_rows")
ROW_DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() is true for '²'
INDEX_COLUMN = "_index"  # Streamlit's name for the index column; our indexes are not editable
CELL_TYPES = (int, float, str, type(None))  # what a grid cell can send (bool is an int: refused)


def _row(key, num_rows: int, where: str) -> int:
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        raise InputError(f"{where}: row {shown(key)} is not a row number")
    if isinstance(key, str):
        if not ROW_DIGITS.fullmatch(key):
            raise InputError(f"{where}: row {shown(key)} is not a row number")
        key = int(key)
    if not 0 <= key < num_rows:
        raise InputError(f"{where}: row {key} does not exist; the table has {num_rows} row(s)")
    return key


def _cells(change, columns, where: str) -> dict:
    if not isinstance(change, Mapping):
        raise InputError(f"{where}: {shown(change)} is not a set of cells")
    out = {}
    for col, value in change.items():
        if col == INDEX_COLUMN:
            continue  # the row number shown beside the table: not data
        if col not in columns:
            raise InputError(f"{where}: an edit to the column {shown(col)}, which the table does "
                             f"not have (it has {', '.join(map(str, columns))})")
        if isinstance(value, bool) or not isinstance(value, CELL_TYPES):
            raise InputError(f"{where}, column {col!r}: {shown(value)} is not a cell value")
        out[col] = value
    return out


def check_editor_state(edits, columns, num_rows: int) -> dict:
    """The change set ``edits`` with every part checked; rows as ints.

    >>> check_editor_state({"edited_rows": {"1": {"p": 0.3}}}, ["t", "p"], 2)
    {'edited_rows': {1: {'p': 0.3}}, 'added_rows': [], 'deleted_rows': []}
    """
    if not isinstance(edits, Mapping):
        raise InputError(f"the table's edit is {shown(edits)}; expected a set of changes")
    edited = edits.get("edited_rows") or {}
    added = edits.get("added_rows") or []
    deleted = edits.get("deleted_rows") or []
    if not isinstance(edited, Mapping):
        raise InputError(f"edited rows: {shown(edited)} is not a set of rows")
    if not isinstance(added, list):
        raise InputError(f"added rows: {shown(added)} is not a list of rows")
    if not isinstance(deleted, list):
        raise InputError(f"deleted rows: {shown(deleted)} is not a list of row numbers")
    return {
        "edited_rows": {_row(k, num_rows, "edited rows"): _cells(v, columns, f"edited row {k}")
                        for k, v in edited.items()},
        "added_rows": [_cells(v, columns, f"added row {n}") for n, v in enumerate(added, 1)],
        "deleted_rows": sorted({_row(k, num_rows, "deleted rows") for k in deleted}),
    }


def apply_record_edits(records, edits, columns, new_row, *, max_rows=None) -> list[list]:
    """Apply a checked ``st.data_editor`` change set to table rows (lists in ``columns`` order).

    Edits, then deletions, then additions, as Streamlit applies them; empty cells of
    an added row take ``new_row``'s values. ``max_rows`` bounds the result.

    >>> apply_record_edits([[0, 0.1], [1, 0.8]], {"edited_rows": {1: {"p": 0.3}},
    ...                    "added_rows": [{"t": 0}], "deleted_rows": [0]}, ["t", "p"], [1, 0.5])
    [[1, 0.3], [0, 0.5]]
    """
    table = [list(r) for r in records]
    state = check_editor_state(edits, list(columns), len(table))
    count = len(table) - len(state["deleted_rows"]) + len(state["added_rows"])
    if max_rows is not None and count > max_rows:
        raise InputError(f"{count} rows; at most {max_rows} fit in the table")
    position = {c: i for i, c in enumerate(columns)}
    for i, change in state["edited_rows"].items():
        for col, value in change.items():
            table[i][position[col]] = value
    gone = set(state["deleted_rows"])
    table = [row for i, row in enumerate(table) if i not in gone]
    for added in state["added_rows"]:
        row = list(new_row)
        for col, value in added.items():
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                row[position[col]] = value
        table.append(row)
    return table
