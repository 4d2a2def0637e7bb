r"""LaTeX strings of the formulas with the live numbers filled in (pure text, no Streamlit).

The strings are for KaTeX (``st.latex``). Class names are escaped for ``\text{}``.
"""

from __future__ import annotations

from .explain import SampleBreakdown

FULL_SUM_UP_TO = 4  # classes; beyond this the denominator shows its first terms, then dots
LATEX_SPECIALS = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "$": r"\$",
                  "#": r"\#", "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}"}


def latex_text(name: str) -> str:
    r"""``name`` inside ``\text{}`` with LaTeX's special characters escaped."""
    return r"\text{" + "".join(LATEX_SPECIALS.get(ch, ch) for ch in name) + "}"


def _num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _vector(values, digits=3) -> str:
    return r"\begin{bmatrix}" + r" & ".join(_num(v, digits) for v in values) + r"\end{bmatrix}"


def _exp_term(z: float, t: float) -> str:
    return f"e^{{{_num(z / t, 2)}}}"


def softmax_latex(b: SampleBreakdown, class_names) -> str:
    r"""``p_y = e^{z_y/T} / \sum_j e^{z_j/T}`` with the logits of ``b`` written in."""
    y = b.true_index
    over_t = "" if b.temperature == 1 else "/T"
    terms = [_exp_term(z, b.temperature) for z in b.logits]
    if len(terms) > FULL_SUM_UP_TO:
        terms = terms[:3] + [r"\cdots", terms[-1]]
    name = latex_text(class_names[y])
    return (rf"p_{{{name}}} = \frac{{e^{{z_{{{name}}}{over_t}}}}}{{\sum_j e^{{z_j{over_t}}}}}"
            rf" = \frac{{{_exp_term(b.logits[y], b.temperature)}}}{{{' + '.join(terms)}}}"
            rf" = {_num(b.probs[y], 4)}")


def loss_latex(b: SampleBreakdown, class_names) -> str:
    """``L = -log p_y`` with the number in."""
    name = latex_text(class_names[b.true_index])
    return rf"L = -\log p_{{{name}}} = -\log({_num(b.probs[b.true_index], 4)}) = {_num(b.loss, 4)}"


def gradient_latex(b: SampleBreakdown) -> str:
    """``dL/dz = (p - onehot(y)) / T`` as vectors with their numbers."""
    onehot = [1.0 if i == b.true_index else 0.0 for i in range(b.logits.size)]
    lhs = r"\frac{\partial L}{\partial z}"
    if b.temperature == 1:
        return (rf"{lhs} = p - \mathrm{{onehot}}(y) = {_vector(b.probs)} - {_vector(onehot, 0)}"
                rf" = {_vector(b.grad)}")
    return (rf"{lhs} = \frac{{p - \mathrm{{onehot}}(y)}}{{T}} = \frac{{1}}{{{_num(b.temperature, 2)}}}"
            rf"\left({_vector(b.probs)} - {_vector(onehot, 0)}\right) = {_vector(b.grad)}")
