"""The validators cevis's functions use, published for code that wants the same messages.

Each raises :class:`InputError` (a ``ValueError``) with a message of the form
``"<function>: <argument> <what was received>; expected <what is allowed>"``; ``fn`` and
``name`` are what the message calls the function and the argument.

>>> from cevis.checks import check_temperature
>>> check_temperature(0.5, "my_plot")
0.5
>>> check_temperature(0, "my_plot")
Traceback (most recent call last):
  ...
cevis._checks.InputError: my_plot: temperature is 0; expected a finite number in (0, inf)
"""

from ._checks import InputError
from ._checks import as_float_array
from ._checks import check_finite
from ._checks import check_real
from ._checks import check_temperature
from ._checks import is_int

__all__ = [
    "InputError",
    "as_float_array",
    "check_finite",
    "check_real",
    "check_temperature",
    "is_int",
]
