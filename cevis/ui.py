"""Shared Streamlit pieces (the only cevis module that imports streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from . import figures
from . import parsing
from ._checks import InputError
from .datasets import ExplorerPreset
from .explain import convert_predictions

# Tables are formatted per column (st.column_config), never with a pandas Styler: a
# Styler is rendered to HTML-like structures on every rerun, ~3 ms even for 7 rows.
NUMBER = st.column_config.NumberColumn
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def chart(fig, key: str) -> None:
    """Render a plotly figure full width with the app's chart settings."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")


def apply_preset(prefix: str, preset: ExplorerPreset, max_classes: int) -> None:
    """Callback: write a preset into the widgets' state (and so into the URL)."""
    state = st.session_state
    state[f"{prefix}.classes"] = len(preset.logits)
    state[f"{prefix}.names"] = ", ".join(preset.class_names)
    for i in range(max_classes):
        state[f"{prefix}.z{i}"] = float(preset.logits[i]) if i < len(preset.logits) else 0.0
    state[f"{prefix}.y"] = preset.true_index
    state[f"{prefix}.T"] = float(preset.temperature)


def class_table(class_names, probs, grad, loss_if_true, true_index) -> None:
    """Per-class numbers; the true class marked (formatted by column, no per-cell styling,
    which cost several ms of every Explorer rerun)."""
    frame = pd.DataFrame({
        "class": [f"{n} ✓" if i == true_index else n for i, n in enumerate(class_names)],
        "p": probs,
        "∂L/∂z": grad,
        "loss if true": loss_if_true,
    })
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "class": st.column_config.TextColumn(help="✓ marks the true class"),
        "p": NUMBER(format="%.4f"), "∂L/∂z": NUMBER(format="%+.4f"),
        "loss if true": NUMBER(format="%.4f",
                               help="−log p of this class: the loss if it were the true one")})


def preset_buttons(prefix: str, presets: dict, on_click, *args):
    """One full-width button per preset in a row; a click calls ``on_click(prefix, preset, *args)``.

    Returns an empty placeholder under the row, for the lesson of the preset on show.
    """
    for column, (key, preset) in zip(st.columns(len(presets)), presets.items()):
        column.button(preset.label, key=f"{prefix}.preset.{key}", width="stretch",
                      on_click=on_click, args=(prefix, preset, *args))
    return st.empty()


def matches_preset(preset: ExplorerPreset, class_names, logits, true_index, temperature) -> bool:
    """True while the Explorer still shows exactly this preset (so its lesson applies)."""
    return (tuple(class_names) == preset.class_names and true_index == preset.true_index
            and tuple(round(z, 2) for z in logits) == preset.logits
            and round(temperature, 2) == preset.temperature)


# ---------------------------------------------------------------- editable sample tables
def _table_error_key(prefix):
    return f"{prefix}.table_error"


def show_table_error(prefix: str) -> None:
    """Show (once) the message a table callback left: the table itself was kept as it was."""
    message = st.session_state.pop(_table_error_key(prefix), None)
    if message:
        st.error(f"{message}. The table was kept as it was.", icon=":material/error:")
    note = st.session_state.pop(f"{prefix}.table_note", None)
    if note:
        st.info(note, icon=":material/info:")


def _set_rows(prefix: str, rows) -> None:
    st.session_state[f"{prefix}.rows"] = parsing.format_samples(rows)


def _editor_key(prefix, *content) -> str:
    """The key of a table editor: new whenever its content is, and after a rejected edit.

    A data editor keeps its pending edits under its key; after a rejected edit a new
    key gives a fresh editor showing the table as it was, instead of one stuck on the
    bad cell.
    """
    generation = st.session_state.get(f"{prefix}.editor_generation", 0)
    return f"{prefix}.editor.{generation}.{hash(content) & 0xFFFFFFFF:x}"


def _reject_edit(prefix, err) -> None:
    st.session_state[_table_error_key(prefix)] = str(err)
    st.session_state[f"{prefix}.editor_generation"] = \
        st.session_state.get(f"{prefix}.editor_generation", 0) + 1


def _on_edit(prefix, editor_key, rows, kind):
    try:
        _set_rows(prefix, parsing.apply_table_edits(rows, st.session_state[editor_key], kind))
    except InputError as err:
        _reject_edit(prefix, err)


