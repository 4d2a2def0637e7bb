"""Batch: what torch.nn.CrossEntropyLoss does to a batch, option by option."""

import streamlit as st

from cevis import InputError
from cevis_app import charts
from cevis_app.text import codegen
from cevis_app.text import escape
from cevis_app.text import formulas
from cevis_app.text import parsing
from cevis_app.text.conversions import rows_in_kinds
from cevis_app.views.batch import NO_IGNORE
from cevis_app.views.batch import BatchOptions
from cevis_app.views.batch import denominator_note
from cevis_app.views.batch import explain_batch
from cevis_app.views.presets import BATCH_PRESETS
from cevis_app.widgets import controls
from cevis_app.widgets import editors
from cevis_app.widgets import present
from cevis_app.widgets import tables

P = "batch"
FIRST = BATCH_PRESETS["four"]
REDUCTIONS = ["none", "sum", "mean"]

st.title("A batch, and every option of CrossEntropyLoss")
st.caption("Rows are samples. Each row's loss is −Σ t·log p; the reduction turns them into the "
           "one number a training step minimises.")

controls.start_page(P)
# presenting, the batch and its mean come first (the options fill a 1280x720/150 % screen)
results_box = st.container() if present.active() else None
lesson_box = controls.preset_row(P, BATCH_PRESETS)

# ---- options
with st.container(border=True):
    o1, o2, o3, o4 = st.columns([1.3, 1.2, 1.3, 1.3], gap="medium")
    reduction = o1.segmented_control("reduction", REDUCTIONS, default="mean",
                                     required=True, key=f"{P}.reduction", bind="query-params")
    reduction = controls.usable(reduction, f"{P}.reduction", "mean", REDUCTIONS)
    eps = o2.slider("label_smoothing ε", 0.0, 1.0, 0.0, 0.01, key=f"{P}.eps", bind="query-params")
    weights_on = o3.toggle("Class weights", key=f"{P}.weights_on", bind="query-params")
    weights_text = o3.text_input("weight per class", "1, 1, 1", key=f"{P}.weights", max_chars=200,
                                 bind="query-params", disabled=not weights_on)
    ignore_on = o4.toggle("ignore_index", key=f"{P}.ignore_on", bind="query-params")
    # float, not int: Streamlit's int number_input raises OverflowError on ?…=inf while it
    # seeds from the URL; the float one turns inf, nan and out-of-range values into the default
    ignore_index = int(controls.usable(
        o4.number_input("rows with this target are left out", -1000.0, 1000.0, float(NO_IGNORE), 1.0,
                        format="%.0f", key=f"{P}.ignore_index", bind="query-params",
                        disabled=not ignore_on),
        f"{P}.ignore_index", NO_IGNORE, lambda v: float(v).is_integer(),
        describe="a whole number from −1000 to 1000"))
    ignored_target = ignore_index if ignore_on else None  # None: no target leaves its row out

k1, k2 = st.columns(2)
kinds = (st.session_state.get(f"{P}.target_kind", FIRST.target_kind),
         st.session_state.get(f"{P}.pred_kind", FIRST.pred_kind))
target_kind = k1.segmented_control("Targets are", parsing.TARGET_KINDS, default=FIRST.target_kind,
                                   required=True, key=f"{P}.target_kind", bind="query-params",
                                   on_change=editors.convert_batch_kinds, args=(P, kinds))
target_kind = controls.usable(target_kind, f"{P}.target_kind", FIRST.target_kind,
                              parsing.TARGET_KINDS)
pred_kind = k2.segmented_control("Predictions are", parsing.PRED_KINDS, default=FIRST.pred_kind,
                                 required=True, key=f"{P}.pred_kind", bind="query-params",
                                 on_change=editors.convert_batch_kinds, args=(P, kinds))
