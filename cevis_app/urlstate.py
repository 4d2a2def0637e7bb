"""Pure helpers for what a page keeps in its URL beyond Streamlit's ``bind=``: slider snapping,
links that open the Explorer on given logits, the Binary page's samples as the URL carries
them, and the row a chart click selected."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

SAMPLE = "explorer"  # the Explorer, Gradients and Descent pages share these keys (and URL)
MIN_CLASSES, MAX_CLASSES = 2, 10  # the Explorer's class count slider
LOGIT_RANGE = 10.0  # sliders span [-10, 10]: enough to saturate softmax at every T >= 0.5


def snap(value: float, step: float, low: float) -> float:
    """A slider value on its step grid: a link may carry 1.03 where the slider shows 1.05.

    Bound sliders accept such values from the URL as they are; computing with the
    snapped value keeps every number on the page equal to what the slider shows.

    >>> snap(1.03, 0.05, 0.1)
    1.05
    """
    return round(low + round((float(value) - low) / step) * step, 10)


def format_samples(rows) -> str:
    """Binary samples in the form the URL (and the Binary page's text box) carries.

    The reader of this form is ``text.samples.parse_samples``, for untrusted text.

    >>> format_samples([(1, 0.91), (0, 0.07)])
    '1:0.91, 0:0.07'
    """
    return ", ".join(f"{t}:{p:.6g}" for t, p in rows)


def explorer_link(logits, true_index, class_names) -> str:
    """A link that opens the Explorer on these logits (clipped to its slider range).

    >>> explorer_link([2.0, 0.5], 0, ["a", "b"])
    '/explorer?explorer.classes=2&explorer.names=a%2C+b&explorer.y=0&explorer.z0=0&explorer.z1=-1.5'
    """
    z = np.clip(np.round(np.asarray(logits, float) - np.max(logits), 2), -LOGIT_RANGE, LOGIT_RANGE)
    query = {f"{SAMPLE}.classes": len(class_names), f"{SAMPLE}.names": ", ".join(class_names),
             f"{SAMPLE}.y": int(true_index)}
    query.update({f"{SAMPLE}.z{i}": f"{v:g}" for i, v in enumerate(z)})
    return "/explorer?" + urlencode(query)


def selected_row(event):
    """The data-set row of the point clicked in a chart whose customdata is that row, or None."""
    try:
        points = event.selection.points
    except AttributeError:
        return None
    for point in points or []:
        row = point.get("customdata")
        if isinstance(row, list):
            row = row[0] if row else None
        if isinstance(row, (int, float)):
            return int(row)
    return None
