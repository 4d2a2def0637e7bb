"""How a lesson writes a number: zero as 0, no rounding noise, no arrow on what did not change.

A lesson reads its numbers aloud to a class, so a gradient sum of ``-1.388e-17`` (the
rounding of ``p - onehot``) is written ``0``, an unchanged loss gets no ``↑ +0.0000``,
and ``sigmoid(-30) = 9.4e-14`` is not written ``0.0000`` either.
"""

from __future__ import annotations

import math

NOISE_ULPS = 64  # a result within this many float64 epsilons (of its terms' size) of 0 is 0
SAME = 1e-9  # a relative change smaller than this is "stays the same" (rounding of exp and log)
EPS = 2.0 ** -52  # float64's machine epsilon
SMALL = 5e-5  # below this, four decimals would print 0.0000 for a number that is not 0


def zero_if_noise(x: float, scale: float = 1.0) -> float:
    """``x``, or ``0.0`` when it is rounding noise around 0 for terms of size ``scale``.

    >>> zero_if_noise(-1.3877787807814457e-17), zero_if_noise(1e-6), zero_if_noise(-0.0)
    (0.0, 1e-06, 0.0)
    """
    x = float(x)
    return 0.0 if abs(x) <= NOISE_ULPS * EPS * max(abs(float(scale)), 1.0) else x


def unchanged(before: float, now: float) -> bool:
    """True when ``now`` is ``before`` up to rounding (a relative :data:`SAME`)."""
    return abs(now - before) <= SAME * max(1.0, abs(before))


def number(x: float, places: int = 4) -> str:
    """``x`` to ``places`` decimals; exactly 0 as ``0``; a tiny non-zero in 4 significant digits.

    >>> number(0.41703), number(-0.0), number(9.357622968839299e-14), number(float("inf"))
    ('0.4170', '0', '9.358e-14', 'inf')
    """
    x = float(x)
    if x == 0:
        return "0"
    if math.isfinite(x) and abs(x) < SMALL:
        return f"{x:.4g}"
    return f"{x:.{places}f}"


def signed(x: float, places: int = 4) -> str:
    """:func:`number` with its sign: ``+0.6931``, ``−0.2140``; 0 stays ``0``."""
    text = number(x, places)
    return text if text == "0" or text.startswith("-") else "+" + text


def change(before: float, now: float, places: int = 4) -> str | None:
    """The change as a metric's delta, or None (no arrow) when nothing changed.

    >>> change(0.417, 0.417 + 1e-16), change(3.912, 4.6052)
    (None, '+0.6932')
    """
    return None if unchanged(before, now) else signed(now - before, places)
