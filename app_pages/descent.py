"""Descent: gradient descent on the logits, animated, on the simplex, and compared."""

import streamlit as st

from cevis_app import charts
from cevis_app.views.descent import descend
from cevis_app.views.descent import loss_on_simplex
from cevis_app.views.descent import simplex_grid
from cevis_app.widgets import controls

P = "descent"
RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]

st.title("Gradient descent on the loss")
st.caption("Each step moves the logits against the gradient, z ← z − η ∂L/∂z. The run starts "
           "from the Explorer's logits; every frame below comes from one computation, no rerun.")

left, right = st.columns([1, 2.4], gap="large")
names, logits, true_index, _ = controls.sample_controls(left, temperature=False)
with left:
    st.subheader("Descent")
    loss = st.segmented_control("Loss", ["cross-entropy", "mse"], default="cross-entropy",
                                required=True, key=f"{P}.loss", bind="query-params",
                                format_func={"cross-entropy": "cross-entropy",
                                             "mse": "MSE on p"}.get)
    lr = st.select_slider("Learning rate η", RATES, value=1.0, key=f"{P}.lr", bind="query-params")
    steps = st.slider("Steps", 1, 200, 50, key=f"{P}.steps", bind="query-params")
    eps = st.slider("Label smoothing ε (cross-entropy)", 0.0, 0.5, 0.0, 0.05, key=f"{P}.eps",
                    bind="query-params", disabled=loss != "cross-entropy",
                    help="With ε > 0 the best logits are finite, so a too large step overshoots.")
smoothing = eps if loss == "cross-entropy" else 0.0
run = descend(logits, true_index, learning_rates=[lr], steps=steps, loss=loss,
              label_smoothing=smoothing)

with right:
    m = st.columns(3)
    m[0].metric("Loss at the start", f"{run.losses[0, 0]:.4f}")
    m[1].metric(f"Loss after {steps} steps", f"{run.losses[0, -1]:.4f}")
    m[2].metric(f"p({names[true_index]}) after", f"{run.p_true[0, -1]:.4f}",
                f"{run.p_true[0, -1] - run.p_true[0, 0]:+.4f}")
    controls.chart(charts.make_descent_animation(run.probs[0], run.grads[0], run.losses[0], names,
                                            true_index), key=f"{P}.fig.anim")

st.subheader("Learning rates side by side")
rates = sorted({max(RATES[0], lr / 10), lr, min(RATES[-1], lr * 10)})
compare = descend(logits, true_index, learning_rates=rates, steps=steps, loss=loss,
                  label_smoothing=smoothing)
labels = [f"η = {r:g}" for r in compare.learning_rates]
c1, c2 = st.columns(2)
with c1:
    controls.chart(charts.make_runs_figure(dict(zip(labels, compare.losses)), title="Loss per step",
                                      y_title="loss"), key=f"{P}.fig.rates")
with c2:
    if len(names) == 3:
        pts = simplex_grid()
        controls.chart(charts.make_simplex_figure(
            dict(zip(labels, compare.probs)), names, shading=pts,
            shade_values=loss_on_simplex(pts, true_index, label_smoothing=smoothing)),
            key=f"{P}.fig.simplex")
    else:
        st.info("The simplex picture needs exactly 3 classes (set them in the sidebar).")
st.markdown(
    "Without label smoothing the cross-entropy of one sample has no minimum at finite logits: "
    "the loss only approaches 0 as the true logit runs away, so a larger step simply gets there "
    "faster. Turn on label smoothing (say ε = 0.2) and try η = 30: now there is a best point, "
    "and a step that is too large jumps past it and back, the loss bouncing instead of falling.")

st.subheader("Cross-entropy against squared error, from the same start")
both = {name: descend(logits, true_index, learning_rates=[lr], steps=steps, loss=name).p_true[0]
        for name in ("cross-entropy", "mse")}
controls.chart(charts.make_runs_figure({"cross-entropy": both["cross-entropy"], "MSE on p": both["mse"]},
                                  title=f"p({names[true_index]}) per step, η = {lr:g}",
                                  y_title="p of the true class"), key=f"{P}.fig.ce_mse")
st.markdown("Start confidently wrong (the Explorer's *confidently wrong* preset) to see the "
            "difference: MSE's gradient is tiny there, so it barely moves at first, while "
            "cross-entropy moves at full speed from step one.")
