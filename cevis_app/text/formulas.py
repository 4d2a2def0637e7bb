r"""LaTeX strings of the formulas with the live numbers filled in (pure text, no Streamlit).

The strings are for KaTeX (``st.latex``). Class names are escaped for ``\text{}`` (cevis_app.text.escape).
"""

from __future__ import annotations

import numpy as np

from cevis_app.text.escape import latex_text
from cevis_app.views.sample import SampleBreakdown

FULL_SUM_UP_TO = 4  # classes; beyond this the denominator is shown as its value
ROW_VECTORS_UP_TO = 3  # classes; beyond this vectors stand as columns, to fit a narrow page
def _num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _vector(values, digits=3, *, column=False) -> str:
    sep = r" \\ " if column else r" & "
    return r"\begin{bmatrix}" + sep.join(_num(v, digits) for v in values) + r"\end{bmatrix}"


def _exp_term(z: float, t: float) -> str:
    return f"e^{{{_num(z / t, 2)}}}"


def softmax_latex(b: SampleBreakdown, class_names) -> str:
    r"""``p_y = e^{z_y/T} / \sum_j e^{z_j/T}`` with the logits of ``b`` written in."""
    y = b.true_index
    over_t = "" if b.temperature == 1 else "/T"
    name = latex_text(class_names[y])
    numerator = _exp_term(b.logits[y], b.temperature)
    if b.logits.size <= FULL_SUM_UP_TO:
        denominator = " + ".join(_exp_term(z, b.temperature) for z in b.logits)
    else:  # p_y = e^{z_y} / sum, so the sum is e^{z_y} / p_y: shown as a number
        denominator = f"{float(np.exp(b.logits[y] / b.temperature) / b.probs[y]):.4g}"
    return (rf"p_{{{name}}} = \frac{{e^{{z_{{{name}}}{over_t}}}}}{{\sum_j e^{{z_j{over_t}}}}}"
            rf" = \frac{{{numerator}}}{{{denominator}}} = {_num(b.probs[y], 4)}")


def loss_latex(b: SampleBreakdown, class_names) -> str:
    """``L = -log p_y`` with the number in."""
    name = latex_text(class_names[b.true_index])
    return rf"L = -\log p_{{{name}}} = -\log({_num(b.probs[b.true_index], 4)}) = {_num(b.loss, 4)}"


def gradient_latex(b: SampleBreakdown) -> str:
    """``dL/dz = (p - onehot(y)) / T`` as vectors with their numbers."""
    onehot = [1.0 if i == b.true_index else 0.0 for i in range(b.logits.size)]
    col = b.logits.size > ROW_VECTORS_UP_TO or b.temperature != 1
    p, e, g = (_vector(b.probs, column=col), _vector(onehot, 0, column=col),
               _vector(b.grad, column=col))
    lhs = r"\frac{\partial L}{\partial z}"
    if b.temperature == 1:
        return rf"{lhs} = p - \mathrm{{onehot}}(y) = {p} - {e} = {g}"
    t = _num(b.temperature, 2)
    return (rf"{lhs} = \frac{{p - \mathrm{{onehot}}(y)}}{{T}} = \frac{{1}}{{{t}}}"
            rf"\left({p} - {e}\right) = {g}")


def mean_latex(result, *, weighted: bool) -> str:
    """The mean written out: the sum of the losses over what PyTorch divides it by."""
    below = r"\sum_{i\ \mathrm{kept}} w_{y_i}" if weighted else (
        r"\#\{i\ \mathrm{kept}\}" if result.ignored.any() else "N")
    return (rf"\mathrm{{mean}} = \frac{{\sum_i \ell_i}}{{{below}}} = "
            rf"\frac{{{result.total:.4f}}}{{{result.denominator:g}}} = {result.mean:.4f}")
