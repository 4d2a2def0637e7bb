"""Gradients: where softmax(z) − onehot(y) comes from, checked numerically, and why CE beats MSE."""

import streamlit as st

from cevis_app import charts
from cevis_app.views.ce_vs_mse import gradient_magnitude_sweep
from cevis_app.views.ce_vs_mse import gradient_pair
from cevis_app.views.gradient_check import chain_rule
from cevis_app.views.gradient_check import gradient_check
from cevis_app.views.gradient_check import gradient_check_sweep
from cevis_app.widgets import controls
from cevis_app.widgets import tables

P = "gradients"
STEPS = [1e-14, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]  # h to try

st.title("Where the gradient comes from")
st.caption("∂L/∂z = softmax(z) − onehot(y), derived with your numbers through the chain rule, "
           "checked against finite differences, and compared with squared error. The sample "
           "(logits, true class, temperature T) is the Explorer's: set it there or here. With "
           "T ≠ 1, p = softmax(z / T) and every gradient below carries a factor 1/T.")

controls.start_page(P)
left, right = controls.sample_columns()
names, logits, true_index, temperature = controls.sample_controls(left, P)
T = dict(temperature=temperature)  # the whole shared sample, T too
chain = chain_rule(logits, true_index, **T)

with right:
    st.subheader("The softmax Jacobian")
    controls.chart(charts.make_jacobian_figure(chain.jacobian, names), key=f"{P}.fig.jac")
    st.caption("Raising z_j raises its own probability (diagonal, p_i(1 − p_i) > 0) and takes "
               "from every other (off-diagonal, −p_i p_j < 0). Each row sums to 0: the "
               "probabilities still add up to 1.")

st.subheader("The chain rule, step by step")
tables.chain_rule_tables(chain, names)
st.markdown("Two cases: for the true class, −1/p_y · p_y(1 − p_y) = p_y − 1; for any other "
            "class, −1/p_y · (−p_y p_j) = p_j. Together: p − onehot(y).")

st.subheader("Check it numerically")
h = st.select_slider("Step h of the central difference", STEPS, value=1e-5,
                     format_func=lambda v: f"{v:.0e}", key=f"{P}.h", bind="query-params")
c1, c2 = st.columns([1.2, 1])
with c1:
    check = gradient_check(logits, true_index, h, **T)
    tables.gradient_check_table(check, names)
    st.metric("Worst relative error", f"{check.worst:.1e}")
with c2:
    controls.chart(charts.make_grad_check_figure(STEPS, gradient_check_sweep(logits, true_index, STEPS, **T),
                                            current=h), key=f"{P}.fig.check")
st.caption("Too large an h and the difference quotient misses the curvature (error ∝ h²); too "
           "small and the two losses agree in almost every digit, so their difference is mostly "
           "rounding (error ∝ ε/h, ε ≈ 2.2e-16). Near h = 1e-5 the two balance.")

st.subheader("Why cross-entropy and softmax go together")
g1, g2 = st.columns(2)
pair = gradient_pair(logits, true_index, **T)
p_true, magnitudes = gradient_magnitude_sweep(logits, true_index, **T)
with g1:
    controls.chart(charts.make_gradient_pair_figure(
        pair["cross-entropy"], pair["MSE on p"], names, names=tuple(pair)), key=f"{P}.fig.pair")
with g2:
    controls.chart(charts.make_gradient_magnitude_figure(
        p_true, magnitudes, current=float(chain.probs[true_index])), key=f"{P}.fig.mag")
st.markdown("With squared error on the probabilities, the gradient passes through the softmax "
            "Jacobian, whose entries shrink to 0 as p becomes confident, right or wrong. So a "
            "confidently wrong prediction (p of the true class near 0) gets almost no push. "
            "Cross-entropy's −1/p_y cancels that shrinking exactly: its push on the true logit is "
            "1 − p_y, largest when the model is most wrong.")
