"""Explorer: move the logits, pick the true class, watch p, the loss and the gradient."""

import streamlit as st

from cevis import InputError
from cevis_app import charts
from cevis_app.text import formulas
from cevis_app.views.explain import explain_sample
from cevis_app.views.explain import sweep_logit
from cevis_app.views.presets import EXPLORER_PRESETS
from cevis_app.widgets import controls
from cevis_app.widgets import tables

P = "explorer"  # widget keys and URL parameters start with this

st.title("Explorer")
st.caption("Cross-entropy of one sample: the logits z go through softmax, the true class y "
           "picks one probability, and the loss is −log of it (log is the natural log, ln).")

st.write("**Presets**")
# the lesson of a preset goes under the buttons, shown while the view still matches it
lesson_box = controls.preset_row(P, EXPLORER_PRESETS)

left, right = st.columns([1, 2.4], gap="large")
names, logits, true_index, temperature = controls.sample_controls(left)

# ---- compute
try:
    sample = explain_sample(logits, true_index, temperature=temperature)
except InputError as err:
    st.error(str(err))
    st.stop()

# ---- charts
with right:
    m1, m2, m3 = st.columns(3)
    m1.metric("Loss −log p(y)", f"{sample.loss:.4f}")
    m2.metric(f"p({names[sample.true_index]})", f"{sample.probs[sample.true_index]:.4f}")
    top = sample.predicted_indices
    if len(top) > 1:
        m3.metric("Predicted class", "a tie", f"{len(top)} classes share the top p",
                  delta_color="off", delta_arrow="off")
    else:
        right_call = top[0] == sample.true_index
        m3.metric("Predicted class", names[top[0]], "correct" if right_call else "wrong",
                  delta_color="normal" if right_call else "inverse", delta_arrow="off")
    c1, c2 = st.columns(2)
    with c1:
        controls.chart(charts.make_probability_figure(sample.probs, names, sample.true_index),
                 key=f"{P}.fig.p")
    with c2:
        controls.chart(charts.make_loss_curve_figure(sample.probs[sample.true_index],
                                                loss=sample.loss), key=f"{P}.fig.loss")
    c3, c4 = st.columns(2)
    with c3:
        controls.chart(charts.make_gradient_figure(sample.grad, names, sample.true_index,
                                              temperature=sample.temperature),
                 key=f"{P}.fig.grad")
    with c4:
        st.write("**Every class at a glance**")
        tables.class_table(names, sample.probs, sample.grad, sample.loss_if_true,
                       sample.true_index)

# ---- live sweep
st.subheader("Drag a logit and watch, live")
which = st.columns([1, 3])[0].selectbox("Logit to sweep", range(len(names)),
                                        format_func=lambda i: names[i], key=f"{P}.sweep",
                                        index=min(1, len(names) - 1))
controls.chart(charts.make_sweep_figure(sweep_logit(logits, true_index, which, temperature=temperature),
                                   names, true_index), key=f"{P}.fig.sweep")
st.caption("Streamlit's sliders answer when you let go; this one is drawn by the chart itself, "
           "with every position computed in advance, so it follows the pointer.")

# ---- explanation
st.subheader("The formulas, with your numbers")
st.latex(formulas.softmax_latex(sample, names))
st.latex(formulas.loss_latex(sample, names))
st.latex(formulas.gradient_latex(sample))
controls.show_preset_lesson(lesson_box, P, EXPLORER_PRESETS)
st.markdown(
    "A gradient-descent step moves every logit against its gradient: the true class's logit "
    "(negative gradient, green) goes up, every other logit (positive, orange) goes down, each "
    "in proportion to the probability it took. When p(y) is near 1 the gradient vanishes; "
    "when the model is confidently wrong it is as large as it gets."
)
