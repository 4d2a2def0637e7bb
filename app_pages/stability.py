"""Numerical stability and common mistakes: where cross-entropy breaks, and the forms that don't."""

import streamlit as st

from cevis.conventions import TRUE_CLASS_CONVENTIONS
from cevis.conventions import true_class_losses_by_convention
from cevis_app.views import mistakes
from cevis_app.views import stability
from cevis_app.widgets import cache
from cevis_app.widgets import controls
from cevis_app.widgets import tables

P = "stability"
# Chosen to land on both sides of each dtype's exp threshold (11.09, 88.72, 709.78)
LARGEST = [1, 5, 10, 11, 12, 20, 50, 88, 89, 100, 300, 709, 710, 1000, 10000]
# Gaps either side of where p = e^-gap underflows (float16 ~17, float32 ~104, float64 ~745)
GAPS = [1, 10, 17, 18, 50, 103, 105, 200, 745, 746, 1000]
P_TRUE = [0.0, 1e-300, 1e-50, 1e-20, 1e-15, 1e-10, 1e-7, 1e-3, 0.1, 0.5, 1.0]
EXAMPLE = [4.0, 1.0, -2.0]  # logits of the mistakes: class 0 is clearly ahead

st.title("Numerical stability and common mistakes")
st.caption("Cross-entropy is easy to write and easy to break: exp overflows, log meets 0, "
           "and a misplaced softmax or minus sign trains the wrong thing without an error.")

controls.start_page(P)

# ---- 1. overflow
st.subheader("1. exp overflows: the naive softmax against the max-subtracted one")
largest = st.select_slider("Largest logit z (the other two are 0 and −1)", LARGEST, value=100,
                           key=f"{P}.z", bind="query-params")
rows = stability.compare_dtypes([largest, 0.0, -1.0])
tables.overflow_table(rows)
controls.chart(cache.overflow_figure(float(largest)), key=f"{P}.fig.overflow")
st.markdown(
    "Past log(max float) the naive form computes inf / inf = nan. Softmax does not change when "
    "every logit moves by the same amount, so subtracting the largest one first costs nothing: "
    "every exponent is then ≤ 0, exp(·) ≤ 1, and no dtype overflows. In float16 even the logit "
    "itself overflows above 65504.")

# ---- 2. log of softmax
st.subheader("2. log(softmax(z)) against log_softmax(z), and a fused loss")
gap = st.select_slider("Gap g between the two logits (z = [0, −g], the true class is the second)",
                       GAPS, value=200, key=f"{P}.gap", bind="query-params")
by_dtype = stability.compare_losses_by_dtype([0.0, -float(gap)], 1)
tables.log_softmax_table(by_dtype.rows, 1, by_dtype.two_step, by_dtype.fused)
st.markdown(
    "p = e^−g / (1 + e^−g) underflows to exactly 0 once g passes about 17 (float16), 104 "
    "(float32) or 745 (float64); its log is then −inf and a loss computed from probabilities is "
    "inf. log_softmax never forms p: (z − max) − log Σ exp(z − max) = −g exactly. That is why "
    "`F.cross_entropy` takes logits, and why PyTorch's `NLLLoss` wants log-probabilities.")

# ---- 3. clamping conventions
st.subheader("3. A probability of exactly 0: what each convention returns")
p_true = st.select_slider("p of the true class", P_TRUE, value=0.0, format_func=lambda v: f"{v:g}",
                          key=f"{P}.p", bind="query-params")
here = true_class_losses_by_convention([p_true])
cols = st.columns(len(TRUE_CLASS_CONVENTIONS))
for col, conv in zip(cols, TRUE_CLASS_CONVENTIONS):
    col.metric(conv.label, f"{float(here[conv.key][0]):.4f}", help=conv.rule, border=True)
controls.chart(cache.clamp_figure(float(p_true)), key=f"{P}.fig.clamp")
st.markdown(
    "Clamping keeps the number finite but hides how wrong the model is: below the clamp every "
    "prediction costs the same and its gradient is 0. Computing from logits needs no clamp at "
    "all (section 2).")

# ---- 4. mistakes
st.subheader("4. Common mistakes, wrong and right side by side")
true_index = st.segmented_control("True class of the example logits [4, 1, −2]", [0, 1, 2],
                                  default=0, required=True, key=f"{P}.y", bind="query-params")
true_index = controls.usable(true_index, f"{P}.y", 0, [0, 1, 2])
batch = st.slider("Batch size for the reduction mistake", 1, 256, 32, key=f"{P}.n",
                  bind="query-params")
for m in (mistakes.softmax_twice(EXAMPLE, true_index),
          mistakes.probabilities_as_logits(0.9, 1),
          mistakes.missing_minus(EXAMPLE, true_index),
          mistakes.labels_off_by_one(EXAMPLE, true_index),
          mistakes.mean_versus_sum(EXAMPLE, true_index, batch)):
    with st.container(border=True):
        tables.mistake(m)

# ---- 5. asymmetry
st.subheader("5. Why −y log y is not symmetric")
controls.chart(cache.entropy_term_figure((0.2, 0.8)), key=f"{P}.fig.entropy")
low, high = stability.entropy_term(0.2), stability.entropy_term(0.8)
st.markdown(
    f"Take a prediction that matches its target exactly, t = p = y. The class's term −y log y is "
    f"{low:.4f} at y = 0.2 but {high:.4f} at y = 0.8: the curve rises steeply from 0, peaks at "
    f"y = 1/e ≈ 0.368 and falls slowly to 0 at 1. So one term's size says little on its own. "
    f"Summed over both outcomes the two cases agree, −0.2 log 0.2 − 0.8 log 0.8 = "
    f"{stability.binary_entropy(0.2):.4f} either way: that sum is the entropy H(t), the least "
    f"loss any prediction can reach for a soft target, and why a perfect prediction of a soft "
    f"label does not cost 0.")
