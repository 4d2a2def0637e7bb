"""Binary samples (label, prediction) from text, CSV files and table edits, and back.

Errors name the sample or row (1 = the first) and the column; echoed cells are cut
short. The CSV a student downloads is a record (each sample's p, z and loss and the
settings, in ``#`` comment lines) that uploads again as the same table.
"""

from __future__ import annotations

import math

from cevis import InputError
from cevis_app.text.csvfile import csv_body
from cevis_app.text.csvfile import number
from cevis_app.text.csvfile import read_csv_rows
from cevis_app.text.csvfile import shown
from cevis_app.text.csvfile import shown_header
from cevis_app.text.edits import apply_record_edits

MAX_SAMPLES = 500  # rows; the table also travels in the URL, which must stay shareable
PREDICTION_KINDS = ("probability", "logit")
CSV_COLUMNS = ("label", "prediction")
NEW_ROW = (1, 0.5)  # what an added, still empty row of the editor becomes (0.5: p, or 0.5: z)
KIND_LINE = "# predictions are: "  # the record's comment line that names the kind
LOSS_RULES = {  # what explain_binary computes for each kind, in the record's words
    "probability": "loss = -[t log p + (1 - t) log(1 - p)] as torch.nn.BCELoss "
                   "(log clamped at -100); z = log(p / (1 - p))",
    "logit": "p = sigmoid(z); loss = -[t log p + (1 - t) log(1 - p)] as "
             "torch.nn.BCEWithLogitsLoss (computed from z; stable)",
}


def check_kind(kind):
    if kind not in PREDICTION_KINDS:
        raise InputError(f"kind is {shown(kind)}; expected one of {PREDICTION_KINDS}")


def check_sample(label_raw, prediction_raw, kind: str, where: str) -> tuple[int, float]:
    """One ``(label, prediction)`` pair, validated; ``where`` says which row it is."""
    label = number(label_raw, f"{where}, column 'label'")
    if label not in (0.0, 1.0):
        raise InputError(f"{where}, column 'label': {label:g} is not 0 or 1")
    pred = number(prediction_raw, f"{where}, column 'prediction'")
    if kind == "probability" and not 0.0 <= pred <= 1.0:
        raise InputError(f"{where}, column 'prediction': {pred:g} is not a probability in [0, 1]")
    return int(label), pred


def parse_samples(text, kind: str) -> list[tuple[int, float]]:
    """``"1:0.91, 0:0.07"`` -> ``[(1, 0.91), (0, 0.07)]``, or :class:`InputError` naming the item.

    >>> parse_samples("0:0.07, 1:0.91", "probability")
    [(0, 0.07), (1, 0.91)]
    """
    check_kind(kind)
    items = [s for s in str(text).replace(";", ",").split(",") if s.strip()]
    if len(items) > MAX_SAMPLES:
        raise InputError(f"{len(items)} samples; at most {MAX_SAMPLES} fit in the table")
    rows = []
    for i, item in enumerate(items, start=1):
        parts = item.split(":")
        if len(parts) != 2:
            raise InputError(f"sample {i} ({shown(item.strip())}): expected label:prediction, "
                             "e.g. 1:0.91")
        rows.append(check_sample(parts[0], parts[1], kind, f"sample {i}"))
    return rows


def _declared_kind(comments, kind: str) -> str:
    """The kind a record's comment line names (a downloaded file), else ``kind``."""
    for line in comments:
        text = ",".join(line).strip()
        if text.startswith(KIND_LINE.strip()):
            declared = text[len(KIND_LINE.strip()):].strip()
            if declared in PREDICTION_KINDS:
                return declared
    return kind


def parse_samples_csv(data: bytes, kind: str) -> tuple[list[tuple[int, float]], str]:
    """A CSV file with the columns ``label`` and ``prediction`` -> (rows, kind), or an InputError.

    Lines starting with ``#`` are comments; a ``# predictions are: logit`` line (as in
    a downloaded record) sets the kind, else ``kind`` is kept. Other columns are
    ignored. Errors name the row (1 = the first row under the header) and the column.

    >>> parse_samples_csv(b"label,prediction\\n1,0.9\\n0,0.2\\n", "probability")
    ([(1, 0.9), (0, 0.2)], 'probability')
    """
    check_kind(kind)
    lines = read_csv_rows(data, "'label,prediction'")
    comments = [ln for ln in lines if ln[0].lstrip().startswith("#")]
    lines = [ln for ln in lines if not ln[0].lstrip().startswith("#")]
    kind = _declared_kind(comments, kind)
    if not lines:
        raise InputError("the file holds only comment lines; expected a header 'label,prediction' "
                         "and one row per sample")
    header = [c.strip().lower() for c in lines[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(f"the header has the columns {shown_header(lines[0])}; expected 'label' "
                         f"and 'prediction' (missing: {', '.join(missing)})")
    body = csv_body(lines, MAX_SAMPLES, "in the table")
    li, pi = header.index("label"), header.index("prediction")
    rows = []
    for n, line in enumerate(body, start=1):
        if len(line) <= max(li, pi):
            raise InputError(f"row {n}: {len(line)} value(s); expected {len(header)}, "
                             "one per column of the header")
        rows.append(check_sample(line[li], line[pi], kind, f"row {n}"))
    return rows, kind


def _g(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.10g}"  # 10 digits: a record, not a dump


def samples_to_csv(rows, kind: str, breakdown=None) -> str:
    """Rows -> a CSV record: settings in ``#`` lines, then label, prediction (exact), p, z, loss.

    ``breakdown`` is the :class:`~cevis_app.views.binary.BinaryBreakdown` of the rows
    (its ``probs``, ``logits``, ``loss``, ``total`` and ``mean``); without it only
    label and prediction are written. :func:`parse_samples_csv` reads either back.
    """
    check_kind(kind)
    head = ["# cevis: binary cross-entropy of a table of samples",
            f"{KIND_LINE}{kind}"]
    if breakdown is None or not len(rows):
        return "\n".join(head + ["label,prediction"]
                         + [f"{t},{p!r}" for t, p in rows]) + "\n"
    head += [f"# {LOSS_RULES[kind]}",
             f"# samples: {len(rows)}; sum of losses (reduction='sum'): {_g(breakdown.total)}; "
             f"mean loss (reduction='mean'): {_g(breakdown.mean)}",
             "label,prediction,p,z,loss"]
    body = [f"{t},{pred!r},{_g(p)},{_g(z)},{_g(loss)}" for (t, pred), p, z, loss
            in zip(rows, breakdown.probs, breakdown.logits, breakdown.loss)]
    return "\n".join(head + body) + "\n"


def apply_table_edits(rows, edits, kind: str) -> list[tuple[int, float]]:
    """Apply a data-editor change set to binary samples, validated (errors name the row).

    ``rows`` are the rows the editor was built from; ``edits`` its whole change set.

    >>> apply_table_edits([(0, 0.1), (1, 0.8)], {"edited_rows": {1: {"prediction": 0.3}},
    ...                   "added_rows": [{"label": 0}], "deleted_rows": [0]}, "probability")
    [(1, 0.3), (0, 0.5)]
    """
    check_kind(kind)
    table = apply_record_edits(rows, edits, CSV_COLUMNS, NEW_ROW, max_rows=MAX_SAMPLES)
    return [check_sample(NEW_ROW[0] if t is None else t, NEW_ROW[1] if p is None else p, kind,
                         f"row {n}") for n, (t, p) in enumerate(table, start=1)]
