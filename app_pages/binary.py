"""Binary cross-entropy: one prediction on the sigmoid, the two loss curves, a table of samples."""

import streamlit as st

from cevis import InputError
from cevis.conventions import BINARY_CONVENTIONS
from cevis.conventions import binary_losses_by_convention
from cevis_app import charts
from cevis_app.text import escape
from cevis_app.text import samples
from cevis_app.urlstate import format_samples
from cevis_app.views import binary_frameworks as frameworks
from cevis_app.views.binary import explain_binary
from cevis_app.views.presets import BINARY_PRESETS
from cevis_app.widgets import cache
from cevis_app.widgets import controls
from cevis_app.widgets import editors
from cevis_app.widgets import live
from cevis_app.widgets import tables

P = "binary"  # widget keys and URL parameters start with this
KINDS = ["logit", "probability"]  # shown as they are, so a link reads ?binary.kind=probability
DEFAULT_ROWS = format_samples(BINARY_PRESETS["seeds"].rows)

st.title("Binary cross-entropy")
st.caption("Two classes: a logit z goes through the sigmoid to p = P(class 1), and the loss "
           "is −log p when the true label t is 1, −log(1 − p) when it is 0.")
controls.start_page(P)

# ---- one prediction
st.subheader("One prediction")
left, right = st.columns([1.5, 2.4], gap="large")  # room for "logit | probability" at 150 %
with left:
    kind = st.segmented_control("Set the prediction as a", KINDS, default="logit",
                                required=True, key=f"{P}.kind", bind="query-params")
    kind = controls.usable(kind, f"{P}.kind", "logit", KINDS)
    if kind == "logit":
        z = st.slider("Logit z", -10.0, 10.0, 1.0, 0.01, format="%.2f", key=f"{P}.z",
                      bind="query-params")
    else:
        # typed, so any p is exact (0.001, 1e-6); the point on the sigmoid drags it
        p_in = st.number_input("Probability p", 0.0, 1.0, 0.73, 0.001, format="%.6g",
                               key=f"{P}.p", bind="query-params",
                               help="Type any p in [0, 1], such as 0.001 or 0.000001; − and + "
                                    "step by 0.001. Or drag the point on the sigmoid.")
        p_in = controls.usable(p_in, f"{P}.p", 0.73, describe="a probability in [0, 1]")
    t = st.segmented_control("True label t", [1, 0], default=1, required=True,
                             key=f"{P}.t", bind="query-params")
    t = controls.usable(t, f"{P}.t", 1, [1, 0])
one = explain_binary(t, logits=z) if kind == "logit" else explain_binary(t, probs=p_in)
with right:  # drag the point along the sigmoid: every number and both curves' points follow
    live.binary_live(P, t, kind, z if kind == "logit" else p_in)
if one.probs[0] in (0.0, 1.0) and one.loss[0] > 0:
    st.caption("At p exactly 0 or 1 the loss shown is PyTorch's BCELoss, which clamps log p at "
               "−100; the plain formula gives inf (see the table of conventions below).")
st.markdown(
    "Why models output a logit and train on it: ∂L/∂z = p − t never leaves [−1, 1], however "
    "wrong the prediction, while ∂L/∂p = −t/p + (1 − t)/(1 − p) blows up as p nears the wrong "
    "end. Set p = 0.001 with t = 1 to see ∂L/∂p ≈ −1000 while ∂L/∂z is only −1.")
with st.expander("log x and −log x on (0, 1]"):
    controls.chart(cache.log_pair_figure(), key=f"{P}.fig.logs")

# ---- a table of samples
st.subheader("A table of samples")
rows_kind = st.segmented_control(
    "Predictions in the table are", KINDS, default="probability",
    required=True, key=f"{P}.rows_kind", bind="query-params", on_change=editors.convert_rows, args=(P,))
rows_kind = controls.usable(rows_kind, f"{P}.rows_kind", "probability", KINDS)
lesson_box = controls.preset_row(P, BINARY_PRESETS)
with st.expander("The table as text (this is what a shared link carries)"):
    text = st.text_input("Samples as label:prediction, comma-separated", DEFAULT_ROWS,
                         max_chars=12_000, key=f"{P}.rows", bind="query-params")
editors.show_table_error(P)
try:
    rows = samples.parse_samples(text, rows_kind)
except InputError as err:
    st.error(f"The samples could not be read: {escape.markdown(err)}. Showing the seed example "
             "instead.")
    rows = samples.parse_samples(DEFAULT_ROWS, "probability")
    rows_kind = "probability"

labels = [r[0] for r in rows]
preds = [r[1] for r in rows]
batch = (explain_binary(labels, logits=preds) if rows_kind == "logit"
         else explain_binary(labels, probs=preds))
edit_col, result_col = st.columns([1, 1.6], gap="large")
with edit_col:
    editors.samples_editor(P, rows, rows_kind)
    editors.samples_io(P, rows, rows_kind, batch)
with result_col:
    if not rows:
        st.info("The table is empty: add a row, pick a preset or upload a CSV file.")
    else:
        m = st.columns(3)
        m[0].metric("Samples", len(rows))
        m[1].metric("Sum of losses", f"{batch.total:.4f}")
        m[2].metric("Mean loss", f"{batch.mean:.4f}")
        controls.chart(charts.make_binary_curves_figure(batch.probs, batch.target), key=f"{P}.fig.rows")
        tables.binary_results_table(batch)
controls.show_preset_lesson(lesson_box, P, BINARY_PRESETS)

# ---- what the frameworks compute
st.subheader("What the frameworks compute for these numbers")
on_screen = (frameworks.framework_losses([t], logits=[z]) if kind == "logit"
             else frameworks.framework_losses([t], probs=[p_in]))
tables.conventions_table(BINARY_CONVENTIONS, on_screen,
                         [f"t = {t}, " + (f"z = {z:g}" if kind == "logit" else f"p = {p_in:.6g}")],
                         caption="Your prediction above")
edges = binary_losses_by_convention([1, 0, 0, 1], probs=[0.0, 1.0, 0.0, 1.0])
tables.conventions_table(BINARY_CONVENTIONS, edges,
                     ["p = 0, t = 1", "p = 1, t = 0", "p = 0, t = 0", "p = 1, t = 1"],
                     caption="At the edges, where the conventions part ways")
pos_weight = None  # only the logit form has one
if rows and rows_kind == "logit":
    pos_weight = st.number_input("pos_weight of BCEWithLogitsLoss", 0.0, 100.0, 1.0, 0.5,
                                 key=f"{P}.pos_weight", bind="query-params")
    mine = frameworks.framework_losses(labels, logits=preds, pos_weight=pos_weight)
elif rows:
    mine = frameworks.framework_losses(labels, probs=preds)
if rows:
    tables.conventions_table(frameworks.framework_columns(pos_weight), mine,
                             [f"sample {i + 1}" for i in range(len(rows))],
                             caption="Your table, per sample, and the mean", with_mean=True)
st.caption(" · ".join(f"**{c.label}**: {c.rule}" for c in frameworks.framework_columns(pos_weight))
           + ". With probabilities in the table the logit form is left out: p = 0 or 1 has no "
             "finite logit. pos_weight β multiplies the t = 1 term: "
             "−[β t log p + (1 − t) log(1 − p)]; Keras has no pos_weight, so with β ≠ 1 its "
             "logit column is shown apart.")
