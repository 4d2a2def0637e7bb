"""Editable tables (st.data_editor) and CSV upload/download, for the Binary and Batch pages.

Every callback validates through cevis_app.text (samples, parsing, edits); a rejected
edit or upload leaves the table as it was and a message for the next run. Nothing a
tab sends (an editor's change set, an uploader's state) can raise. A state Streamlit itself
cannot decode is read as "no edits" by a hook installed at start-up
(streamlit_hooks.tolerate_undecodable_editor_states)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cevis import InputError
from cevis_app.text import escape
from cevis_app.text import parsing
from cevis_app.text import samples
from cevis_app.text.conversions import convert_batch
from cevis_app.text.conversions import convert_predictions
from cevis_app.text.csvfile import MAX_CSV_BYTES
from cevis_app.text.csvfile import shown
from cevis_app.text.edits import apply_record_edits
from cevis_app.urlstate import format_samples

UPLOAD_MB = MAX_CSV_BYTES // 2**20  # = server.maxUploadSize: the server refuses larger uploads
UPLOAD_LABEL = "Replace the {what} with a CSV file: columns {columns}; at most 1 MB"


def _table_error_key(prefix):
    return f"{prefix}.table_error"


def show_table_error(prefix: str) -> None:
    """Show (once) the message a table callback left: the table itself was kept as it was."""
    message = st.session_state.pop(_table_error_key(prefix), None)
    if message:
        st.error(f"{escape.markdown(message)}. The table was kept as it was.", icon=":material/error:")
    note = st.session_state.pop(f"{prefix}.table_note", None)
    if note:
        st.info(escape.markdown(note), icon=":material/info:")


def _set_rows(prefix: str, rows) -> None:
    st.session_state[f"{prefix}.rows"] = format_samples(rows)


def _editor(prefix: str, content, data):
    """The data an editor is built from (``data`` when ``content`` is new), and its key.

    A data editor keeps its pending edits under its key and sends its whole change set
    relative to the data it was built from. So key and data stay the same while the
    edits are its own (rebuilding it after each accepted edit lost the keystrokes that
    followed), and change only when the table changed from outside (preset, upload,
    text field, kind switch) or after a rejected edit (then a fresh editor shows the
    table as it was instead of one stuck on the bad cell).
    """
    s = st.session_state
    if s.get(f"{prefix}.editor_shows") != content:
        s[f"{prefix}.editor_generation"] = s.get(f"{prefix}.editor_generation", 0) + 1
        s[f"{prefix}.editor_base"] = data
        s[f"{prefix}.editor_shows"] = content
    return s[f"{prefix}.editor_base"], f"{prefix}.editor.{s[f'{prefix}.editor_generation']}"


def _reject_edit(prefix, err) -> None:
    st.session_state[_table_error_key(prefix)] = str(err)
    st.session_state[f"{prefix}.editor_shows"] = None  # the next run builds a fresh editor


def _editor_state(prefix, editor_key):
    """The change set the tab sent, or None (and a message) if Streamlit cannot decode it."""
    try:
        return st.session_state[editor_key]
    except Exception:  # noqa: BLE001 -- any failure to decode untrusted state is a rejected edit
        _reject_edit(prefix, "The table's edit could not be read")
        return None


def _on_edit(prefix, editor_key, base_rows, kind):
    edits = _editor_state(prefix, editor_key)
    if edits is None:
        return
    try:
        rows = samples.apply_table_edits(base_rows, edits, kind)
    except InputError as err:
        _reject_edit(prefix, err)
        return
    _set_rows(prefix, rows)
    st.session_state[f"{prefix}.editor_shows"] = (format_samples(rows), kind)


def _uploaded(prefix, uploader_key):
    """``(name, bytes)`` of the file in an uploader, None if none; a message if unreadable.

    The uploader's state comes from the tab: it can name a file the server no longer
    holds (a tab reconnecting after a restart), which Streamlit hands back as a
    DeletedFile without data.
    """
    try:
        upload = st.session_state.get(uploader_key)
        if upload is None:
            return None
        return shown(getattr(upload, "name", "the file"), 60), upload.getvalue()
    except Exception:  # noqa: BLE001 -- untrusted state: any failure is "no file", said plainly
        st.session_state[_table_error_key(prefix)] = (
            "The uploaded file is no longer on the server (it restarted, or the tab reconnected); "
            "choose the file again")
        return None


def _on_upload(prefix, uploader_key, kind):
    upload = _uploaded(prefix, uploader_key)
    if upload is None:
        return
    name, data = upload
    try:
        rows, file_kind = samples.parse_samples_csv(data, kind)
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"{name}: {err}"
        return
    _set_rows(prefix, rows)
    st.session_state[f"{prefix}.rows_kind"] = file_kind


def samples_editor(prefix: str, rows, kind: str) -> None:
    """An editable table of (label, prediction) rows; edits are written back to ``prefix.rows``."""
    base, editor_key = _editor(prefix, (format_samples(rows), kind), list(rows))
    # numbered from 1, like the results table beside it (edits are keyed by position)
    frame = pd.DataFrame(base, columns=list(samples.CSV_COLUMNS),
                         index=pd.RangeIndex(1, len(base) + 1))
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
        on_change=_on_edit, args=(prefix, editor_key, base, kind))


def samples_io(prefix: str, rows, kind: str, breakdown=None) -> None:
    """Download the table as a CSV record (with p, z, loss, settings), or replace it by a CSV."""
    st.download_button("Download the table as CSV", samples.samples_to_csv(rows, kind, breakdown),
                       f"{prefix}_samples.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:")
    uploader_key = f"{prefix}.upload"
    st.file_uploader(UPLOAD_LABEL.format(what="table", columns="label and prediction"),
                     key=uploader_key, on_change=_on_upload, args=(prefix, uploader_key, kind),
                     max_upload_size=UPLOAD_MB)


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
        rows = samples.parse_samples(st.session_state.get(f"{prefix}.rows", ""), old_kind)
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
    edits = _editor_state(prefix, editor_key)
    if edits is None:
        return
    try:
        records = apply_record_edits(parsing.batch_records(batch), edits, columns, new_row,
                                            max_rows=parsing.MAX_BATCH_ROWS)
        new = parsing.batch_from_records(records, batch.target_kind, batch.pred_kind,
                                         batch.num_classes, ignore_index=ignore_index)
    except InputError as err:
        _reject_edit(prefix, err)
        return
    _set_batch(prefix, new)
    st.session_state[f"{prefix}.editor_shows"] = _batch_content(new, ignore_index)


def _on_batch_upload(prefix, uploader_key):
    upload = _uploaded(prefix, uploader_key)
    if upload is None:
        return
    name, data = upload
    try:
        _set_batch(prefix, parsing.parse_batch_csv(data, ignore_index=_ignore_index(prefix)))
    except InputError as err:
        st.session_state[_table_error_key(prefix)] = f"{name}: {err}"


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


def _batch_content(batch, ignore_index):
    return parsing.format_batch(batch), batch.target_kind, batch.pred_kind, ignore_index


def batch_editor(prefix: str, batch, ignore_index) -> None:
    """The batch as an editable table; accepted edits rewrite ``prefix.rows``."""
    base, editor_key = _editor(prefix, _batch_content(batch, ignore_index), batch)
    columns = parsing.batch_columns(base.target_kind, base.pred_kind, base.num_classes)
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
    st.data_editor(pd.DataFrame(parsing.batch_records(base), columns=columns), key=editor_key,
                   num_rows="dynamic", width="stretch", column_config=config,
                   on_change=_on_batch_edit, args=(prefix, editor_key, base, ignore_index))


def batch_io(prefix: str, batch) -> None:
    """Download the batch as CSV, or replace it with an uploaded CSV file."""
    st.download_button("Download the batch as CSV", parsing.batch_to_csv(batch), f"{prefix}.csv",
                       mime="text/csv", on_click="ignore", icon=":material/download:")
    key = f"{prefix}.upload"
    st.file_uploader(UPLOAD_LABEL.format(what="batch", columns="target or t0…, then z0… or p0…"),
                     key=key, on_change=_on_batch_upload, args=(prefix, key),
                     max_upload_size=UPLOAD_MB)
