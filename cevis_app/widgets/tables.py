"""Read-only tables: st.dataframe formatted per column (a pandas Styler costs ~3 ms each), and
the Explorer's class table in Markdown."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from cevis_app.text import escape

NUMBER = st.column_config.NumberColumn
CLASS_TABLES = 512  # Explorer class tables kept (under 1 KiB each): a class's shared samples


MINUS = "\u2212"  # the minus sign the live view prints
CLASS_TABLE_HEAD = "| class | p | ∂L/∂z | loss if true |\n| :-- | --: | --: | --: |"


@functools.lru_cache(maxsize=CLASS_TABLES)
def _class_markdown(names: tuple, probs: tuple, grad: tuple, loss_if_true: tuple,
                    true_index: int) -> str:
    """The class table as a Markdown table; names escaped (a ``|`` stays in its cell)."""
    rows = [f"| {escape.markdown(n)}{' ✓' if i == true_index else ''} | "
            + f"{p:.4f} | {g:+.4f} | {v:.4f} |".replace("-", MINUS)  # the live view's minus
            for i, (n, p, g, v) in enumerate(zip(names, probs, grad, loss_if_true))]
    return "\n".join([CLASS_TABLE_HEAD, *rows])


def class_table(class_names, probs, grad, loss_if_true, true_index) -> None:
    """Per-class numbers, the true class marked with ✓.

    A Markdown table, not ``st.dataframe``: the data grid is the heaviest part of the
    Explorer's first render in the browser (22 more script files, 1.4 MB; ~0.4 s of main
    thread on this machine), and a handful of rows needs no sorting or scrolling.
    """
    floats = [tuple(float(x) for x in np.asarray(a, dtype=np.float64).ravel())
              for a in (probs, grad, loss_if_true)]
    st.markdown(_class_markdown(tuple(str(n) for n in class_names), *floats, int(true_index)))
    st.caption("✓ marks the true class; *loss if true* is −log p of a class, the loss if it "
               "were the true one.")


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



def chain_rule_tables(chain, class_names) -> None:
    """The three steps of dL/dz = dL/dp_y · dp_y/dz, each as a small table with its numbers."""
    y = chain.true_index
    name = escape.markdown(class_names[y])
    st.markdown(f"**Step 1.** The loss depends on p({name}) alone: "
                f"∂L/∂p_y = −1/p_y = −1/{chain.probs[y]:.4f} = **{chain.dloss_dp:.4f}**")
    st.markdown(f"**Step 2.** How p({name}) moves with each logit: row y of the Jacobian.")
    over_t = "" if chain.temperature == 1 else f" / {chain.temperature:g}"  # T
    case = [("j = y: p_y(1 − p_y)" if j == y else "j ≠ y: −p_y p_j") + over_t
            for j in range(len(class_names))]
    st.dataframe(pd.DataFrame({"logit": [f"z of {n}" for n in class_names], "case": case,
                               "∂p_y/∂z_j": chain.jacobian_row}),
                 hide_index=True, width="stretch", column_config={"∂p_y/∂z_j": NUMBER(format="%+.4f")})
    st.markdown("**Step 3.** Multiply, and compare with the closed form p − onehot(y)"
                + (f", divided by T = {chain.temperature:g}." if over_t else "."))
    onehot = [1.0 if j == y else 0.0 for j in range(len(class_names))]
    frame = pd.DataFrame({"logit": [f"z of {n}" for n in class_names],
                          "∂L/∂p_y · ∂p_y/∂z_j": chain.product,
                          "p_j − onehot_j": [f"({p:.4f} − {o:g}){over_t}" if over_t else
                                             f"{p:.4f} − {o:g}" for p, o in zip(chain.probs, onehot)],
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
