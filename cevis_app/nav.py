"""The app's pages: one table for app.py's navigation and Home's cards (titles, icons, blurbs).

Each page's ``url_path`` is part of every shared link: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    file: str  # relative to the project root
    title: str
    icon: str
    url_path: str  # "" for the default page
    blurb: str = ""  # what a learner does and sees there (Home's card); "" keeps it off Home


BINARY_BLURB = (
    "Two classes. Move a logit or a probability along the sigmoid, flip the true label, and "
    "see −log p and −log(1 − p) with your point on them; why dL/dz = p − t is the gradient "
    "that trains. Edit a table of samples (or upload a CSV) and compare what PyTorch, Keras "
    "and the plain formula compute when p is exactly 0 or 1.")
EXPLORER_BLURB = (
    "Drag the logits of up to ten classes, pick the true class and a temperature. See the "
    "softmax probabilities, the point on the −log p curve, the gradient softmax(z) − onehot(y) "
    "and the formulas with your numbers in them. Presets: uniform, confidently right, "
    "confidently wrong, and the panda/seal/duck example.")
BATCH_BLURB = (
    "A batch of samples, as class indices, one-hot or soft targets, with logits or "
    "probabilities. Turn on class weights, ignore_index and label smoothing and watch every row "
    "and the mean change, with the mean's denominator written out; split each loss into "
    "entropy plus KL; copy the same computation in PyTorch and Keras.")
GRADIENTS_BLURB = (
    "Where softmax(z) − onehot(y) comes from: the softmax Jacobian as a heatmap, the chain rule "
    "step by step with your numbers, a finite-difference check with an adjustable step, and "
    "why squared error on probabilities stops pushing exactly when the model is most wrong.")
DESCENT_BLURB = (
    "Run gradient descent on the Explorer's logits and play it as an animation: probabilities, "
    "gradient and loss move together. See the path on the probability simplex, compare "
    "learning rates side by side, and cross-entropy against squared error.")
TRAINING_BLURB = (
    "A softmax classifier learns the Iris flowers from two measurements. Pick the features, "
    "species, learning rate, epochs and L2 penalty; watch the training and held-out loss, the "
    "decision regions epoch by epoch, and a table of flowers with the confidently wrong first. "
    "Click a flower for its probabilities, or open its logits in the Explorer.")
STABILITY_BLURB = (
    "Push a logit until exp overflows in float16, float32 and float64 and watch the naive "
    "softmax turn to nan while the max-subtracted one stays exact; log(softmax) against "
    "log_softmax; what each framework returns for p = 0; five common mistakes (softmax twice, "
    "probabilities as logits, a missing minus, labels off by one, sum against mean) with the "
    "wrong and the right result side by side.")
ROOM_BLURB = (
    "Teach with it: open a room and show its code or QR code on the projector. Students join "
    "on their phones and follow what you show; ask what the loss will be, let them answer, and "
    "reveal their answers as a histogram beside the true value.")

SECTIONS = {
    "Start": [
        PageInfo("app_pages/home.py", "Home", ":material/home:", ""),
        PageInfo("app_pages/lessons.py", "Lessons", ":material/school:", "lessons"),
    ],
    "Binary": [
        PageInfo("app_pages/binary.py", "Binary cross-entropy", ":material/join:", "binary",
                 BINARY_BLURB),
    ],
    "Multiclass": [
        PageInfo("app_pages/explorer.py", "Explorer", ":material/tune:", "explorer",
                 EXPLORER_BLURB),
        PageInfo("app_pages/batch.py", "Batch and options", ":material/table:", "batch",
                 BATCH_BLURB),
    ],
    "Training": [
        PageInfo("app_pages/gradients.py", "Gradients", ":material/functions:", "gradients",
                 GRADIENTS_BLURB),
        PageInfo("app_pages/descent.py", "Gradient descent", ":material/trending_down:", "descent",
                 DESCENT_BLURB),
        PageInfo("app_pages/training.py", "Training on Iris", ":material/local_florist:",
                 "training", TRAINING_BLURB),
    ],
    "Classroom": [
        PageInfo("app_pages/room.py", "Room", ":material/groups:", "room", ROOM_BLURB),
    ],
    "Pitfalls": [
        PageInfo("app_pages/stability.py", "Stability and mistakes", ":material/warning:",
                 "stability", STABILITY_BLURB),
    ],
}


def all_pages() -> list[PageInfo]:
    """Every page, in the order of the navigation."""
    return [page for pages in SECTIONS.values() for page in pages]
