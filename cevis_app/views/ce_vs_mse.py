r"""Why cross-entropy and not squared error on p: the two gradients side by side, for one
sample and as its true logit is swept from confidently wrong to right.
"""

from __future__ import annotations

import numpy as np

from cevis.activations import softmax
from cevis.grads import cross_entropy_grad
from cevis.grads import mse_on_probabilities_grad

TRUE_LOGIT_SWEEP = (-15.0, 10.0, 300)  # how far the true logit is moved for the comparison


def gradient_pair(logits, true_index, *, temperature=1.0) -> dict[str, np.ndarray]:
    """∂L/∂z of cross-entropy and of squared error on p for one sample, labelled:
    ``{"cross-entropy": [C], "MSE on p": [C]}``. At temperature T the loss sees z/T, so
    both are the gradients at z/T divided by T.

    >>> gradient_pair([0.0, 0.0], 0)["cross-entropy"].tolist()
    [-0.5, 0.5]
    """
    t = float(temperature)
    scaled = [z / t for z in logits]
    return {"cross-entropy": cross_entropy_grad(scaled, true_index) / t,
            "MSE on p": mse_on_probabilities_grad(scaled, true_index) / t}


def gradient_magnitude_sweep(logits, true_index, *,
                             temperature=1.0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """:func:`gradient_magnitudes` with the other logits of ``logits`` held, the true one swept:
    ``p_true [K]`` and ``{"cross-entropy": [K], "MSE on p": [K]}``, labelled for a chart.

    At temperature T the loss sees z/T, so both gradients are those at z/T divided by T.
    """
    t = float(temperature)
    others = [z / t for i, z in enumerate(logits) if i != true_index]
    sweep = gradient_magnitudes(np.linspace(*TRUE_LOGIT_SWEEP) / t, others, true_index)
    return sweep["p_true"], {"cross-entropy": sweep["cross-entropy"] / t, "MSE on p": sweep["mse"] / t}


def gradient_magnitudes(true_logit_values, other_logits, true_index=0) -> dict[str, np.ndarray]:
    """|dL/dz_y| for cross-entropy and for squared error on p, as the true logit varies.

    Returns ``{"p_true": [K], "cross-entropy": [K], "mse": [K]}``: CE's gradient on the
    true logit is 1 - p_y, largest when the prediction is confidently wrong; MSE's
    vanishes there.
    """
    zt = np.asarray(true_logit_values, dtype=np.float64)
    others = np.asarray(other_logits, dtype=np.float64)
    z = np.insert(np.tile(others, (zt.size, 1)), true_index, zt, axis=1)
    y = np.full(zt.size, true_index)

    return {"p_true": softmax(z)[:, true_index],
            "cross-entropy": np.abs(cross_entropy_grad(z, y, reduction="none")[:, true_index]),
            "mse": np.abs(mse_on_probabilities_grad(z, y)[:, true_index])}
