"""Training: a softmax classifier learns Iris, and the loss explains what it learns."""

import streamlit as st

from cevis_app import charts
from cevis_app import urlstate
from cevis_app.views.iris import FEATURES
from cevis_app.views.iris import SPECIES
from cevis_app.views.presets import TRAINING_PRESETS
from cevis_app.views.training import decision_grid
from cevis_app.views.training import frame_epochs
from cevis_app.views.training import region_predictions
from cevis_app.views.training import score_samples
from cevis_app.views.training_player import TrainSettings
from cevis_app.widgets import cache
from cevis_app.widgets import controls
from cevis_app.widgets import player_page
from cevis_app.widgets import present
from cevis_app.widgets import tables
from cevis_app.widgets import training_sample
from cevis_app.widgets.training_player import training_player

P = "training"
RATES = [0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]
PENALTIES = [0.0, 0.001, 0.01, 0.1, 1.0]
GOOD = TRAINING_PRESETS["good"]

st.title("Training a softmax classifier on Iris")
st.caption("p = softmax(xW + b) for two measurements of each flower, trained by full-batch "
           "gradient descent on the mean cross-entropy (features standardised, 30% held out).")

controls.start_page(P)
lesson_box = controls.preset_row(P, TRAINING_PRESETS)
# presenting: the loss curves beside the numbers, the preset's lesson and the folded settings,
# so the first screen at 1280x720/150 % holds them all
if present.active():
    curves, side = st.columns([3, 2], gap="medium")
    lesson_box = side.empty()
else:
    side, curves = st.container(), st.container()

# presenting: the presets are the essentials; the settings fold away above the charts
with side, st.expander("Features and settings") if present.active() else st.container(border=True):
    c = st.columns([1, 1, 1.6])
    fx = c[0].selectbox("x feature", FEATURES, index=FEATURES.index(GOOD.features[0]),
                        key=f"{P}.x", bind="query-params")
    fy = c[1].selectbox("y feature", FEATURES, index=FEATURES.index(GOOD.features[1]),
                        key=f"{P}.y", bind="query-params")
    species = c[2].multiselect("Species", SPECIES, default=list(GOOD.species), key=f"{P}.species",
                               bind="query-params")
    epochs = st.columns(3)[0].slider("Epochs", 1, 500, GOOD.epochs,
                                     key=f"{P}.epochs", bind="query-params")
if fx == fy or len(species) < 2:
    st.error("Pick two different features and at least two species.")
    st.stop()

data, split = cache.iris_split((fx, fy), tuple(species))
controls.show_preset_lesson(lesson_box, P, TRAINING_PRESETS)
x_all, rows, held = split.all_samples()
samples = dict(x=x_all[:, 0], y=x_all[:, 1], label=data.labels[rows], row=data.rows[rows],
               held_out=held)


@st.fragment
def player(features, species, split, samples):
    """Training as it happens, with the settings it trains on with (η, λ): a change of one, or
    the player's own reports (pause, more epochs), reruns only this; the page follows once the
    new frame is drawn (``widgets/player_page.py``). The two sliders sit above the player: it
    is taller than a laptop's screen."""
    with st.expander("η and λ") if present.active() else st.container():
        d = st.columns(2)
        lr = d[0].select_slider("Learning rate η", RATES, value=GOOD.learning_rate, key=f"{P}.lr",
                                bind="query-params")
        l2 = d[1].select_slider("L2 penalty λ", PENALTIES, value=GOOD.l2, key=f"{P}.l2",
                                bind="query-params")
    settings = TrainSettings(lr, l2)
    refresh = player_page.page_is_stale(f"{P}.player", settings)
    training_player(features + species, split, list(species), samples, settings,
                    key=f"{P}.player", refresh=refresh)
    st.caption("▶ Train runs full-batch gradient descent epoch by epoch (computed on the "
               "server, a few epochs ahead); pause, change η or λ above, and train on from "
               "the epoch shown (a dashed line marks where). ↺ Reset starts again from the "
               "small random weights. Keys: space trains or pauses, ← → step an epoch. "
               "Further down: the whole run of the Epochs slider.")
    return settings


st.subheader("Watch it train")
with player_page.full_run(f"{P}.player"):
    settings = player((fx, fy), tuple(species), split, samples)
player_page.drawn_with(f"{P}.player", settings)
lr, l2 = settings.learning_rate, settings.l2
_, _, run = cache.train_iris((fx, fy), tuple(species), lr, epochs, l2)
st.subheader(f"After {epochs} epochs")

m = side.columns(2 if present.active() else 4)
m[0].metric("Training loss", f"{run.train_loss[-1]:.4f}", f"{run.train_loss[-1] - run.train_loss[0]:+.4f}",
            delta_color="inverse")
m[1].metric("Held-out loss", f"{run.test_loss[-1]:.4f}")
m[-2].metric("Training accuracy", f"{run.train_accuracy[-1]:.1%}")
m[-1].metric("Held-out accuracy", f"{run.test_accuracy[-1]:.1%}")
with curves:
    controls.chart(charts.make_training_curves_figure(run), key=f"{P}.fig.curves")

left, right = st.columns([1.2, 1], gap="large")
with left:
    gx, gy, points = decision_grid(split)
    frames = frame_epochs(epochs)
    options = [int(f) for f in frames]
    if st.session_state.get(f"{P}.shown") not in options:  # new epochs: show the last one
        st.session_state[f"{P}.shown"] = options[-1]
    event = controls.chart(
        charts.make_decision_regions_figure(
            gx, gy, region_predictions(run, points, frames), frames, samples, list(species),
            axis_titles=(f"{fx} (standardised)", f"{fy} (standardised)"),
            shown=options.index(st.session_state[f"{P}.shown"])),
        key=f"{P}.fig.regions", on_select="rerun", selection_mode="points")
    # plotly's play button and slider are SVG, out of the keyboard's reach: this one is not
    st.select_slider("Epoch shown (focus it and use ← →)", options, key=f"{P}.shown")
scores = score_samples(run, x_all, data.labels[rows])
with right:
    chosen = controls.clicked_row_in_url(f"{P}.flower", urlstate.selected_row(event),
                                         set(int(r) for r in data.rows[rows]))
    if chosen is None:
        st.info("Click a flower in the plot to see its probabilities and loss.",
                icon=":material/touch_app:")
    else:
        training_sample.training_sample_detail(chosen, data, rows, scores, list(species))
st.write("**Every flower, the confidently wrong first**")
tables.training_samples_table(data.features[rows], (fx, fy), list(species), data.labels[rows],
                          scores, data.rows[rows], held)
