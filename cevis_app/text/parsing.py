"""User text and URL values -> clean Python values, with clear errors.

Anything a person types or a link carries is untrusted: these functions never
raise on it, they return a cleaned value (and, where something was dropped, say
what in a message the page can show). Here: multiclass batches (class names are in
views/class_names.py);
binary samples are in samples.py, CSV decoding in csvfile.py, editor change sets
in edits.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cevis import InputError
from cevis_app.text.csvfile import csv_body
from cevis_app.text.csvfile import number
from cevis_app.text.csvfile import read_csv_rows
from cevis_app.text.csvfile import shown
from cevis_app.text.csvfile import shown_header

# ---------------------------------------------------------------- multiclass batches
MAX_BATCH_ROWS = 200  # rows of the Batch page; the batch also travels in the URL
MAX_BATCH_CLASSES = 10
ROW_SUM_TOLERANCE = 1e-3  # typed probabilities may miss 1 by rounding to 3 decimals
TARGET_KINDS = ("index", "one-hot", "soft")
PRED_KINDS = ("logits", "probabilities")


@dataclass(frozen=True)
class BatchRows:
    """A parsed batch: targets (ints, or rows of floats) and prediction rows."""

    targets: list  # [N] class indices, or [N][C] distributions
    preds: list  # [N][C]
    target_kind: str
    pred_kind: str

    @property
    def num_classes(self) -> int:
        return len(self.preds[0]) if self.preds else 0

    def __len__(self) -> int:
        return len(self.preds)


def _numbers(text: str, where: str) -> list[float]:
    parts = [s for s in text.split(",")]
    if not any(p.strip() for p in parts):
        raise InputError(f"{where}: no numbers")
    return [number(p, where) for p in parts]


def _distribution(values, where, *, one_hot=False) -> list[float]:
    if any(not 0.0 <= v <= 1.0 for v in values):
        bad = next(v for v in values if not 0.0 <= v <= 1.0)
        raise InputError(f"{where}: {bad:g} is not a probability in [0, 1]")
    total = sum(values)
    if abs(total - 1.0) > ROW_SUM_TOLERANCE:
        raise InputError(f"{where}: the probabilities sum to {total:.6g}; expected 1")
    if one_hot and sorted(values) != [0.0] * (len(values) - 1) + [1.0]:
        raise InputError(f"{where}: {', '.join(f'{v:g}' for v in values)} is not one-hot; "
                         "expected a single 1 and zeros")
    return [v / total for v in values]  # exactly 1 after rounding was accepted


def _index_target(text, n: int, c: int, ignore_index) -> int:
    """Row n's target as a class index in [0, c), or ignore_index."""
    values = _numbers(text, f"row {n}, target")
    if len(values) != 1:
        raise InputError(f"row {n}, target: {len(values)} numbers; expected one class "
                         "index (or switch the target kind to one-hot or soft)")
    value = values[0]
    if value != int(value):
        raise InputError(f"row {n}, target: {value:g} is not a whole class index")
    k = int(value)
    if not (0 <= k < c or (ignore_index is not None and k == ignore_index)):
        also = "" if ignore_index is None else f" or ignore_index ({ignore_index})"
        raise InputError(f"row {n}, target: class {k} does not exist; expected 0 to "
                         f"{c - 1}{also}")
    return k


def _distribution_target(text, n: int, c: int, *, one_hot: bool) -> list[float]:
    """Row n's target as c probabilities summing to 1 (one-hot if asked)."""
    t = _numbers(text, f"row {n}, target")
    if len(t) != c:
        raise InputError(f"row {n}, target: {len(t)} values; expected {c}, one per class")
    return _distribution(t, f"row {n}, target", one_hot=one_hot)


