"""User text and URL values -> clean Python values, with clear errors.

Anything a person types or a link carries is untrusted: these functions never
raise on it, they return a cleaned value (and, where something was dropped, say
what in a message the page can show).
"""

from __future__ import annotations

import csv
import io
import math

from ._checks import InputError

MAX_NAME_LENGTH = 20  # keeps bar labels readable and LaTeX short
NAME_PUNCTUATION = " -.'()&+/"  # with letters and digits of any script; no Markdown or LaTeX syntax


def _clean_name(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch in NAME_PUNCTUATION)


def default_class_name(i: int) -> str:
    return f"class {i}"


def parse_class_names(text, count: int) -> tuple[list[str], str | None]:
    """Comma-separated names -> exactly ``count`` distinct names, and a note if any was changed.

    Missing names become ``"class i"``; extra names are dropped; characters other than
    letters and digits (of any script), space and ``-.'()&+/`` are removed (they would
    be Markdown or LaTeX syntax in labels and formulas); duplicates get a suffix.

    >>> parse_class_names("panda, seal, duck", 3)
    (['panda', 'seal', 'duck'], None)
    >>> parse_class_names("cat,cat", 3)[0]
    ['cat', 'cat (2)', 'class 2']
    """
    raw = [] if not isinstance(text, str) else text.split(",")
    names: list[str] = []
    changed = False
    for i in range(count):
        given = raw[i].strip() if i < len(raw) else ""
        clean = _clean_name(given)[:MAX_NAME_LENGTH].strip()
        changed |= clean != given
        base = name = clean or default_class_name(i)
        copies = 1
        while name in names:  # bars and formulas need distinct labels
            copies += 1
            name = f"{base} ({copies})"
        names.append(name)
    dropped = len([r for r in raw[count:] if r.strip()])
    note = None
    if changed and any(r.strip() for r in raw[:count]):
        note = (f"Class names keep letters, digits, spaces and {NAME_PUNCTUATION.strip()} only, "
                f"up to {MAX_NAME_LENGTH} characters.")
    if dropped:
        note = (note + " " if note else "") + f"{dropped} name(s) beyond the {count} classes ignored."
    return names, note


# ---------------------------------------------------------------- binary samples
MAX_SAMPLES = 500  # rows; the table also travels in the URL, which must stay shareable
MAX_CSV_BYTES = 100_000  # ample for MAX_SAMPLES rows of "label,prediction"
PREDICTION_KINDS = ("probability", "logit")
CSV_COLUMNS = ("label", "prediction")
NEW_ROW = (1, 0.5)  # what an added, still empty row of the editor becomes (0.5: p, or 0.5: z)


def _check_kind(kind):
    if kind not in PREDICTION_KINDS:
        raise InputError(f"kind is {kind!r}; expected one of {PREDICTION_KINDS}")


def _number(raw, where: str) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise InputError(f"{where}: {str(raw).strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {raw!r} is not a finite number")
    return value


def check_sample(label_raw, prediction_raw, kind: str, where: str) -> tuple[int, float]:
    """One ``(label, prediction)`` pair, validated; ``where`` says which row it is."""
    label = _number(label_raw, f"{where}, column 'label'")
    if label not in (0.0, 1.0):
        raise InputError(f"{where}, column 'label': {label:g} is not 0 or 1")
    pred = _number(prediction_raw, f"{where}, column 'prediction'")
    if kind == "probability" and not 0.0 <= pred <= 1.0:
        raise InputError(f"{where}, column 'prediction': {pred:g} is not a probability in [0, 1]")
    return int(label), pred


def format_samples(rows) -> str:
    """``[(1, 0.91), (0, 0.07)]`` -> ``"1:0.91, 0:0.07"`` (the form the URL carries)."""
    return ", ".join(f"{t}:{p:.6g}" for t, p in rows)