def _on_upload(prefix, uploader_key, kind):
    upload = st.session_state.get(uploader_key)
    if upload is None:
        return
    try:
        _set_rows(prefix, parsing.parse_samples_csv(upload.getvalue(), kind))
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"{upload.name}: {err}"


def samples_editor(prefix: str, rows, kind: str) -> None:
    """An editable table of (label, prediction) rows; edits are written back to ``prefix.rows``.

    The editor's key follows the rows, so after every accepted edit it starts afresh
    from the new table (its own pending edits never apply twice).
    """
    editor_key = _editor_key(prefix, parsing.format_samples(rows), kind)
    # numbered from 1, like the results table beside it (edits are keyed by position)
    frame = pd.DataFrame(rows, columns=list(parsing.CSV_COLUMNS),
                         index=pd.RangeIndex(1, len(rows) + 1))
    is_prob = kind == "probability"
    st.data_editor(
        frame, key=editor_key, num_rows="dynamic", hide_index=False, width="stretch",
        column_config={
            "label": st.column_config.SelectboxColumn("true label t", options=[0, 1],
                                                      required=True),
            "prediction": st.column_config.NumberColumn(
                "predicted p" if is_prob else "logit z", required=True, format="%.4g",
                min_value=0.0 if is_prob else None, max_value=1.0 if is_prob else None),
        },
        on_change=_on_edit, args=(prefix, editor_key, rows, kind))


def samples_io(prefix: str, rows, kind: str) -> None:
    """Download the table as CSV, or replace it with an uploaded CSV file."""
    st.download_button("Download the table as CSV", parsing.samples_to_csv(rows),
                       f"{prefix}_samples.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:")
    uploader_key = f"{prefix}.upload"
    st.file_uploader("Replace the table with a CSV file (columns label, prediction)",
                     type=["csv"], key=uploader_key, on_change=_on_upload,
                     args=(prefix, uploader_key, kind), max_upload_size=1)


def set_rows(prefix: str, rows, kind: str | None = None) -> None:
    """Callback: replace the table (and its kind) from code, e.g. a preset."""
    _set_rows(prefix, rows)
    if kind is not None:
        st.session_state[f"{prefix}.rows_kind"] = kind


def apply_binary_preset(prefix: str, preset) -> None:
    """Callback: a preset's samples (probabilities) become the table."""
    set_rows(prefix, preset.rows, "probability")


def convert_rows(prefix: str) -> None:
    """Callback of the table's kind switch: rewrite the predictions as the other kind."""
    new_kind = st.session_state[f"{prefix}.rows_kind"]
    old_kind = "probability" if new_kind == "logit" else "logit"
    try:
        rows = parsing.parse_samples(st.session_state.get(f"{prefix}.rows", ""), old_kind)
    except InputError:
        return  # the page reports unreadable rows itself
    values = convert_predictions([p for _, p in rows], new_kind)
    _set_rows(prefix, [(t, round(float(v), 6)) for (t, _), v in zip(rows, values)])
    if new_kind == "logit" and any(p in (0.0, 1.0) for _, p in rows):
        st.session_state[f"{prefix}.table_note"] = (
            "A probability of exactly 0 or 1 has no finite logit: those rows became z = −20 or "
            "+20 (σ(20) = 1 − 2·10⁻⁹), so their losses are now finite.")


def binary_results_table(batch) -> None:
    """Per-sample losses of a binary batch, each one's share of the sum drawn as a bar."""
    share = batch.loss / batch.total * 100 if batch.total > 0 else batch.loss * 0
    frame = pd.DataFrame({"sample": range(1, batch.loss.size + 1), "t": batch.target.astype(int),
                          "p": batch.probs, "loss": batch.loss, "share of the sum": share})
    st.dataframe(frame, hide_index=True, width="stretch",
                 height=min(35 * (len(frame) + 1) + 3, 400), column_config={
                     "p": NUMBER(format="%.4f"), "loss": NUMBER(format="%.4f"),
                     "share of the sum": st.column_config.ProgressColumn(
                         format="%.1f%%", min_value=0, max_value=100, width="medium",
                         help="This sample's loss as a percentage of the sum: the long bars "
                              "are where the loss comes from")})


