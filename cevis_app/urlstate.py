"""The shared sample's spec (keys, ranges, steps, defaults: defined once, here), and pure helpers
for what a page keeps in its URL beyond Streamlit's ``bind=``: slider snapping, links that open
the Explorer on given logits, the Binary page's samples as the URL carries them, and the row a
chart click selected."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np


@dataclass(frozen=True)
class Span:
    """A slider's range, step and default; ``drag`` is the live view's coarser drag step."""

    low: float
    high: float
    step: float
    default: float
    drag: float | None = None

    def grid(self, step: float | None = None) -> np.ndarray:
        """Every value from low to high in ``step`` (the slider's own by default), exactly.

        >>> print(Span(0.1, 0.3, 0.05, 0.1).grid())
        [0.1  0.15 0.2  0.25 0.3 ]
        """
        step = self.step if step is None else step
        count = round((self.high - self.low) / step)
        return np.round(self.low + np.arange(count + 1) * step, 10)


@dataclass(frozen=True)
class SampleSpec:
    """The Explorer's sample, shared by Explorer, Gradients, Descent, rooms and the live view.

    Keys are ``{prefix}.classes``, ``.names``, ``.y``, ``.T`` and ``.z0`` ... ``.z9``: a public
    contract (shared links), never renamed.
    """

    prefix: str
    classes: Span
    logit: Span
    temperature: Span
    names: str  # the default class names
    names_max_chars: int

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"


SPEC = SampleSpec(
    prefix="explorer",  # the Explorer, Gradients and Descent pages share these keys (and URL)
    classes=Span(2, 10, 1, 3),
    # logits span [-10, 10]: enough to saturate softmax at every T >= 0.5; a drag moves in 0.1s
    logit=Span(-10.0, 10.0, 0.01, 0.0, drag=0.1),
    temperature=Span(0.1, 5.0, 0.05, 1.0),  # T > 1 flattens p, T < 1 sharpens it
    names="panda, seal, duck",
    names_max_chars=300,
)
SAMPLE = SPEC.prefix
MIN_CLASSES, MAX_CLASSES = int(SPEC.classes.low), int(SPEC.classes.high)
LOGIT_RANGE = SPEC.logit.high  # the logit sliders span [-LOGIT_RANGE, LOGIT_RANGE]


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
