"""cevis: exact, stable cross-entropy in numpy, with PyTorch's semantics.

>>> import cevis
>>> print(cevis.cross_entropy([[2.0, 1.0, 0.1]], [0]).round(4))
0.417
"""

from ._checks import InputError
from .activations import log_sigmoid
from .activations import log_softmax
from .activations import logsumexp
from .activations import sigmoid
from .activations import softmax
from .grads import binary_cross_entropy_with_logits_grad
from .grads import cross_entropy_and_grad
from .grads import cross_entropy_grad
from .grads import numerical_grad
from .grads import softmax_jacobian
from .losses import binary_cross_entropy
from .losses import binary_cross_entropy_with_logits
from .losses import cross_entropy
from .losses import cross_entropy_from_probs
from .losses import entropy
from .losses import kl_divergence

__all__ = [
    "InputError",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_and_grad",
    "cross_entropy_from_probs",
    "cross_entropy_grad",
    "entropy",
    "kl_divergence",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "numerical_grad",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
]
__version__ = "0.1.0"