def conventions_table(conventions, losses: dict, row_names, *, caption: str,
                      with_mean: bool = False) -> None:
    """One column per framework convention, one row per case (and the mean)."""
    columns = {c.label: losses[c.key] for c in conventions if c.key in losses}
    frame = pd.DataFrame(columns, index=list(row_names))
    if with_mean:
        frame.loc["mean"] = frame.mean(axis=0, skipna=False)
    st.write(f"**{caption}**")
    shown = frame.map(lambda v: f"{v:.4f}")  # as text, so nan and inf read as such
    st.dataframe(shown, width="stretch",
                 height=min(36 * (len(frame) + 1) + 3, 320))


# ---------------------------------------------------------------- stability page
def _fmt_vec(v) -> str:
    return "[" + ", ".join(f"{x:.4g}" for x in np.asarray(v, dtype=float).ravel()) + "]"


def overflow_table(rows) -> None:
    """Per dtype: the overflow threshold, the logits as held, naive (✗ where it broke) and
    stable softmax."""
    frame = pd.DataFrame({
        "dtype": [r.dtype for r in rows],
        "exp overflows above": [f"{r.threshold:.2f}" for r in rows],
        "logits as stored": [_fmt_vec(r.logits) for r in rows],
        "naive exp(z) / Σ exp(z)": [("✓ " if r.naive_ok else "✗ ") + _fmt_vec(r.naive)
                                    for r in rows],
        "exp(z − max) / Σ exp(z − max)": [_fmt_vec(r.stable) for r in rows],
    })
    st.dataframe(frame, hide_index=True, width="stretch")


def log_softmax_table(rows, target_index: int, two_step, fused) -> None:
    """Per dtype: log(softmax) against log_softmax, and the loss computed both ways."""
    frame = pd.DataFrame({
        "dtype": [r.dtype for r in rows],
        f"log(softmax(z))[{target_index}]": [float(r.log_naive[target_index]) for r in rows],
        f"log_softmax(z)[{target_index}]": [float(r.log_stable[target_index]) for r in rows],
        "two-step loss −log(softmax(z)[y])": two_step,
        "fused loss from logits": fused,
    })
    shown = frame.map(lambda v: v if isinstance(v, str) else f"{v:.6g}")  # text: inf reads as inf
    st.dataframe(shown, hide_index=True, width="stretch")


def mistake(m) -> None:
    """A common mistake: the wrong and the right computation side by side."""
    st.markdown(f"**{m.title}**")
    sides = (("Wrong", m.wrong, m.wrong_code, m.wrong_detail),
             ("Right", m.right, m.right_code, m.right_detail))
    for column, (label, value, code, detail) in zip(st.columns(2), sides):
        with column:
            st.metric(label if m.measure == "loss" else f"{label}: {m.measure}", f"{value:.4f}",
                      border=True)
            st.code(code, language="python", wrap_lines=True)
            if detail:
                st.caption(detail)
    st.markdown(m.why)


# ---------------------------------------------------------------- URL state beyond bind=
def snap(value: float, step: float, low: float) -> float:
    """A slider value on its step grid: a link may carry 1.03 where the slider shows 1.05.

    Bound sliders accept such values from the URL as they are; computing with the
    snapped value keeps every number on the page equal to what the slider shows.
    """
    return round(low + round((float(value) - low) / step) * step, 10)


def seed_index_from_url(key: str, count: int, default: int = 0) -> None:
    """Give ``st.session_state[key]`` an index in ``[0, count)``, from ``?key=<int>`` at first.

    Used where a bound widget would put a *label* in the URL (a selectbox puts the
    class name, which goes stale when the class is renamed): the URL carries the index.
    """
    state = st.session_state
    if key not in state:
        raw = st.query_params.get(key, "")
        state[key] = int(raw) if raw.isdigit() and int(raw) < count else default
    elif not (isinstance(state[key], int) and 0 <= state[key] < count):
        state[key] = default


def write_index_to_url(key: str, value: int, default: int = 0) -> None:
    """Keep ``?key=`` equal to the widget's index (absent when it is the default)."""
    if value == default:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)


# ---------------------------------------------------------------- batch page
def _batch_state(prefix):
    s = st.session_state
    return s.get(f"{prefix}.rows", ""), s.get(f"{prefix}.target_kind"), s.get(f"{prefix}.pred_kind")


def _ignore_index(prefix):
    s = st.session_state
    return int(s.get(f"{prefix}.ignore_index", -100)) if s.get(f"{prefix}.ignore_on") else None


def _set_batch(prefix, batch) -> None:
    st.session_state[f"{prefix}.rows"] = parsing.format_batch(batch)
    st.session_state[f"{prefix}.target_kind"] = batch.target_kind
    st.session_state[f"{prefix}.pred_kind"] = batch.pred_kind


