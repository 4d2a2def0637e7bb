"""Descent: gradient descent on the logits, played step by step, on the simplex, and compared."""

import contextlib

import streamlit as st

from cevis_app.text import escape
from cevis_app.urlstate import snap
from cevis_app.views import descent_settings as ds
from cevis_app.views.descent_player import Settings
from cevis_app.widgets import controls
from cevis_app.widgets import descent_views
from cevis_app.widgets import player_page
from cevis_app.widgets import present
from cevis_app.widgets import room
from cevis_app.widgets.descent_player import descent_player

P = ds.PAGE
RATES = "Learning rates side by side"
COMPARISONS = "Learning rates side by side; cross-entropy against squared error"

st.title("Gradient descent on the loss")
st.caption("Each step moves the logits against the gradient, z ← z − η ∂L/∂z. The run starts "
           "from the Explorer's sample (logits, true class and temperature T: p = softmax(z / T)); "
           "the server computes the steps with cevis, the browser plays them.")

controls.start_page(P)
if present.active():  # presenting: the animation at full width, its settings folded away
    left, right = st.expander("Logits and descent settings"), st.container()
else:
    left, right = controls.sample_columns()
names, logits, true_index, temperature = controls.sample_controls(left, P)
following = room.following()  # a student following the teacher: the teacher's settings, no controls
if following:  # (room_bar kept the teacher's; the controls start from them when exploring alone)
    followed = ds.settings_of(st.session_state.get(room.SETTINGS))
    st.session_state.update(ds.state_of(followed))


def play(names, logits, true_index, settings: Settings, refresh=False, caption=None):
    """The player and the line under it (a follower's names the teacher's settings)."""
    descent_player(names, logits, true_index, settings, key=f"{P}.player", refresh=refresh)
    st.caption(caption or "▶ plays the descent from the Explorer's sample at the speed chosen; "
               "pause, then change η, the loss or ε below (or T) and play again: the run "
               "continues from the step shown (a dashed line marks where). Keys: space plays "
               "or pauses, ← → step.")


def compared(views, names):
    """The comparisons under the player: three learning rates (losses, and the paths on the
    simplex for 3 classes), then cross-entropy against squared error."""
    c1, c2 = st.columns(2)
    with c1:
        controls.chart(views.rates_figure, key=f"{P}.fig.rates", lazy=True)
    with c2:
        if views.simplex_figure is not None:
            controls.chart(views.simplex_figure, key=f"{P}.fig.simplex", lazy=True)
            st.caption("In numbers (p of the three classes, in their order): " + "; ".join(
                f"{label}: from ({', '.join(f'{v:.2f}' for v in run_p[0])}) to "
                f"({', '.join(f'{v:.2f}' for v in run_p[-1])})"
                for label, run_p in views.rates.probs.items()) + ".")
        else:
            st.info("The simplex picture needs exactly 3 classes (set them in the sidebar).")
    st.markdown(
        "Without label smoothing the cross-entropy of one sample has no minimum at finite logits: "
        "the loss only approaches 0 as the true logit runs away, so a larger step simply gets "
        "there faster. Turn on label smoothing (say ε = 0.2) and try η = 30: now there is a best "
        "point, and a step that is too large jumps past it and back, the loss bouncing instead "
        "of falling.")
    st.subheader("Cross-entropy against squared error, from the same start")
    controls.chart(views.losses_figure, key=f"{P}.fig.ce_mse", lazy=True)
    st.markdown("Start confidently wrong (the Explorer's *confidently wrong* preset) to see the "
                "difference: MSE's gradient is tiny there, so it barely moves at first, while "
                "cross-entropy moves at full speed from step one.")


@st.fragment
def player(names, logits, true_index, temperature):
    """The player with the settings it continues with (η, the loss, ε): a change of one, or the
    player's own reports (pause, more frames), reruns only this; the page follows once the new
    frame is drawn (``widgets/player_page.py``). T is the shared sample's: it reruns the page."""
    shown = st.container()
    box = st.expander("Descent settings") if present.active() else contextlib.nullcontext()
    with box:
        a, b = st.columns([1.1, 1])
        lr = a.select_slider("Learning rate η", ds.RATES, value=ds.DEFAULTS.learning_rate,
                             key=ds.LR, bind="query-params")
        loss = b.segmented_control("Loss", list(ds.LOSSES), default=ds.DEFAULTS.loss,
                                   required=True, key=ds.LOSS, bind="query-params",
                                   format_func=ds.LOSSES.get)
        loss = controls.usable(loss, ds.LOSS, ds.DEFAULTS.loss, list(ds.LOSSES))
        low, high, step = ds.SMOOTHING
        eps = snap(a.slider("Label smoothing ε (cross-entropy)", low, high,
                            ds.DEFAULTS.label_smoothing, step, key=ds.EPS, bind="query-params",
                            disabled=loss != "cross-entropy",
                            help="With ε > 0 the best logits are finite, so a too large step "
                                 "overshoots."),
                   step, low)  # on the slider's grid, as a follower gets it (a link may say 0.23)
    settings = Settings(lr, loss, ds.DescentSettings(lr, loss, eps).smoothing, temperature)
    refresh = player_page.page_is_stale(f"{P}.player", settings)
    with shown:
        play(names, logits, true_index, settings, refresh)
    return settings


with right:
    # the player first: at 1280x720 and 150 % it is in view without scrolling
    if following:  # no fragment either: nothing on the page changes the settings (issue 26)
        settings = Settings(followed.learning_rate, followed.loss, followed.smoothing, temperature)
        play(names, logits, true_index, settings, caption=(
            f"The teacher's settings: {ds.describe(followed)}. ▶ plays the descent; keys: "
            "space plays or pauses, ← → step."))
    else:
        with player_page.full_run(f"{P}.player"):
            settings = player(names, logits, true_index, temperature)
        player_page.drawn_with(f"{P}.player", settings)
lr, loss, smoothing = settings.learning_rate, settings.loss, settings.label_smoothing
if following:  # the comparisons folded until opened: a page switch runs every follower's page,
    # one after another on one process, and they were 14 of its 37 messages (issue 26)
    folded = st.expander(COMPARISONS, icon=":material/compare_arrows:", key=f"{P}.comparisons",
                         on_change="rerun")
    steps = followed.steps
else:
    st.subheader(RATES)
    steps = st.columns([1, 2])[0].slider("Steps (the comparisons)", *ds.STEPS, ds.DEFAULTS.steps,
                                         key=ds.STEP_COUNT, bind="query-params")
views = descent_views.comparisons(names, logits, true_index, temperature, lr, loss, smoothing,
                                  steps, lowest=ds.RATES[0], highest=ds.RATES[-1])
run = views.run
with right, st.container(horizontal=True):  # one block, not four: a room opens the page at once
    st.metric("Loss at the start", f"{run.losses[0, 0]:.4f}")
    st.metric(f"Loss after {steps} steps", f"{run.losses[0, -1]:.4f}")
    st.metric(f"p({escape.markdown(names[true_index])}) after", f"{run.p_true[0, -1]:.4f}",
              f"{run.p_true[0, -1] - run.p_true[0, 0]:+.4f}")
if not following:
    compared(views, names)
elif folded.open:
    with folded:
        st.subheader(RATES)
        compared(views, names)
