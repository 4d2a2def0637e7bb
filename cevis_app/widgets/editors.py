"""Editable tables (st.data_editor) and CSV upload/download, for the Binary and Batch pages.

Every callback validates through cevis_app.text.parsing; a rejected edit leaves the table
as it was and a message for the next run."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cevis import InputError
from cevis_app.text import parsing
from cevis_app.views.batch import convert_batch
from cevis_app.views.explain import convert_predictions


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
    text, target_kind, pred_kind = _batch_state(prefix)
    try:
        rows = parsing.parse_batch(text, *old_kinds, ignore_index=_ignore_index(prefix))
        _set_batch(prefix, convert_batch(rows, target_kind, pred_kind))
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"The batch could not be converted: {err}"
        st.session_state[f"{prefix}.target_kind"], st.session_state[f"{prefix}.pred_kind"] = \
            old_kinds



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