def _on_batch_edit(prefix, editor_key, batch, ignore_index):
    columns = parsing.batch_columns(batch.target_kind, batch.pred_kind, batch.num_classes)
    uniform = [round(1 / batch.num_classes, 6)] * batch.num_classes
    new_row = ([0] if batch.target_kind == "index" else [1.0] + [0.0] * (batch.num_classes - 1)) \
        + ([0.0] * batch.num_classes if batch.pred_kind == "logits" else uniform)
    try:
        records = parsing.apply_record_edits(parsing.batch_records(batch),
                                             st.session_state[editor_key], columns, new_row)
        _set_batch(prefix, parsing.batch_from_records(
            records, batch.target_kind, batch.pred_kind, batch.num_classes,
            ignore_index=ignore_index))
    except InputError as err:
        _reject_edit(prefix, err)


def _on_batch_upload(prefix, uploader_key):
    upload = st.session_state.get(uploader_key)
    if upload is None:
        return
    try:
        _set_batch(prefix, parsing.parse_batch_csv(upload.getvalue(),
                                                   ignore_index=_ignore_index(prefix)))
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"{upload.name}: {err}"


def convert_batch_kinds(prefix: str, old_kinds: tuple) -> None:
    """Callback of the kind switches: rewrite the batch in the newly chosen kinds."""
    from .batch import convert_batch

    text, target_kind, pred_kind = _batch_state(prefix)
    try:
        rows = parsing.parse_batch(text, *old_kinds, ignore_index=_ignore_index(prefix))
        _set_batch(prefix, convert_batch(rows, target_kind, pred_kind))
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"The batch could not be converted: {err}"
        st.session_state[f"{prefix}.target_kind"], st.session_state[f"{prefix}.pred_kind"] = \
            old_kinds


def apply_batch_preset(prefix: str, preset) -> None:
    """Callback: a preset's batch and options."""
    s = st.session_state
    s[f"{prefix}.rows"] = preset.rows
    s[f"{prefix}.target_kind"] = preset.target_kind
    s[f"{prefix}.pred_kind"] = preset.pred_kind
    s[f"{prefix}.weights_on"] = preset.weights is not None
    if preset.weights is not None:
        s[f"{prefix}.weights"] = preset.weights
    s[f"{prefix}.ignore_on"] = preset.ignore
    s[f"{prefix}.ignore_index"] = -100
    s[f"{prefix}.eps"] = preset.smoothing


def batch_editor(prefix: str, batch, ignore_index) -> None:
    """The batch as an editable table; accepted edits rewrite ``prefix.rows``."""
    columns = parsing.batch_columns(batch.target_kind, batch.pred_kind, batch.num_classes)
    text = parsing.format_batch(batch)
    editor_key = _editor_key(prefix, text, ignore_index)
    config = {}
    for col in columns:
        if col == "target":
            config[col] = st.column_config.NumberColumn("target", step=1, format="%d",
                                                        required=True)
        elif col[0] in "tp":
            config[col] = st.column_config.NumberColumn(col, min_value=0.0, max_value=1.0,
                                                        format="%.4g", required=True)
        else:
            config[col] = st.column_config.NumberColumn(col, format="%.4g", required=True)
    st.data_editor(pd.DataFrame(parsing.batch_records(batch), columns=columns), key=editor_key,
                   num_rows="dynamic", width="stretch", column_config=config,
                   on_change=_on_batch_edit, args=(prefix, editor_key, batch, ignore_index))


def batch_io(prefix: str, batch) -> None:
    """Download the batch as CSV, or replace it with an uploaded CSV file."""
    st.download_button("Download the batch as CSV", parsing.batch_to_csv(batch), f"{prefix}.csv",
                       mime="text/csv", on_click="ignore", icon=":material/download:")
    key = f"{prefix}.upload"
    st.file_uploader("Replace the batch with a CSV file (target or t0…, then z0… or p0…)",
                     type=["csv"], key=key, on_change=_on_batch_upload, args=(prefix, key),
                     max_upload_size=1)