def parse_batch(text, target_kind: str, pred_kind: str, *, ignore_index=None) -> BatchRows:
    """``"0 | 2, 1, 0.1; 1 | 0.5, 2.5, 0"`` -> a validated :class:`BatchRows`.

    Each row is ``target | predictions``; rows are separated by ``;``. The target is
    a class index (``target_kind="index"``) or a comma-separated distribution
    ("one-hot" or "soft"). Errors name the row and what is wrong with it.

    >>> b = parse_batch("0 | 2, 1, 0.1; 1 | 0.5, 2.5, 0", "index", "logits")
    >>> b.targets, b.preds[1]
    ([0, 1], [0.5, 2.5, 0.0])
    """
    if target_kind not in TARGET_KINDS:
        raise InputError(f"target_kind is {target_kind!r}; expected one of {TARGET_KINDS}")
    if pred_kind not in PRED_KINDS:
        raise InputError(f"pred_kind is {pred_kind!r}; expected one of {PRED_KINDS}")
    rows = [r for r in str(text).split(";") if r.strip()]
    if len(rows) > MAX_BATCH_ROWS:
        raise InputError(f"{len(rows)} rows; at most {MAX_BATCH_ROWS} fit on the page")
    targets, preds = [], []
    for n, row in enumerate(rows, start=1):
        if row.count("|") != 1:
            raise InputError(f"row {n} ({shown(row.strip())}): expected 'target | predictions'")
        t_text, p_text = row.split("|")
        pred = _numbers(p_text, f"row {n}, predictions")
        c = len(preds[0]) if preds else len(pred)
        if len(pred) != c:
            raise InputError(f"row {n}: {len(pred)} predictions; expected {c}, as in row 1 "
                             "(one per class)")
        if not 2 <= c <= MAX_BATCH_CLASSES:
            raise InputError(f"row {n}: {c} classes; expected 2 to {MAX_BATCH_CLASSES}")
        if pred_kind == "probabilities":
            pred = _distribution(pred, f"row {n}, predictions")
            if min(pred) == 0.0:
                raise InputError(f"row {n}, predictions: a probability of exactly 0 has log −inf "
                                 "(the loss is inf or nan); give a small positive value such as "
                                 "1e-12, or switch the predictions to logits")
        targets.append(_index_target(t_text, n, c, ignore_index) if target_kind == "index"
                       else _distribution_target(t_text, n, c, one_hot=target_kind == "one-hot"))
        preds.append(pred)
    return BatchRows(targets, preds, target_kind, pred_kind)


def _fmt_row(values) -> str:
    return ", ".join(f"{v:.10g}" for v in values)  # 10 digits: exact for typed numbers


def format_batch(batch: BatchRows) -> str:
    """The inverse of :func:`parse_batch` (what the URL carries)."""
    out = []
    for t, p in zip(batch.targets, batch.preds):
        target = str(t) if batch.target_kind == "index" else _fmt_row(t)
        out.append(f"{target} | {_fmt_row(p)}")
    return "; ".join(out)


def batch_columns(target_kind: str, pred_kind: str, num_classes: int) -> list[str]:
    """Column names of the batch as a table: ``target`` or ``t0..``, then ``z0..`` or ``p0..``."""
    t = ["target"] if target_kind == "index" else [f"t{i}" for i in range(num_classes)]
    return t + [("z" if pred_kind == "logits" else "p") + str(i) for i in range(num_classes)]


def batch_records(batch: BatchRows) -> list[list[float]]:
    """Rows of the table of :func:`batch_columns`."""
    return [([t] if batch.target_kind == "index" else list(t)) + list(p)
            for t, p in zip(batch.targets, batch.preds)]


def batch_from_records(records, target_kind, pred_kind, num_classes, *, ignore_index=None):
    """Table rows back to a validated batch (errors name the row, 1-based)."""
    nt = 1 if target_kind == "index" else num_classes
    parts = []
    for n, rec in enumerate(records, start=1):
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in rec):
            raise InputError(f"row {n}: an empty cell; expected a number in every column")
        rec = [number(v, f"row {n}, column {i + 1}") for i, v in enumerate(rec)]  # editor cells may be text
        parts.append(f"{_fmt_row(rec[:nt]) if nt > 1 else f'{rec[0]:.10g}'} | {_fmt_row(rec[nt:])}")
    return parse_batch("; ".join(parts), target_kind, pred_kind, ignore_index=ignore_index)


