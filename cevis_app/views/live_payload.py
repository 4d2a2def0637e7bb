"""The live component's payload: cevis's tables as small fixed-point arrays in JSON.

Every number is sent as an integer in units of its shown precision (probabilities,
losses and gradients in 1e-4, logits and temperatures in 1e-2), rounded exactly as
Python's ``f"{x:.4f}"`` rounds, so what the browser prints is what the server would.
Arrays travel packed back to back (little-endian ``u2`` uint16, ``i2`` int16, ``i4``
int32, ``i1`` int8: 2 bytes a probability where JSON text needs ~7), deflated, base64.
Pure numpy + stdlib; no streamlit.
"""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np

from .live import LOGIT_GRID
from .live import SHIFT_STEP
from .live import LiveTables
from .live import Table
from .live_binary import PROB_GRID
from .live_binary import BinaryLiveTables
from .live_binary import BinaryTable

SCALE = {4: 10_000, 2: 100, 1: 10}  # decimals shown -> integer units
NEAR_HALF = 1e-6  # |frac - 0.5| below this: x * 10**d may have rounded the wrong way; redo exactly
PAYLOAD_VERSION = 2  # bumped when the browser's decoder must change with it
ZLIB_LEVEL = 6  # zlib's default: level 9 saves ~1 % more for twice the time
FULL_SUM_UP_TO = 4  # classes whose softmax formula writes every e^{z_j/T} out (text.formulas')
ROW_VECTORS_UP_TO = 3  # classes whose gradient vectors are rows at T = 1 (text.formulas')


def fixed(x, decimals: int) -> np.ndarray:
    """``x`` as int64 units of ``10**-decimals``, each equal to ``f"{x:.{decimals}f}"``.

    ``rint(x * 10**d)`` is right except where the product lands within a hair of a
    half; those few are redone from Python's correctly rounded formatting.

    >>> fixed([0.41703, -0.341, 1.00005], 4).tolist()  # 1.00005 is 1.0000500000000001 as a double
    [4170, -3410, 10001]
    """
    x = np.asarray(x, dtype=np.float64)
    scaled = x * SCALE[decimals]
    n = np.rint(scaled).astype(np.int64)
    frac = scaled - np.floor(scaled)
    for i in np.flatnonzero(np.abs(frac - 0.5) < NEAR_HALF):
        n.flat[i] = int(f"{x.flat[i]:.{decimals}f}".replace(".", ""))
    return n