def batch_rows_table(result, batch) -> None:
    """Per row: the target, p of the target class, the weight it adds, its loss; ignored greyed."""
    columns = {"row": range(1, len(batch) + 1)}
    if batch.target_kind == "index":
        columns["target"] = [str(t) for t in batch.targets]
        columns["p of target"] = ["ignored" if result.ignored[i] else f"{result.probs[i, t]:.4f}"
                                  for i, t in enumerate(batch.targets)]
    else:
        columns["target"] = ["[" + ", ".join(f"{v:.3g}" for v in t) + "]" for t in batch.targets]
    columns["weight in mean"] = result.row_weight
    columns["loss"] = result.losses
    st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch", column_config={
        "weight in mean": NUMBER(format="%g", help="What this row adds to the mean's "
                                 "denominator: its class weight, 0 if ignored"),
        "loss": NUMBER(format="%.4f")})


def options_effect_table(result) -> None:
    """Each option alone, per row and in the mean."""
    frame = pd.DataFrame({name: losses for name, (losses, _) in result.by_option.items()},
                         index=[f"row {i + 1}" for i in range(result.losses.size)])
    frame.loc["mean"] = [mean for _, mean in result.by_option.values()]
    st.dataframe(frame.map(lambda v: f"{v:.4f}"), width="stretch")  # text: nan reads as nan


def mean_latex(result, *, weighted: bool) -> str:
    """The mean written out: the sum of the losses over what PyTorch divides it by."""
    below = r"\sum_{i\ \mathrm{kept}} w_{y_i}" if weighted else (
        r"\#\{i\ \mathrm{kept}\}" if result.ignored.any() else "N")
    return (rf"\mathrm{{mean}} = \frac{{\sum_i \ell_i}}{{{below}}} = "
            rf"\frac{{{result.total:.4f}}}{{{result.denominator:g}}} = {result.mean:.4f}")


# ---------------------------------------------------------------- one sample's logits, shared
SAMPLE = "explorer"  # the Explorer, Gradients and Descent pages share these keys (and URL)
MIN_CLASSES, MAX_CLASSES = 2, 10
LOGIT_RANGE = 10.0  # sliders span [-10, 10]: enough to saturate softmax at every T >= 0.5


def sample_controls(column, *, temperature: bool = True, max_classes: int = MAX_CLASSES):
    """Classes, names and temperature in the sidebar; the true class and logits in ``column``.

    Returns ``(names, logits, true_index, temperature)``. The keys (and so the URL
    parameters) are the Explorer's, so the logits set there carry over to the pages
    that use this too.
    """
    p = SAMPLE
    with st.sidebar:
        st.subheader("Classes")
        count = st.slider("Number of classes", MIN_CLASSES, max_classes, 3, key=f"{p}.classes",
                          bind="query-params")
        names_text = st.text_input("Class names (comma-separated)", "panda, seal, duck",
                                   max_chars=300, key=f"{p}.names", bind="query-params")
        names, note = parsing.parse_class_names(names_text, count)
        if note:
            st.caption(note)
        t = 1.0
        if temperature:
            st.subheader("Softmax")
            t = snap(st.slider("Temperature T", 0.1, 5.0, 1.0, 0.05, key=f"{p}.T",
                               bind="query-params",
                               help="p = softmax(z / T): T > 1 flattens p, T < 1 sharpens it."),
                     0.05, 0.1)
    with column:
        seed_index_from_url(f"{p}.y", count)  # the URL holds the index, not the class name
        true_index = st.selectbox("True class y", range(count), format_func=lambda i: names[i],
                                  key=f"{p}.y", persist_state="session")
        write_index_to_url(f"{p}.y", true_index)
        logits = [snap(st.slider(f"Logit z of {name}", -LOGIT_RANGE, LOGIT_RANGE, 0.0, 0.01,
                                 format="%.2f", key=f"{p}.z{i}", bind="query-params"),
                       0.01, -LOGIT_RANGE)
                  for i, name in enumerate(names)]
    return names, logits, true_index, t