def parse_samples(text, kind: str) -> list[tuple[int, float]]:
    """``"1:0.91, 0:0.07"`` -> ``[(1, 0.91), (0, 0.07)]``, or :class:`InputError` naming the item.

    >>> parse_samples("0:0.07, 1:0.91", "probability")
    [(0, 0.07), (1, 0.91)]
    """
    _check_kind(kind)
    items = [s for s in str(text).replace(";", ",").split(",") if s.strip()]
    if len(items) > MAX_SAMPLES:
        raise InputError(f"{len(items)} samples; at most {MAX_SAMPLES} fit in the table")
    rows = []
    for i, item in enumerate(items, start=1):
        parts = item.split(":")
        if len(parts) != 2:
            raise InputError(f"sample {i} ({item.strip()!r}): expected label:prediction, "
                             "e.g. 1:0.91")
        rows.append(check_sample(parts[0], parts[1], kind, f"sample {i}"))
    return rows


def parse_samples_csv(data: bytes, kind: str) -> list[tuple[int, float]]:
    """A CSV file with the columns ``label`` and ``prediction`` -> rows, or a clear InputError.

    Errors name the row (1 = the first row under the header) and the column.

    >>> parse_samples_csv(b"label,prediction\\n1,0.9\\n0,0.2\\n", "probability")
    [(1, 0.9), (0, 0.2)]
    """
    _check_kind(kind)
    if len(data) > MAX_CSV_BYTES:
        raise InputError(f"the file has {len(data):,} bytes; at most {MAX_CSV_BYTES:,} "
                         f"({MAX_SAMPLES} samples) are read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text; expected a CSV file") from None
    lines = [ln for ln in csv.reader(io.StringIO(text)) if any(c.strip() for c in ln)]
    if not lines:
        raise InputError("the file is empty; expected a header 'label,prediction' and one row "
                         "per sample")
    header = [c.strip().lower() for c in lines[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(f"the header has the columns {lines[0]}; expected 'label' and "
                         f"'prediction' (missing: {', '.join(missing)})")
    body = lines[1:]
    if not body:
        raise InputError("the file has a header but no rows; expected one row per sample")
    if len(body) > MAX_SAMPLES:
        raise InputError(f"the file has {len(body)} rows; at most {MAX_SAMPLES} fit in the table")
    li, pi = header.index("label"), header.index("prediction")
    rows = []
    for n, line in enumerate(body, start=1):
        if len(line) <= max(li, pi):
            raise InputError(f"row {n}: {len(line)} value(s); expected {len(header)}, "
                             "one per column of the header")
        rows.append(check_sample(line[li], line[pi], kind, f"row {n}"))
    return rows


def samples_to_csv(rows) -> str:
    """Rows -> CSV text with the header ``label,prediction`` (what :func:`parse_samples_csv` reads)."""
    return "label,prediction\n" + "".join(f"{t},{p!r}\n" for t, p in rows)


def apply_table_edits(rows, edits, kind: str) -> list[tuple[int, float]]:
    """Apply a ``st.data_editor`` change set to ``rows`` and validate the result.

    ``edits`` is the editor's state: ``{"edited_rows": {i: {column: value}},
    "added_rows": [{column: value}], "deleted_rows": [i]}``. Empty cells of an
    added row take :data:`NEW_ROW`'s values.

    >>> apply_table_edits([(0, 0.1), (1, 0.8)], {"edited_rows": {1: {"prediction": 0.3}},
    ...                   "added_rows": [{"label": 0}], "deleted_rows": [0]}, "probability")
    [(1, 0.3), (0, 0.5)]
    """
    _check_kind(kind)
    table = [{"label": t, "prediction": p} for t, p in rows]
    for i, change in (edits.get("edited_rows") or {}).items():
        i = int(i)
        if 0 <= i < len(table):
            table[i].update({k: v for k, v in change.items() if k in CSV_COLUMNS})
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    table = [row for i, row in enumerate(table) if i not in deleted]
    for added in edits.get("added_rows") or []:
        table.append({"label": NEW_ROW[0], "prediction": NEW_ROW[1],
                      **{k: v for k, v in added.items() if k in CSV_COLUMNS and v is not None}})
    if len(table) > MAX_SAMPLES:
        raise InputError(f"{len(table)} samples; at most {MAX_SAMPLES} fit in the table")
    return [check_sample(r["label"] if r["label"] is not None else NEW_ROW[0],
                         r["prediction"] if r["prediction"] is not None else NEW_ROW[1],
                         kind, f"row {n}")
            for n, r in enumerate(table, start=1)]
