r"""The lessons, as data: an ordered path through cross-entropy, step by step.

Every lesson the app teaches is defined here and nowhere else (what a lesson, a step
and a question are: :mod:`cevis_app.views.lesson_model`). Numbers in the texts are the
views' inputs (the seed articles' worked examples); the answers and the reveals come
from the computation.
"""

from __future__ import annotations

from cevis_app.views.lesson_model import Lesson
from cevis_app.views.lesson_model import Step
from cevis_app.views.lesson_model import choice
from cevis_app.views.lesson_model import estimate
from cevis_app.views.lesson_truths import CHANGE
from cevis_app.views.lesson_truths import FINITE
from cevis_app.views.lesson_truths import LOSS_NAMES
from cevis_app.views.lesson_truths import MONOTONE
from cevis_app.views.lesson_truths import SHAPE

PSD = ["panda", "seal", "duck"]  # the first seed article's classes
SEED_PROBS = [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]]
SEED_TARGETS = [0, 1, 2, 0]  # with SEED_PROBS: the first seed article's categorical batch
SEED_T = [0, 1, 1, 0, 0, 1, 1]  # the first seed article's binary samples
SEED_P = [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94]
SAMPLE = {"kind": "sample", "names": PSD, "logits": [2.0, 1.0, 0.1], "y": 0}
BATCH = {"kind": "batch", "names": PSD, "probs": SEED_PROBS, "targets": SEED_TARGETS}