def chain_rule_tables(chain, class_names) -> None:
    """The three steps of dL/dz = dL/dp_y · dp_y/dz, each as a small table with its numbers."""
    y = chain.true_index
    name = class_names[y]
    st.markdown(f"**Step 1.** The loss depends on p({name}) alone: "
                f"∂L/∂p_y = −1/p_y = −1/{chain.probs[y]:.4f} = **{chain.dloss_dp:.4f}**")
    st.markdown(f"**Step 2.** How p({name}) moves with each logit: row y of the Jacobian.")
    case = ["j = y: p_y(1 − p_y)" if j == y else "j ≠ y: −p_y p_j" for j in range(len(class_names))]
    st.dataframe(pd.DataFrame({"logit": [f"z of {n}" for n in class_names], "case": case,
                               "∂p_y/∂z_j": chain.jacobian_row}),
                 hide_index=True, width="stretch", column_config={"∂p_y/∂z_j": NUMBER(format="%+.4f")})
    st.markdown("**Step 3.** Multiply, and compare with the closed form p − onehot(y).")
    onehot = [1.0 if j == y else 0.0 for j in range(len(class_names))]
    frame = pd.DataFrame({"logit": [f"z of {n}" for n in class_names],
                          "∂L/∂p_y · ∂p_y/∂z_j": chain.product,
                          "p_j − onehot_j": [f"{p:.4f} − {o:g}" for p, o in zip(chain.probs, onehot)],
                          "= ": chain.closed_form})
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "∂L/∂p_y · ∂p_y/∂z_j": NUMBER(format="%+.4f"), "= ": NUMBER(format="%+.4f")})


def gradient_check_table(check, class_names) -> None:
    frame = pd.DataFrame({"class": list(class_names), "closed form": check.analytic,
                          "central difference": check.numeric,
                          "relative error": check.relative_error})
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "closed form": NUMBER(format="%+.10f"), "central difference": NUMBER(format="%+.10f"),
        "relative error": NUMBER(format="%.1e")})


# ---------------------------------------------------------------- training page
def explorer_link(logits, true_index, class_names) -> str:
    """A link that opens the Explorer on these logits (clipped to its slider range)."""
    from urllib.parse import urlencode

    z = np.clip(np.round(np.asarray(logits, float) - np.max(logits), 2), -LOGIT_RANGE, LOGIT_RANGE)
    query = {f"{SAMPLE}.classes": len(class_names), f"{SAMPLE}.names": ", ".join(class_names),
             f"{SAMPLE}.y": int(true_index)}
    query.update({f"{SAMPLE}.z{i}": f"{v:g}" for i, v in enumerate(z)})
    return "/explorer?" + urlencode(query)


def training_samples_table(features, feature_names, species_names, labels, scores, rows,
                           held_out) -> None:
    """One row per flower, the confidently wrong first."""
    frame = pd.DataFrame({"sample": rows})
    for j, name in enumerate(feature_names):
        frame[name.replace("_", " ") + " (cm)"] = np.asarray(features)[:, j]
    frame["true species"] = [species_names[k] for k in labels]
    frame["predicted"] = [("" if k == t else "✗ ") + species_names[k]
                          for k, t in zip(scores.predicted, labels)]
    frame["p(true species)"] = scores.p_true
    frame["loss"] = scores.loss
    frame["held out"] = held_out
    frame = frame.sort_values("loss", ascending=False)
    st.dataframe(frame, hide_index=True, width="stretch", height=320, column_config={
        **{c: NUMBER(format="%.1f") for c in frame.columns if c.endswith("(cm)")},
        "predicted": st.column_config.TextColumn(help="✗ marks a wrong prediction"),
        "p(true species)": st.column_config.ProgressColumn(format="%.3f", min_value=0,
                                                           max_value=1),
        "loss": NUMBER(format="%.3f")})


def apply_training_preset(prefix: str, preset) -> None:
    s = st.session_state
    s[f"{prefix}.x"], s[f"{prefix}.y"] = preset.features
    s[f"{prefix}.species"] = list(preset.species)
    s[f"{prefix}.lr"], s[f"{prefix}.epochs"], s[f"{prefix}.l2"] = \
        preset.learning_rate, preset.epochs, preset.l2


def matches_training_preset(preset, fx, fy, species, lr, epochs, l2) -> bool:
    return ((fx, fy) == preset.features and tuple(species) == preset.species
            and (lr, epochs, l2) == (preset.learning_rate, preset.epochs, preset.l2))


def selected_row(event):
    """The data-set row of the point clicked in a chart whose customdata is that row, or None."""
    try:
        points = event.selection.points
    except AttributeError:
        return None
    for point in points or []:
        row = point.get("customdata")
        if isinstance(row, list):
            row = row[0] if row else None
        if isinstance(row, (int, float)):
            return int(row)
    return None


