"""Draw a lesson step's view with the pages' own charts and tables, one function per view kind.

The numbers come from :mod:`cevis_app.views.lesson_truths` (cevis underneath); this
module only lays them out. ``key`` makes every chart's key unique to its step.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cevis.conventions import TRUE_CLASS_CONVENTIONS
from cevis.conventions import true_class_losses_by_convention
from cevis_app import charts
from cevis_app.charts.style import OKABE_ITO
from cevis_app.charts.style import TEXT_COLOUR
from cevis_app.nav import all_pages
from cevis_app.urlstate import explorer_link
from cevis_app.views import lesson_truths as lt
from cevis_app.views.gradient_check import chain_rule
from cevis_app.views.lesson_numbers import change
from cevis_app.views.lesson_numbers import number
from cevis_app.views.lesson_numbers import signed
from cevis_app.views.stability import compare_dtypes
from cevis_app.views.stability import entropy_term
from cevis_app.views.stability import fused_cross_entropy
from cevis_app.views.stability import two_step_cross_entropy
from cevis_app.widgets import cache
from cevis_app.widgets import tables
from cevis_app.widgets.chart import chart

GUESS_COLOUR = OKABE_ITO["bluish green"]  # the learner's guess, apart from the truth's vermillion
LINE_COLOUR = TEXT_COLOUR  # the loss asked about, dotted across the curve


def _curve(view: dict, key: str, guess=None) -> None:
    p, loss = lt.curve_point(view)
    if "from_p" in view:
        before = lt.curve_loss(view["from_p"])
        delta = change(before, loss)
        st.metric(f"Loss at p = {view['from_p']:g} → at p = {p:g}", number(loss),
                  None if delta is None else f"{delta} from {number(before)}", delta_color="off")
    figure = charts.make_loss_curve_figure(p, loss=loss)
    if "target_loss" in view:
        figure.add_hline(y=view["target_loss"], line=dict(color=LINE_COLOUR, dash="dot", width=1))
        if guess is not None and 0 < float(guess) <= 1:
            g = float(guess)
            for trace in figure.data:
                trace.showlegend = False
            # a legend entry, not a second arrow: near the truth two labels would collide
            figure.add_scatter(x=[g], y=[lt.curve_loss(g)], mode="markers",
                               name=f"your guess: p = {g:.3g}",
                               marker=dict(color=GUESS_COLOUR, size=12, symbol="x"),
                               hovertemplate=f"your guess: p = {g:.3g}<extra></extra>")
            figure.update_layout(showlegend=True, legend=dict(
                x=0.98, xanchor="right", y=0.98, yanchor="top", font=dict(color=TEXT_COLOUR),
                bgcolor="rgba(255,255,255,0.85)"))
    chart(figure, key=f"{key}.curve")


def _curve_preview(view: dict, key: str) -> None:
    """The bare −log p curve and the loss asked about, before the answer (no point on it)."""
    figure = charts.make_loss_curve_figure(1.0, loss=0.0)
    figure.data = figure.data[:1]  # the curve alone: the marked point would be p = 1
    figure.layout.annotations = ()
    figure.add_hline(y=view["target_loss"], line=dict(color=LINE_COLOUR, dash="dot", width=1),
                     annotation_text=f"loss = {view['target_loss']:g}")
    chart(figure, key=f"{key}.preview")


def _terms(view: dict, key: str) -> None:
    marks = tuple(view["marks"])
    for column, y in zip(st.columns(len(marks)), marks):
        column.metric(f"−y·log y at y = {y:g}", number(entropy_term(y)))
    chart(cache.entropy_term_figure(marks), key=f"{key}.terms")


def _sample_charts(view: dict, key: str) -> None:
    s, names = lt.sample(view), view["names"]
    c1, c2, c3 = st.columns(3)
    with c1:
        chart(charts.make_probability_figure(s.probs, names, s.true_index), key=f"{key}.p")
    with c2:
        chart(charts.make_loss_curve_figure(s.probs[s.true_index], loss=s.loss), key=f"{key}.loss")
    with c3:
        chart(charts.make_gradient_figure(s.grad, names, s.true_index, temperature=s.temperature),
              key=f"{key}.grad")


def _sample(view: dict, key: str) -> None:
    shown = lt.after(view)
    s, y = lt.sample(view), view["y"]
    name = view["names"][y]
    m1, m2 = st.columns(2)
    if "after" in view:
        t = lt.sample(shown)
        for column, label, was, now in (
                (m1, "Loss −log p(y)", s.loss, t.loss),
                (m2, f"p({name})", float(s.probs[y]), float(t.probs[y]))):
            delta = change(was, now)
            column.metric(f"{label}: before → after" if delta else f"{label}: unchanged",
                          number(now), delta, delta_color="off")
    else:
        m1.metric("Loss −log p(y)", number(s.loss))
        m2.metric(f"p({name})", number(s.probs[y]))
    _sample_charts(shown, key)
    if view.get("show") == "chain":
        tables.chain_rule_tables(chain_rule(lt.sample_logits(view), y), view["names"])
    link = explorer_link(lt.sample_logits(shown), y, view["names"])
    if shown.get("T", 1.0) != 1.0:
        link += f"&explorer.T={shown['T']:g}"
    st.markdown(f"[Open this in the Explorer]({link}) to move the logits yourself.")


def _binary(view: dict, key: str) -> None:
    b = lt.binary(view)
    if b.loss.size == 1:
        m = st.columns(3)
        m[0].metric("p = σ(z)", number(b.probs[0]))
        m[1].metric("Loss", number(b.loss[0]))
        m[2].metric("∂L/∂z = p − t", signed(b.grad_logit[0]))
    c1, c2 = st.columns(2)
    with c1:
        if b.loss.size == 1:
            chart(charts.make_sigmoid_figure(b.logits[0], b.probs[0]), key=f"{key}.sigmoid")
        else:
            tables.binary_results_table(b)
    with c2:
        chart(charts.make_binary_curves_figure(b.probs, b.target.astype(int), highlight=int(
            b.loss.argmax()) if b.loss.size > 1 else 0), key=f"{key}.bce")


def _batch_frame(view: dict) -> pd.DataFrame:
    b, names = lt.batch(view), view["names"]
    return pd.DataFrame({
        "row": range(1, b.losses.size + 1),
        "target": [names[t] if not b.ignored[i] else f"{t} (ignored)"
                   for i, t in enumerate(view["targets"])],
        "p of target": ["—" if b.ignored[i] else f"{b.probs[i, t]:.4f}"
                        for i, t in enumerate(view["targets"])],
        "weight in mean": [f"{w:g}" for w in b.row_weight],
        "loss": [number(v) for v in b.losses]})


def _batch(view: dict, key: str) -> None:
    shown = lt.after(view)
    b, reduction = lt.batch(shown), shown.get("reduction", "mean")
    m = st.columns(3)
    value = lt.batch_value(shown)
    label = f"reduction='{reduction}'"
    if "after" in view:
        delta = change(lt.batch_value(view), value)
        m[0].metric(f"{label}: before → after" if delta else f"{label}: unchanged", number(value),
                    delta, delta_color="off")
    else:
        m[0].metric(label, number(value))
    m[1].metric("Sum of the losses", number(b.total))
    m[2].metric("The mean divides by", f"{b.denominator:g}")
    st.dataframe(_batch_frame(shown), hide_index=True, width="stretch")
    opts = lt.batch_options(shown)
    st.caption(f"weight = {list(opts.weight) if opts.weight else None} · ignore_index = "
               f"{opts.ignore_index} · label_smoothing = {opts.label_smoothing:g}")


def _stability(view: dict, key: str) -> None:
    rows = compare_dtypes(view["logits"])
    tables.overflow_table(rows)
    y = view["y"]
    tables.log_softmax_table(rows, y, [two_step_cross_entropy(view["logits"], y, r.dtype)
                                       for r in rows],
                             [fused_cross_entropy(view["logits"], y, r.dtype) for r in rows])
    chart(cache.overflow_figure(float(max(view["logits"]))), key=f"{key}.overflow")


def _clamp(view: dict, key: str) -> None:
    losses = true_class_losses_by_convention(view["p"])
    st.dataframe(pd.DataFrame({"convention": [c.label for c in TRUE_CLASS_CONVENTIONS],
                               "rule": [c.rule for c in TRUE_CLASS_CONVENTIONS],
                               "loss": [number(losses[c.key])
                                        for c in TRUE_CLASS_CONVENTIONS]}),
                 hide_index=True, width="stretch")
    chart(cache.clamp_figure(float(view["p"])), key=f"{key}.clamp")


def _descent(view: dict, key: str) -> None:
    path = lt.descent(view)
    names = view["names"]
    m = st.columns(2)
    m[0].metric("Loss at the start", number(path.losses[0, 0]))
    m[1].metric(f"Loss after {view['steps']} step(s)", number(path.losses[0, -1]))
    st.dataframe(pd.DataFrame({"class": names,
                               "logit at the start": [signed(v) for v in path.logits[0, 0]],
                               "gradient there": [signed(v) for v in path.grads[0, 0]],
                               "logit at the end": [signed(v) for v in path.logits[0, -1]]}),
                 hide_index=True, width="stretch")
    if view["steps"] == 1:
        return
    if view.get("compare"):
        mse = lt.descent(view, "mse")
        chart(charts.make_runs_figure(
            {"cross-entropy": path.p_true[0], "squared error on p": mse.p_true[0]},
            title=f"p({names[view['y']]}) at each step", y_title="p of the true class"),
            key=f"{key}.runs")
    else:
        chart(charts.make_runs_figure({"cross-entropy": path.losses[0]},
                                      title="The loss at each step", y_title="loss"),
              key=f"{key}.runs")


def _link(view: dict, key: str) -> None:
    [page] = [p for p in all_pages() if p.url_path == view["page"]]
    with st.container(border=True):
        st.page_link(page.file, label=f"**Open {page.title}**", icon=page.icon,
                     query_params=view.get("query") or None)
        st.markdown(page.blurb)


RENDERERS = {"curve": _curve, "terms": _terms, "sample": _sample, "binary": _binary,
             "batch": _batch, "stability": _stability, "clamp": _clamp, "descent": _descent,
             "link": _link}


def show_view(view: dict, key: str, *, guess=None) -> None:
    """Draw ``view`` (a lesson step's view dict) with keys starting ``key``; a curve also marks
    the learner's ``guess`` of p beside the truth."""
    if view["kind"] == "curve":
        _curve(view, key, guess)
    else:
        RENDERERS[view["kind"]](view, key)


def show_preview(view: dict, key: str) -> None:
    """What a step shows before the answer, when its question asks to read a chart (or nothing)."""
    if view["kind"] == "curve" and "target_loss" in view:
        _curve_preview(view, key)
