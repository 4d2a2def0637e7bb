"""Explorer: move the logits, pick the true class, watch p, the loss and the gradient."""

import streamlit as st

from cevis import InputError
from cevis_app.text import escape
from cevis_app.text import formulas
from cevis_app.views.presets import EXPLORER_PRESETS
from cevis_app.views.sample import explain_sample
from cevis_app.widgets import controls
from cevis_app.widgets import live
from cevis_app.widgets import present
from cevis_app.widgets import tables

P = "explorer"  # widget keys and URL parameters start with this

st.title("Explorer")
st.caption("Cross-entropy of one sample: the logits z go through softmax, the true class y "
           "picks one probability, and the loss is −log of it (log is the natural log, ln).")

controls.start_page(P)
if not present.active():  # presenting: the buttons say what they are
    st.write("**Presets**")
# the lesson of a preset goes under the buttons, shown while the view still matches it
lesson_box = controls.preset_row(P, EXPLORER_PRESETS)

# the live view goes on top; it is filled once the controls below have given its values
live_box = st.container()
left, right = st.columns([1, 2.4], gap="large")
names, logits, true_index, temperature = controls.sample_controls(left, P)

# ---- compute
try:
    sample = explain_sample(logits, true_index, temperature=temperature)
except InputError as err:
    st.error(escape.markdown(err))
    st.stop()

# ---- the live view: drag a logit, the temperature or all logits at once
with live_box:
    live.sample_live(P, names, logits, true_index, temperature)
with right:
    st.write("**Every class at a glance**")
    tables.class_table(names, sample.probs, sample.grad, sample.loss_if_true,
                       sample.true_index)
    st.caption("Drag a handle above, or use its keys (arrows: 0.1, Page Up/Down: 1, Home/End): "
               "every number and bar follows the pointer, each one cevis's value for that "
               "position. Letting go sets the sliders, the formulas and the link.")

# ---- explanation
st.subheader("The formulas, with your numbers")
st.latex(formulas.softmax_latex(sample, names))
st.latex(formulas.loss_latex(sample, names))
st.latex(formulas.gradient_latex(sample))
controls.show_preset_lesson(lesson_box, P, EXPLORER_PRESETS)
st.markdown(
    "A gradient-descent step moves every logit against its gradient: the true class's logit "
    "(negative gradient, the bar below zero marked ↑) goes up, every other logit (positive, "
    "above zero, marked ↓) goes down, each in proportion to the probability it took. When p(y) "
    "is near 1 the gradient vanishes; when the model is confidently wrong it is as large as it "
    "gets."
)