def training_sample_detail(row: int, data, rows, scores, class_names) -> None:
    """The clicked flower in the Explorer's terms: its probabilities, its loss, a link."""
    where = np.flatnonzero(data.rows[rows] == row)
    if where.size == 0:
        return
    i = int(where[0])
    y = int(data.labels[rows][i])
    with st.container(border=True):
        st.markdown(f"**Sample {row}**, a {class_names[y]}: loss −log p = {scores.loss[i]:.4f}")
        chart(figures.make_probability_figure(scores.probs[i], class_names, y),
              key="training.fig.sample")
        st.markdown(f"[Open these logits in the Explorer]"
                    f"({explorer_link(scores.logits[i], y, class_names)})")


# ---------------------------------------------------------------- cached work
# Figures that depend on few, discrete settings are built once per setting and shared
# by every session (plotly_chart only reads them); training runs are cached as data.
@st.cache_resource(max_entries=4, show_spinner=False)
def log_pair_figure():
    return figures.make_log_pair_figure()


@st.cache_resource(max_entries=4, show_spinner=False)
def entropy_term_figure(marks=(0.2, 0.8)):
    return figures.make_entropy_term_figure(marks)


@st.cache_resource(max_entries=32, show_spinner=False)
def overflow_figure(largest: float):
    from . import stability

    x = stability.sweep_grid()
    return figures.make_overflow_figure(
        x, {d: stability.naive_sweep(x, d) for d in stability.DTYPES},
        {d: stability.exp_overflow_threshold(d) for d in stability.DTYPES}, current=largest)


@st.cache_resource(max_entries=32, show_spinner=False)
def clamp_figure(p_true: float):
    from . import stability
    from .conventions import TRUE_CLASS_CONVENTIONS
    from .conventions import true_class_losses_by_convention

    grid = stability.probability_grid()
    return figures.make_clamp_figure(grid, true_class_losses_by_convention(grid),
                                     {c.key: c.label for c in TRUE_CLASS_CONVENTIONS},
                                     current=p_true)


@st.cache_data(max_entries=64, show_spinner=False)
def train_iris(features: tuple, species: tuple, learning_rate: float, epochs: int, l2: float):
    """The Training page's run for these settings: ``(subset, split, run)``."""
    from .descent import split_and_standardise
    from .descent import train_softmax_regression
    from .iris import FEATURES
    from .iris import load_iris
    from .iris import subset

    data = subset(load_iris(), [FEATURES.index(f) for f in features], list(species))
    split = split_and_standardise(data.features, data.labels, seed=0)
    return data, split, train_softmax_regression(split, len(species), learning_rate=learning_rate,
                                                 epochs=epochs, l2=l2)


@st.cache_resource(show_spinner=False)
def tune_process() -> bool:
    """Once per server process: import what the pages use, ``gc.freeze()`` it, and turn
    Nagle's algorithm off on the server's sockets.

    Python's full collections scan every tracked object; with plotly and pandas loaded
    that is hundreds of thousands of long-lived objects, and a collection that lands in a
    rerun added 30-40 ms to it (the rerun's p90). Frozen objects are skipped. Done once,
    at start: freezing on every rerun would also freeze each rerun's garbage, a leak.
    """
    import gc

    import plotly.graph_objects  # noqa: F401
    import plotly.subplots  # noqa: F401

    from . import batch  # noqa: F401
    from . import descent  # noqa: F401
    from . import explain  # noqa: F401
    from . import formulas  # noqa: F401

    gc.collect()
    no_delay_on_tcp_sockets(gc.get_objects())
    gc.freeze()
    return True


def no_delay_on_tcp_sockets(objects) -> int:
    """Set TCP_NODELAY on every open TCP socket among ``objects``; returns how many.

    Streamlit 1.67 binds its listening socket as ``socket.socket(family)``, protocol 0,
    and asyncio sets TCP_NODELAY only on sockets whose protocol is IPPROTO_TCP. So every
    websocket had Nagle's algorithm on: a message written while the previous one was not
    yet acknowledged waited for the client's delayed ACK, and a change made right after
    the last one finished took ~48 ms instead of ~12. Sockets accepted later inherit the
    option from the listening one (Linux); the ones already open are set here too.
    """
    import socket

    count = 0
    for obj in objects:
        if (isinstance(obj, socket.socket) and obj.type == socket.SOCK_STREAM
                and obj.family in (socket.AF_INET, socket.AF_INET6) and obj.fileno() != -1):
            try:
                obj.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
            except OSError:  # closed meanwhile, or not TCP after all: nothing to tune
                pass
    return count
