"""Training: a softmax classifier learns Iris, and the loss explains what it learns."""

import streamlit as st

from cevis import figures
from cevis import ui
from cevis.datasets import TRAINING_PRESETS
from cevis.descent import decision_grid
from cevis.descent import frame_epochs
from cevis.descent import region_predictions
from cevis.descent import score_samples
from cevis.iris import FEATURES
from cevis.iris import SPECIES

P = "training"
RATES = [0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]
PENALTIES = [0.0, 0.001, 0.01, 0.1, 1.0]
GOOD = TRAINING_PRESETS["good"]

st.title("Training a softmax classifier on Iris")
st.caption("p = softmax(xW + b) for two measurements of each flower, trained by full-batch "
           "gradient descent on the mean cross-entropy (features standardised, 30% held out).")

lesson_box = ui.preset_buttons(P, TRAINING_PRESETS, ui.apply_training_preset)

with st.container(border=True):
    c = st.columns([1, 1, 1.6])
    fx = c[0].selectbox("x feature", FEATURES, index=FEATURES.index(GOOD.features[0]),
                        key=f"{P}.x", bind="query-params")
    fy = c[1].selectbox("y feature", FEATURES, index=FEATURES.index(GOOD.features[1]),
                        key=f"{P}.y", bind="query-params")
    species = c[2].multiselect("Species", SPECIES, default=list(GOOD.species), key=f"{P}.species",
                               bind="query-params")
    d = st.columns(3)
    lr = d[0].select_slider("Learning rate η", RATES, value=GOOD.learning_rate, key=f"{P}.lr",
                            bind="query-params")
    epochs = d[1].slider("Epochs", 1, 500, GOOD.epochs, key=f"{P}.epochs", bind="query-params")
    l2 = d[2].select_slider("L2 penalty λ", PENALTIES, value=GOOD.l2, key=f"{P}.l2",
                            bind="query-params")
if fx == fy or len(species) < 2:
    st.error("Pick two different features and at least two species.")
    st.stop()

data, split, run = ui.train_iris((fx, fy), tuple(species), lr, epochs, l2)
for preset in TRAINING_PRESETS.values():
    if ui.matches_training_preset(preset, fx, fy, species, lr, epochs, l2):
        lesson_box.info(preset.lesson, icon=":material/school:")

m = st.columns(4)
m[0].metric("Training loss", f"{run.train_loss[-1]:.4f}", f"{run.train_loss[-1] - run.train_loss[0]:+.4f}",
            delta_color="inverse")
m[1].metric("Held-out loss", f"{run.test_loss[-1]:.4f}")
m[2].metric("Training accuracy", f"{run.train_accuracy[-1]:.1%}")
m[3].metric("Held-out accuracy", f"{run.test_accuracy[-1]:.1%}")
ui.chart(figures.make_training_curves_figure(run), key=f"{P}.fig.curves")

left, right = st.columns([1.2, 1], gap="large")
x_all, rows, held = split.all_samples()
with left:
    gx, gy, points = decision_grid(split)
    frames = frame_epochs(epochs)
    samples = dict(x=x_all[:, 0], y=x_all[:, 1], label=data.labels[rows], row=data.rows[rows],
                   held_out=held)
    event = st.plotly_chart(
        figures.make_decision_regions_figure(
            gx, gy, region_predictions(run, points, frames), frames, samples, list(species),
            axis_titles=(f"{fx} (standardised)", f"{fy} (standardised)")),
        key=f"{P}.fig.regions", on_select="rerun", selection_mode="points",
        config=ui.CHART_CONFIG)
scores = score_samples(run, x_all, data.labels[rows])
with right:
    chosen = ui.selected_row(event)
    if chosen is None:
        st.info("Click a flower in the plot to see its probabilities and loss.",
                icon=":material/touch_app:")
    else:
        ui.training_sample_detail(chosen, data, rows, scores, list(species))
st.write("**Every flower, the confidently wrong first**")
ui.training_samples_table(data.features[rows], (fx, fy), list(species), data.labels[rows],
                          scores, data.rows[rows], held)
