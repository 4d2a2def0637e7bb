"""Home: what cevis is and what each page teaches."""

import streamlit as st

PAGES = [  # (file, title, icon, what a learner does and sees there)
    ("app_pages/binary.py", "Binary cross-entropy", ":material/join:",
     "Two classes. Move a logit or a probability along the sigmoid, flip the true label, and "
     "see −log p and −log(1 − p) with your point on them; why dL/dz = p − t is the gradient "
     "that trains. Edit a table of samples (or upload a CSV) and compare what PyTorch, Keras "
     "and the plain formula compute when p is exactly 0 or 1."),
    ("app_pages/explorer.py", "Explorer", ":material/tune:",
     "Drag the logits of up to ten classes, pick the true class and a temperature. See the "
     "softmax probabilities, the point on the −log p curve, the gradient softmax(z) − onehot(y) "
     "and the formulas with your numbers in them. Presets: uniform, confidently right, "
     "confidently wrong, and the panda/seal/duck example."),
    ("app_pages/batch.py", "Batch and options", ":material/table:",
     "A batch of samples, as class indices, one-hot or soft targets, with logits or "
     "probabilities. Turn on class weights, ignore_index and label smoothing and watch every row "
     "and the mean change, with the mean's denominator written out; split each loss into "
     "entropy plus KL; copy the same computation in PyTorch and Keras."),
    ("app_pages/gradients.py", "Gradients", ":material/functions:",
     "Where softmax(z) − onehot(y) comes from: the softmax Jacobian as a heatmap, the chain rule "
     "step by step with your numbers, a finite-difference check with an adjustable step, and "
     "why squared error on probabilities stops pushing exactly when the model is most wrong."),
    ("app_pages/descent.py", "Gradient descent", ":material/trending_down:",
     "Run gradient descent on the Explorer's logits and play it as an animation: probabilities, "
     "gradient and loss move together. See the path on the probability simplex, compare "
     "learning rates side by side, and cross-entropy against squared error."),
    ("app_pages/training.py", "Training on Iris", ":material/local_florist:",
     "A softmax classifier learns the Iris flowers from two measurements. Pick the features, "
     "species, learning rate, epochs and L2 penalty; watch the training and held-out loss, the "
     "decision regions epoch by epoch, and a table of flowers with the confidently wrong first. "
     "Click a flower for its probabilities, or open its logits in the Explorer."),
    ("app_pages/stability.py", "Stability and mistakes", ":material/warning:",
     "Push a logit until exp overflows in float16, float32 and float64 and watch the naive "
     "softmax turn to nan while the max-subtracted one stays exact; log(softmax) against "
     "log_softmax; what each framework returns for p = 0; five common mistakes (softmax twice, "
     "probabilities as logits, a missing minus, labels off by one, sum against mean) with the "
     "wrong and the right result side by side."),
]

st.title("cevis: see what cross-entropy does")
st.markdown(
    "Cross-entropy is the loss almost every classifier is trained with. Here you move the "
    "numbers yourself and watch the probabilities, the loss and the gradient answer. Every "
    "number comes from `cevis`, a small numpy package that computes exactly what "
    "`torch.nn.functional.cross_entropy` computes."
)
for path, title, icon, blurb in PAGES:
    with st.container(border=True):
        st.page_link(path, label=f"**{title}**", icon=icon)
        st.markdown(blurb)
st.caption("Every page keeps its settings in the address bar: copy the link to share exactly "
           "what you see.")