def batch_to_csv(batch: BatchRows) -> str:
    cols = batch_columns(batch.target_kind, batch.pred_kind, batch.num_classes)
    lines = [",".join(cols)] + [",".join(f"{v!r}" if isinstance(v, float) else str(v) for v in r)
                                for r in batch_records(batch)]
    return "\n".join(lines) + "\n"


def parse_batch_csv(data: bytes, *, ignore_index=None) -> BatchRows:
    """A CSV with ``target`` or ``t0..tC-1`` and ``z0..`` or ``p0..`` columns -> a batch.

    The kinds come from the header: ``target`` means class indices, ``t0..`` a
    distribution (one-hot if every row is), ``z0..`` logits and ``p0..`` probabilities.

    >>> b = parse_batch_csv(b"target,z0,z1\\n1,0.5,2\\n")
    >>> b.target_kind, b.pred_kind, b.targets
    ('index', 'logits', [1])
    """
    lines = read_csv_rows(data, "such as 'target,z0,z1,z2'")
    header = [c.strip().lower() for c in lines[0]]
    zs = [h for h in header if re.fullmatch(r"z\d+", h)]
    ps = [h for h in header if re.fullmatch(r"p\d+", h)]
    ts = [h for h in header if re.fullmatch(r"t\d+", h)]
    if bool(zs) == bool(ps):
        raise InputError(f"the header has the columns {shown_header(lines[0])}; expected prediction columns "
                         "z0, z1, ... (logits) or p0, p1, ... (probabilities), not both")
    pred_cols = zs or ps
    c = len(pred_cols)
    if pred_cols != [pred_cols[0][0] + str(i) for i in range(c)]:
        raise InputError(f"the prediction columns are {shown_header(pred_cols)}; expected them "
                         "numbered from 0")
    if "target" in header:
        target_cols, target_kind = ["target"], "index"
    elif ts == [f"t{i}" for i in range(c)]:
        target_cols, target_kind = ts, "soft"
    else:
        raise InputError(f"the header has the columns {shown_header(lines[0])}; expected a 'target' column "
                         f"(class indices) or t0..t{c - 1} (one probability per class)")
    body = csv_body(lines, MAX_BATCH_ROWS, "on the page")
    idx = [header.index(col) for col in target_cols + pred_cols]
    records = []
    for n, line in enumerate(body, start=1):
        if len(line) < len(header):
            raise InputError(f"row {n}: {len(line)} value(s); expected {len(header)}, "
                             "one per column of the header")
        records.append([number(line[i], f"row {n}, column {header[i]!r}") for i in idx])
    pred_kind = "logits" if zs else "probabilities"
    if target_kind == "soft" and all(sorted(r[:c]) == [0.0] * (c - 1) + [1.0] for r in records):
        target_kind = "one-hot"
    return batch_from_records(records, target_kind, pred_kind, c, ignore_index=ignore_index)


def parse_weights(text, num_classes: int) -> tuple[float, ...]:
    """``"1, 5, 1"`` -> one non-negative weight per class, or an InputError saying what is wrong.

    >>> parse_weights("1, 5, 1", 3)
    (1.0, 5.0, 1.0)
    """
    values = _numbers(str(text), "weight")
    if len(values) != num_classes:
        raise InputError(f"{len(values)} weight(s); expected {num_classes}, one per class")
    negative = [f"{v:g} (class {i})" for i, v in enumerate(values) if v < 0]
    if negative:
        raise InputError(f"negative weight {', '.join(negative)}; expected weights >= 0")
    return tuple(values)
