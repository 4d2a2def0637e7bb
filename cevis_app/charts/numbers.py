"""The numbers behind a chart, as rows: the text alternative every chart gets.

A screen reader (or anyone who wants the values) reads the table instead of the picture:
bars give one row per bar, short lines one row per point, long curves ``CURVE_ROWS``
evenly spaced samples, small heatmaps one row per cell. No plotly objects, no streamlit.
"""

from __future__ import annotations

import numpy as np

CURVE_ROWS = 11  # samples of a long curve: its shape in a table that still fits a screen
MAX_CELLS = 100  # heatmaps with more cells (the Iris decision regions) are pictures, not tables


def _values(v) -> list:
    if v is None:
        return []
    return v.tolist() if isinstance(v, np.ndarray) else list(v)


def _rounded(v):
    return round(v, 4) if isinstance(v, float) and np.isfinite(v) else v


def _rows_of(trace, series) -> list[dict]:
    kind = trace.get("type", "scatter")
    if kind == "heatmap":
        z = np.asarray(trace.get("z", []), dtype=float)
        if z.ndim != 2 or z.size > MAX_CELLS:
            return []
        xs = _values(trace.get("x")) or list(range(z.shape[1]))
        ys = _values(trace.get("y")) or list(range(z.shape[0]))
        return [dict(series=series, x=xs[j], y=ys[i], value=_rounded(float(z[i, j])))
                for i in range(z.shape[0]) for j in range(z.shape[1])]
    axes = ("a", "b", "c") if kind == "scatterternary" else ("x", "y")
    columns = [_values(trace.get(a)) for a in axes]
    n = min(len(c) for c in columns)
    if n == 0:
        return []
    keep = range(n) if n <= 2 * CURVE_ROWS else \
        np.unique(np.linspace(0, n - 1, CURVE_ROWS).round().astype(int))
    return [dict(series=series, **{a: _rounded(c[i]) for a, c in zip(axes, columns)})
            for i in keep if columns[1][i] is not None]


def chart_numbers(fig) -> list[dict]:
    """Rows ``{series, x, y}`` (ternary: ``a, b, c``; heatmap: ``x, y, value``) of a figure's
    visible traces, as first drawn (an animation: its first frame).

    >>> from cevis_app.charts._unvalidated import PlainFigure
    >>> chart_numbers(PlainFigure(data=[dict(type="bar", x=["a", "b"], y=np.array([0.25, 0.75]))]))
    [{'series': 'bar 1', 'x': 'a', 'y': 0.25}, {'series': 'bar 1', 'x': 'b', 'y': 0.75}]
    """
    spec = fig.__dict__.get("_spec") or fig.to_plotly_json()
    rows = []
    for i, trace in enumerate(spec.get("data", ())):
        if trace.get("hoverinfo") == "skip" and trace.get("type") != "heatmap" or \
                trace.get("visible") is False:
            continue  # decoration (a legend key, a shading), not data
        series = trace.get("name") or f"{trace.get('type', 'scatter')} {i + 1}"
        rows.extend(_rows_of(trace, series))
    return _one_type_per_column(rows)


def _one_type_per_column(rows) -> list[dict]:
    """Write a column as text when it mixes text and numbers (class names and a curve's x):
    a table column has one type."""
    mixed = {k for k in {k for r in rows for k in r}
             if len({isinstance(r[k], str) for r in rows if k in r}) > 1}
    return [{k: str(v) if k in mixed else v for k, v in r.items()} for r in rows] if mixed else rows