pred_kind = controls.usable(pred_kind, f"{P}.pred_kind", FIRST.pred_kind, parsing.PRED_KINDS)
with st.expander("The batch as text (this is what a shared link carries)"):
    # the default batch in the chosen kinds: a link with only ?batch.target_kind=index works
    default_rows = rows_in_kinds(FIRST.rows, (FIRST.target_kind, FIRST.pred_kind), target_kind,
                                 pred_kind)
    text = st.text_input("rows as 'target | predictions', separated by ';'", default_rows,
                         max_chars=20_000, key=f"{P}.rows", bind="query-params")
editors.show_table_error(P)

# ---- compute
try:
    batch = parsing.parse_batch(text, target_kind, pred_kind, ignore_index=ignored_target)
except InputError as err:
    st.error(f"The batch could not be read: {escape.markdown(err)}. Fix it in the text above, "
             "switch the option back, or pick a preset.")
    st.stop()
try:
    weight = parsing.parse_weights(weights_text, batch.num_classes) if weights_on else None
except InputError as err:
    st.error(f"Class weights: {escape.markdown(err)}. Computing without weights.")
    weight = None
options = BatchOptions(weight, NO_IGNORE if ignored_target is None else ignored_target, eps, reduction)
from_probs = batch.pred_kind == "probabilities"
result = explain_batch(batch.preds, batch.targets, options, from_probs=from_probs) if len(batch) \
    else None

# ---- show
left, right = (results_box or st).columns([1, 1.3], gap="large")
with left:
    editors.batch_editor(P, batch, ignored_target)
    editors.batch_io(P, batch)
with right:
    if result is None:
        st.info("The batch is empty: add a row, pick a preset or upload a CSV file.")
        st.stop()
    m = st.columns(3)
    m[0].metric("sum", f"{result.total:.4f}")
    m[1].metric("mean", f"{result.mean:.4f}")
    m[2].metric("denominator of the mean", f"{result.denominator:g}")
    st.latex(formulas.mean_latex(result, weighted=weight is not None and batch.target_kind == "index"))
    st.caption(escape.markdown(denominator_note(result, weight, batch.target_kind)))
    if result.ignored.all():
        st.warning("Every row is ignored. PyTorch returns nan for the mean (0 / 0: no loss over "
                   "no weight) and 0 for the sum; a training step on this batch would make the "
                   "weights nan.", icon=":material/warning:")
    tables.batch_rows_table(result, batch)
controls.show_preset_lesson(lesson_box, P, BATCH_PRESETS)

st.subheader("What each option does")
tables.options_effect_table(result)
c1, c2 = st.columns(2)
with c1:
    controls.seed_index_from_url(f"{P}.row", len(batch))  # ?batch.row= is the 0-based index
    row = st.selectbox("Row whose target to smooth", range(len(batch)), key=f"{P}.row",
                       format_func=lambda i: f"row {i + 1}")
    controls.write_index_to_url(f"{P}.row", row)
    names = [f"class {i}" for i in range(batch.num_classes)]
    controls.chart(charts.make_smoothing_figure(result.target_dist[row], result.smoothed[row], names),
             key=f"{P}.fig.smooth")
with c2:
    st.write("")
    controls.chart(charts.make_entropy_kl_figure(result.entropy, result.kl), key=f"{P}.fig.hkl")
st.caption("The split into entropy and KL is for the unweighted loss: with class weights the "
           "loss is no longer a divergence between two distributions. For a one-hot target H(t) = 0 "
           "and the whole loss is KL; for a soft or smoothed target H(t) > 0 is a floor that no "
           "prediction can go below.")

st.subheader("The same in PyTorch and Keras")
code_kw = dict(from_probs=from_probs, target_kind=batch.target_kind)
tab_torch, tab_keras = st.tabs(["PyTorch", "Keras 3"], key=f"{P}.tab", bind="query-params")
# wrapped, not scrolled sideways: a scrolling <pre> cannot take the keyboard focus (axe-core)
tab_torch.code(codegen.torch_code(batch.preds, batch.targets, options, result, **code_kw),
               wrap_lines=True)
tab_keras.code(codegen.keras_code(batch.preds, batch.targets, options, result, **code_kw),
               wrap_lines=True)