LESSONS = (
    Lesson("measure", "What cross-entropy measures, and why −log p", (
        Step("Cross-entropy scores one prediction by the probability p the model gave to the "
             "class that was right: the loss is −log p (natural log).",
             {"kind": "curve", "p": 0.9},
             estimate("The model gives the true class p = 0.9. What is the loss?",
                      "curve_loss", 0.0, 5.0, 0.05),
             "−log 0.9 is small: a confident, correct prediction costs almost nothing."),
        Step("The seal example: the image is a seal, and the model gives 'seal' only p = 0.17.",
             {"kind": "curve", "p": 0.17},
             estimate("What is the loss?", "curve_loss", 0.0, 5.0, 0.2),
             "Far from 1, −log p climbs fast: an unconfident right answer already costs a lot."),
        Step("Read the curve the other way round: the dotted line marks a loss of 1.",
             {"kind": "curve", "target_loss": 1.0},
             estimate("Drag to the probability p where the loss −log p is exactly 1.",
                      "p_at_loss", 0.01, 1.0, 0.06, slider=True),
             "−log p = 1 means p = e⁻¹: about a one-in-three chance on the right class."),
        Step("Every halving of p adds the same amount to the loss, wherever it happens.",
             {"kind": "curve", "p": 0.01, "from_p": 0.02},
             estimate("p of the true class drops from 0.02 to 0.01. By how much does the loss "
                      "grow?", "loss_increase", 0.0, 5.0, 0.1),
             "−log(p/2) = −log p + log 2: each halving costs log 2, near 0 as near 1."),
        Step("With several classes the true distribution is one-hot, so every term t·log p "
             "but the true class's is 0. Here the true class is panda.",
             {"kind": "sample", "names": PSD, "probs": SEED_PROBS[3], "y": 0},
             estimate("The model says panda 0.25, seal 0.4, duck 0.35. What is the loss?",
                      "loss", 0.0, 5.0, 0.15),
             "Only −log p(panda) = −log 0.25 counts; how the rest is split does not matter."),
        Step("Cross-entropy against a soft target sums −t·log p over classes. Even a perfect "
             "prediction (p = t) leaves the entropy −t·log t, and its terms are not symmetric.",
             {"kind": "terms", "marks": [0.2, 0.8]},
             choice("Which term −y·log y is larger?", "larger_term", ("y = 0.2", "y = 0.8")),
             "−0.2·log 0.2 ≈ 0.32 and −0.8·log 0.8 ≈ 0.18. The term rises steeply from 0, "
             "peaks at y = 1/e ≈ 0.37 and falls slowly to 0 at y = 1, so nearness to the peak "
             "does not decide it: y = 0.05 is nearer the peak than y = 0.7, yet gives 0.15 "
             "against 0.25."),
    )),
    Lesson("softmax", "Logits and softmax: shift invariance and temperature", (
        Step("A network outputs logits z, any real numbers; softmax turns them into "
             "probabilities, p_i = e^(z_i) / Σ_j e^(z_j).",
             {**SAMPLE, "logits": [0.0, 0.0, 0.0]},
             estimate("All three logits are 0 and the true class is panda. What is the loss?",
                      "loss", 0.0, 3.0, 0.1),
             "Equal logits give every class 1/C, so the loss is log C: log 3 here."),
        Step("Now the logits differ: panda 2, seal 1, duck 0.1.", SAMPLE,
             estimate("What probability does softmax give panda?", "p_true", 0.0, 1.0, 0.05),
             "e² / (e² + e¹ + e^0.1): the largest logit takes the largest share, not all of it."),
        Step("Only differences between logits matter.",
             {**SAMPLE, "after": {"logits": [7.0, 6.0, 5.1]}},
             choice("Add 5 to every logit (panda 7, seal 6, duck 5.1). The loss …",
                    "loss_change", CHANGE),
             "softmax(z + c) = softmax(z): the factor e^c cancels between top and bottom."),
        Step("A temperature T divides the logits first: p = softmax(z / T).",
             {**SAMPLE, "after": {"T": 3.0}},
             choice("Raise the temperature from 1 to 3. p(panda) …", "p_true_change", CHANGE),
             "Dividing by T > 1 shrinks the gaps between logits, so p flattens towards 1/C."),
        Step("At a low temperature the gaps grow instead.", {**SAMPLE, "T": 0.1},
             choice("At T = 0.1, softmax of these logits is …", "p_shape", SHAPE),
             "z / 0.1 = [20, 10, 1]: panda's lead of 10 makes e^10 times the next class."),
    )),
    Lesson("binary", "Binary cross-entropy and the sigmoid", (
        Step("With two classes a network outputs one logit z, and the sigmoid "
             "p = 1 / (1 + e^−z) is the probability of class 1.",
             {"kind": "binary", "t": 1, "z": 0.0},
             estimate("What probability does a logit of 0 give?", "binary_p", 0.0, 1.0, 0.03,
                      at=0),
             "e^0 = 1, so p = 1/2: a logit of 0 means no opinion."),
        Step("Binary cross-entropy is −[t·log p + (1 − t)·log(1 − p)]: −log p when t = 1, "
             "−log(1 − p) when t = 0. The seed's worst sample: not a seal (t = 0), "
             "yet p = 0.85.", {"kind": "binary", "t": 0, "p": 0.85},
             estimate("What is its loss?", "binary_loss", 0.0, 5.0, 0.2, at=0),
             "With t = 0 the loss is −log(1 − 0.85) = −log 0.15: confident and wrong."),
        Step("The same p with the other label.", {"kind": "binary", "t": 1, "p": 0.85},
             estimate("p = 0.85 and the image is a seal (t = 1). What is the loss now?",
                      "binary_loss", 0.0, 5.0, 0.05, at=0),
             "Now −log 0.85: the model leaned the right way."),
        Step("The seed's seven samples, each with its true label and predicted p.",
             {"kind": "binary", "t": SEED_T, "p": SEED_P},
             choice("Which sample costs the most?", "largest_binary_loss", "samples"),
             "The loss is largest where p is far from t: 0.85 for a t = 0 costs more than 0.17 "
             "for a t = 1."),
    )),
    Lesson("gradient", "The gradient p − y, and where it comes from", (
        Step("Training moves each logit against ∂L/∂z. For softmax with cross-entropy this "
             "gradient is p − onehot(y).", SAMPLE,
             choice("Panda is the true class. Which logit's gradient is negative?",
                    "negative_grad_class", "classes"),
             "Only the true class has p − 1 < 0; every other class has p > 0."),
        Step("Its size says how hard descent pushes.", SAMPLE,
             estimate("What is ∂L/∂z of panda (p(panda) is about 0.66)?", "grad_at", -1.0, 1.0,
                      0.05, at=0),
             "p − 1: the further p of the true class is from 1, the harder the push up."),
        Step("The gradients always balance.", SAMPLE,
             estimate("What do the three gradients add up to?", "grad_sum", -1.0, 1.0, 0.02),
             "Σ(p_i − t_i) = 1 − 1 = 0: what one logit gains, the others lose."),
        Step("Confidently wrong: panda is true, yet the model bets on seal.",
             {**SAMPLE, "logits": [-2.0, 4.0, 0.0]},
             choice("Which logit gets the largest push down?", "largest_grad_class", "classes"),
             "The gradient of a wrong class is its own p, so the class that took the most "
             "probability is lowered most."),
        Step("Where p − y comes from, part 1: L = −log p_y depends on the logits only "
             "through p_y. Four classes, all logits 0, so p_y = 0.25.",
             {"kind": "sample", "names": ["a", "b", "c", "d"], "logits": [0.0] * 4, "y": 0,
              "show": "chain"},
             estimate("What is ∂L/∂p_y = −1/p_y?", "dloss_dp", -10.0, 0.0, 0.3),
             "−1/0.25 = −4: the loss falls 4 times as fast as p_y rises, here."),
        Step("Part 2: softmax's own derivative ∂p_y/∂z_y = p_y(1 − p_y) (and −p_y·p_j for the "
             "others); their product is the gradient.",
             {"kind": "sample", "names": ["a", "b", "c", "d"], "logits": [0.0] * 4, "y": 0,
              "show": "chain"},
             estimate("What is ∂p_y/∂z_y?", "dp_dz", 0.0, 0.25, 0.02),
             "0.25 × 0.75 = 0.1875; times −4 gives −0.75 = p_y − 1, the closed form."),
        Step("Binary cross-entropy with the sigmoid has the same gradient, ∂L/∂z = p − t.",
             {"kind": "binary", "t": 0, "p": 0.85},
             estimate("For the seed's p = 0.85, t = 0, what is ∂L/∂z?", "binary_grad", -1.0,
                      1.0, 0.05, at=0),
             "p − t = 0.85: descent lowers the logit, and never by more than 1 per unit step."),
    )),
    Lesson("batch", "Batches: reductions, weights, label smoothing, ignore_index", (
        Step("A batch is several samples; the seed's four panda/seal/duck predictions, "
             "true classes panda, seal, duck, panda.", BATCH,
             choice("Which row has the largest loss?", "largest_row", "rows"),
             "Row 4 gives its true class (panda) only 0.25, the lowest true-class p."),
        Step("PyTorch's default reduction is the mean of the rows' losses.", BATCH,
             estimate("What is the mean loss?", "batch_value", 0.0, 2.0, 0.06),
             "The four losses −log p_y add up to the seed's total; the mean divides by 4."),
        Step("reduction='sum' adds the rows instead.",
             {**BATCH, "reduction": "sum",
              "after": {"probs": SEED_PROBS * 2, "targets": SEED_TARGETS * 2}},
             choice("Repeat every row once (8 rows). The sum …", "batch_value_change", CHANGE),
             "A sum grows with the batch (it doubles); the mean would stay the same."),
        Step("Class weights scale each row's loss by its true class's weight. With class-index "
             "targets, as here, the mean then divides by the sum of those weights; with "
             "probability targets (one-hot or soft) PyTorch divides by N, the number of rows.",
             {**BATCH, "weight": [3.0, 1.0, 1.0]},
             estimate("weight = [3, 1, 1] (panda counts 3 times). What does the mean divide by?",
                      "batch_denominator", 0.0, 12.0, 0.25),
             "Rows 1 and 4 are pandas: 3 + 1 + 1 + 3 = 8, not the 4 rows."),
        Step("ignore_index drops rows whose target equals it: they add nothing to the sum "
             "and nothing to the mean's count.",
             {**BATCH, "targets": [0, 1, 2, -100], "ignore_index": -100},
             estimate("Row 4's target is −100 (PyTorch's default ignore_index). What is the "
                      "mean now?", "batch_value", 0.0, 2.0, 0.05),
             "The mean is over the three remaining rows: the costly row 4 is gone."),
        Step("Label smoothing ε mixes the one-hot target with the uniform one: "
             "(1 − ε)·onehot + ε/C.",
             {**BATCH, "after": {"smoothing": 0.1}},
             choice("Turn on ε = 0.1. Row 1's loss (panda at 0.91) …", "row_loss_change",
                    CHANGE, at=0),
             "The smoothed target also asks for the tiny p of seal and duck, whose −log p is "
             "large, so a very confident row pays more."),
    )),
    Lesson("stability", "Numerical stability and the frameworks' clamps", (
        Step("Softmax computed as written, e^z / Σe^z, overflows when a logit is large.",
             {"kind": "stability", "logits": [100.0, 0.0, -1.0], "y": 0, "dtype": "float32"},
             choice("Logits [100, 0, −1] in float32: the naive softmax gives …",
                    "naive_finite", FINITE),
             "e^100 is about 2.7e43, beyond float32's largest number: inf / inf = nan."),
        Step("Where does it break?",
             {"kind": "stability", "logits": [100.0, 0.0, -1.0], "y": 0, "dtype": "float32"},
             estimate("Above which logit does e^z overflow in float32?", "overflow_threshold",
                      0.0, 800.0, 5.0),
             "log(3.4e38) ≈ 88.7; the stable softmax subtracts the max first, so every "
             "exponent is ≤ 0."),
        Step("Taking log of a softmax that underflowed to 0 gives −inf; log_softmax "
             "computes (z − max) − log Σ e^(z − max) and stays exact.",
             {"kind": "stability", "logits": [0.0, -200.0], "y": 1, "dtype": "float32"},
             estimate("Logits [0, −200], true class 1 (classes count from 0). What loss "
                      "does the fused form (from logits) give?", "fused_loss", 0.0, 400.0, 2.0),
             "−log_softmax = 200 + log(1 + e^−200): exact, where −log(softmax) would be inf."),
        Step("Given probabilities instead of logits, a p of exactly 0 makes −log p infinite, "
             "so frameworks clamp. PyTorch's BCELoss clamps each log at −100.",
             {"kind": "clamp", "p": 0.0, "convention": "torch"},
             estimate("The true class got p = 0. What loss does PyTorch report?",
                      "clamp_loss", 0.0, 200.0, 2.0),
             "log 0 is clamped to −100, so the loss is capped at 100."),
        Step("Keras clips p to [1e-7, 1 − 1e-7] in float32 before the log.",
             {"kind": "clamp", "p": 0.0, "convention": "keras"},
             estimate("The same p = 0 in Keras. What loss?", "clamp_loss", 0.0, 100.0, 1.0),
             "−log(1e-7) ≈ 16.1: a much lower cap, so the loss depends on the framework."),
        Step("From logits no clamp is needed: log σ(z) is computed stably.",
             {"kind": "binary", "t": 1, "z": -30.0},
             estimate("t = 1 and the logit is −30. What is the loss from logits?",
                      "binary_loss", 0.0, 100.0, 1.0, at=0),
             "From the logit, log(1 + e^30) = 30.0000000000001 with nothing lost. Here the "
             "probability is safe too: sigmoid(−30) ≈ 9.4e-14 is an ordinary float and −log of "
             "it is 30. The case that breaks is z = +30 with t = 0: 1 − sigmoid(30) rounds to 0 "
             "in float32, so BCELoss reports its cap of 100, and float64 keeps only 30.001."),
    )),
    Lesson("descent", "Gradient descent and training", (
        Step("One step of gradient descent: z ← z − η·∂L/∂z. Two classes a and b, logits "
             "[0, 0], true class a, η = 1.",
             {"kind": "descent", "names": ["a", "b"], "logits": [0.0, 0.0], "y": 0, "lr": 1.0,
              "steps": 1},
             estimate("What is the logit of a after one step?", "descent_logit", -2.0, 2.0,
                      0.05, at=0),
             "p = [0.5, 0.5], so ∂L/∂z = [−0.5, 0.5]: a goes up by 0.5, b down by 0.5."),
        Step("Keep stepping from panda 2, seal 1, duck 0.1 with η = 1.",
             {"kind": "descent", "names": PSD, "logits": [2.0, 1.0, 0.1], "y": 0, "lr": 1.0,
              "steps": 30},
             choice("Over 30 steps, the loss …", "descent_monotone", MONOTONE),
             "With one sample the loss is convex in z and the step is small enough: it "
             "falls every step, towards 0, never reaching it."),
        Step("Cross-entropy against squared error on p, from a confidently wrong start "
             "(true class a, logits [−4, 4]).",
             {"kind": "descent", "names": ["a", "b"], "logits": [-4.0, 4.0], "y": 0, "lr": 1.0,
              "steps": 20, "compare": True},
             choice("After 20 steps, which loss has raised p(a) more?", "faster_loss",
                    LOSS_NAMES),
             "Squared error's gradient has a factor p(1 − p), tiny when confidently wrong; "
             "cross-entropy's p − 1 is largest there."),
        Step("Training does the same to the weights of a model, averaged over a batch: on "
             "the Training page a softmax classifier learns the Iris flowers, and its "
             "loss is the mean −log p of each flower's species.",
             {"kind": "link", "page": "training", "query": {}}),
    )),
)