class Blob:
    """Integer arrays packed back to back into one buffer; ``index`` says where each one is."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.index: dict[str, list] = {}  # name -> [dtype code, byte offset, count]
        self.size = 0

    def add(self, name: str, n, kind: str | None = None) -> None:
        """Append ``n`` in the smallest type that holds it (or ``kind``), 4-byte aligned."""
        n = np.asarray(n).ravel()
        if kind is None:
            low, high = (int(n.min()), int(n.max())) if n.size else (0, 0)
            kind = ("i1" if -128 <= low and high <= 127 else
                    "u2" if 0 <= low and high <= 65535 else
                    "i2" if -32768 <= low and high <= 32767 else "i4")
        # byte planes (every element's low byte, then every high byte, ...): smooth series
        # then deflate ~20 % smaller; the browser puts the bytes back, no arithmetic
        data = n.astype("<" + kind).view(np.uint8).reshape(n.size, -1).T.tobytes()
        self.index[name] = [kind, self.size, int(n.size)]
        pad = -len(data) % 4  # typed arrays need offsets aligned to their element size
        self.parts.append(data + bytes(pad))
        self.size += len(data) + pad

    def add_text(self, name: str, strings) -> None:
        """Append strings as UTF-8, one per line (the browser splits them back)."""
        data = "\n".join(strings).encode()
        self.index[name] = ["utf8", self.size, len(data)]
        pad = -len(data) % 4
        self.parts.append(data + bytes(pad))
        self.size += len(data) + pad

    def encoded(self) -> str:
        """zlib-deflated, base64: the browser inflates it with DecompressionStream("deflate")."""
        return base64.b64encode(zlib.compress(b"".join(self.parts), ZLIB_LEVEL)).decode("ascii")


def symmetric_shifts(shifts) -> tuple[np.ndarray, np.ndarray]:
    """The shift track's positions, centred on 0 (``[-M, M]``, M the farther reachable end), and
    for each position the row of ``shifts`` it shows: beyond the reachable ends, the end.

    >>> sym, rows = symmetric_shifts(np.array([-0.2, -0.1, 0.0]))
    >>> print(sym, rows)
    [-0.2 -0.1  0.   0.1  0.2] [0 1 2 2 2]
    """
    steps = np.rint(shifts / SHIFT_STEP).astype(int)  # 0.1 multiples, as shift_grid made them
    reach = int(max(-steps[0], steps[-1]))
    positions = np.arange(-reach, reach + 1)
    return positions * SHIFT_STEP, np.clip(positions - steps[0], 0, steps.size - 1)


def denominators(table: Table, true_index: int) -> list[str]:
    r"""``\sum_j e^{z_j/T}`` of each row as the formula prints it (4 significant digits).

    Computed as ``e^{z_y/T} / p_y``, the expression the server's formula used, so both agree.

    >>> from cevis_app.views.live import evaluate
    >>> denominators(evaluate([[0.0, 0.0], [100.0, 0.0]], [1.0, 1.0], 0), 0)
    ['2', '2.688e+43']
    """
    sums = np.exp(table.scaled[:, true_index]) / table.probs[:, true_index]
    return [f"{v:.4g}" for v in sums.tolist()]


TABLE_DECIMALS = {"probs": 4, "grads": 4, "losses": 4, "neg_log_probs": 4, "logits": 2,
                  "scaled": 2}  # what add_table sends of a Table, in units of 10**-decimals


def fixed_tables(tables: list[Table]) -> list[dict[str, np.ndarray]]:
    """Each table's arrays as :func:`fixed` makes them, converted in one call per field for all
    the tables at once: ``fixed`` costs ~30 µs a call whatever the size, and a payload sends
    six fields of five tables (``fixed`` is element-wise, so the rows are the same).

    >>> from cevis_app.views.live import evaluate
    >>> a, b = evaluate([[2.0, 1.0]], [1.0], 0), evaluate([[0.0, 0.5], [1.0, 1.0]], [2.0, 1.0], 1)
    >>> [fx["probs"].tolist() for fx in fixed_tables([a, b])]
    [[[7311, 2689]], [[4378, 5622], [5000, 5000]]]
    """
    ends = np.cumsum([0] + [len(t.losses) for t in tables])
    out: list[dict[str, np.ndarray]] = [{} for _ in tables]
    for field, decimals in TABLE_DECIMALS.items():
        whole = fixed(np.concatenate([getattr(t, field) for t in tables]), decimals)
        for fx, a, b in zip(out, ends[:-1], ends[1:]):
            fx[field] = whole[a:b]
    return out


def add_table(blob: Blob, prefix: str, table: Table, fx: dict, *, logits: bool,
              scaled: bool = True, true_index: int | None = None) -> None:
    """One :class:`Table`: p, dL/dz, loss, -log p_j (1e-4 units), predicted; z and z/T (1e-2)
    if asked; the softmax denominators as text if ``true_index`` is given. ``fx``: the
    table's arrays in units (:func:`fixed_tables`).

    ``[R, C]`` arrays go class by class (element ``j * R + r``): each class's values
    along a drag are a smooth series, which deflates a third smaller than row by row.
    """
    blob.add(prefix + ".p", fx["probs"].T)
    blob.add(prefix + ".g", fx["grads"].T)
    blob.add(prefix + ".l", fx["losses"], "i4")
    blob.add(prefix + ".nl", fx["neg_log_probs"].T)
    blob.add(prefix + ".y", table.predicted, "i1")
    if logits:
        blob.add(prefix + ".z", fx["logits"].T, "i2")
    if scaled:
        blob.add(prefix + ".zt", fx["scaled"].T)
    if true_index is not None:
        blob.add_text(prefix + ".den", denominators(table, true_index))


def encode_live(tables: LiveTables, names, curve_p, curve_loss) -> dict:
    """The Explorer's payload: the tables, the grids, class names and the −log p curve.

    ``curve_p`` / ``curve_loss`` ``[K]``: points of −log p the browser joins with lines.
    A handle row's logits are the grid value and the sample's, a temperature row's the
    sample's: neither is sent again. Likewise a handle row's z/T is the sample's but for
    the dragged logit's, ``handles.zt`` ``[G]`` (grid / T).
    """
    blob = Blob()
    y, g = tables.true_index, tables.logit_grid.size
    den = y if len(names) > FULL_SUM_UP_TO else None  # beyond, the formula shows the sum's value
    blob.add("grid", fixed(tables.logit_grid, 2), "i2")
    blob.add("tgrid", fixed(tables.temp_grid, 2), "i2")
    blob.add("sgrid", fixed(tables.shift_grid, 2), "i2")
    sym, rows = symmetric_shifts(tables.shift_grid)
    blob.add("sym", fixed(sym, 2), "i2")
    blob.add("spos", rows, "i2")
    parts = [tables.handles, tables.temps, tables.shifts, tables.current, tables.ghost]
    fx = fixed_tables(parts + ([tables.handle_ghost] if tables.handle_ghost is not None else []))
    add_table(blob, "handles", tables.handles, fx[0], logits=False, scaled=False, true_index=den)
    blob.add("handles.zt", fx[0]["scaled"][:g, 0])
    add_table(blob, "temps", tables.temps, fx[1], logits=False, true_index=den)
    add_table(blob, "shifts", tables.shifts, fx[2], logits=True, true_index=den)
    add_table(blob, "current", tables.current, fx[3], logits=True, true_index=den)
    add_table(blob, "ghost", tables.ghost, fx[4], logits=False, scaled=False)
    if tables.handle_ghost is not None:  # p only: the ghost is drawn, never printed
        blob.add("hghost.p", fx[5]["probs"].T)
    blob.add("curve.p", fixed(curve_p, 4), "i4")
    blob.add("curve.l", fixed(curve_loss, 4), "i4")
    return {"v": PAYLOAD_VERSION, "kind": "multiclass", "names": [str(n) for n in names],
            "y": tables.true_index, "full_sum": FULL_SUM_UP_TO, "row_vectors": ROW_VECTORS_UP_TO,
            "gscale": int(fixed(max(1.0, 1.0 / tables.temperature), 4)),  # a full gradient bar
            "T": int(fixed(tables.temperature, 2)),
            "index": blob.index, "blob": blob.encoded()}


SIGMOID_X_LIMIT = 10.5  # a p-row's logit beyond the sigmoid chart's [-10, 10] is drawn at its edge


def _binary_text(table: BinaryTable, t: int) -> dict[str, list[str]]:
    """What the page prints for each row, formatted as the page formats it."""
    loss = table.loss_if_1 if t == 1 else table.loss_if_0
    return {"p": [f"{v:.4f}" for v in table.probs], "l": [f"{v:.4f}" for v in loss],
            "gz": [f"{v:+.4f}" for v in table.grad_logit],
            "gp": [f"{v:+.4g}".replace("inf", "∞") for v in table.grad_prob],
            "z": [f"{v:.2f}".replace("inf", "∞") for v in table.logits]}


def add_binary_table(blob: Blob, prefix: str, table: BinaryTable, t: int) -> None:
    """Positions to draw (p, p - t, both losses in 1e-4; z in 1e-2, clipped to the chart), texts."""
    blob.add(prefix + ".p", fixed(table.probs, 4), "u2")
    blob.add(prefix + ".gz", fixed(table.grad_logit, 4), "i2")
    blob.add(prefix + ".l1", fixed(table.loss_if_1, 4), "i4")
    blob.add(prefix + ".l0", fixed(table.loss_if_0, 4), "i4")
    blob.add(prefix + ".z", fixed(np.clip(table.logits, -SIGMOID_X_LIMIT, SIGMOID_X_LIMIT), 2), "i2")
    for field, strings in _binary_text(table, t).items():
        blob.add_text(f"{prefix}.text.{field}", strings)


def encode_binary(tables: BinaryLiveTables, kind: str) -> dict:
    """The Binary page's payload; ``kind`` is what a drag moves: "logit" or "probability"."""
    blob = Blob()
    blob.add("grid", fixed(LOGIT_GRID, 2), "i2")
    blob.add("pgrid", fixed(PROB_GRID, 4), "u2")
    add_binary_table(blob, "by_logit", tables.by_logit, tables.target)
    add_binary_table(blob, "by_prob", tables.by_prob, tables.target)
    add_binary_table(blob, "current", tables.current, tables.target)
    return {"v": PAYLOAD_VERSION, "kind": "binary", "drag": kind, "t": tables.target,
            "zrange": [int(fixed(LOGIT_GRID[0], 2)), int(fixed(LOGIT_GRID[-1], 2))],
            "index": blob.index, "blob": blob.encoded()}



def payload_bytes(payload: dict) -> int:
    """Size of the payload as Streamlit sends it (compact JSON, UTF-8)."""
    return len(json.dumps(payload, separators=(",", ":")).encode())

