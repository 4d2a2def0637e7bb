"""What a question on the live view costs the server (issue 23, item 7; docs/DRAG_ANSWERS.md).

Per answer: checking a posted view and recomputing [loss, p_true] with cevis
(rooms/view_answers.check_view_answer). Per reveal: the points and the chart of N answers
(views/room_view.view_answers + charts.make_view_answers_figure), as each phone builds it.
A plain numpy loop gives the same losses (printed: the largest difference).

    python bench/bench_view_answers.py [--answers 100] [--repeat 7]
"""

import argparse
import math
import os
import sys
import timeit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from cevis_app.charts import make_view_answers_figure  # noqa: E402
from cevis_app.rooms.checks import VIEW_PRESET  # noqa: E402
from cevis_app.rooms.checks import check_answer  # noqa: E402
from cevis_app.rooms.checks import check_question  # noqa: E402
from cevis_app.views.room_view import view_answers  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    q = check_question(VIEW_PRESET)
    rng = np.random.default_rng(0)
    views = [{"logits": rng.uniform(-10, 10, 4).round(2).tolist(), "y": int(rng.integers(4)), "T": 1.0}
             for _ in range(a.answers)]
    answers = [check_answer(q, v) for v in views]
    plain = [math.log(sum(math.exp(z) for z in v["logits"])) - v["logits"][v["y"]] for v in views]
    print(f"largest |loss - plain loop|: {max(abs(x[0] - y) for x, y in zip(answers, plain)):.2e}")

    def chart():
        w = view_answers(q, answers, answers[0])
        return make_view_answers_figure(w.p, w.loss, target=w.target, tolerance=w.tolerance,
                                        curve_p=w.curve_p, curve_loss=w.curve_loss, mine=w.mine)

    per_answer = min(timeit.repeat(lambda: check_answer(q, views[0]), number=1000, repeat=a.repeat)) / 1000
    per_chart = min(timeit.repeat(chart, number=100, repeat=a.repeat)) / 100
    print(f"check a posted view: {per_answer * 1e6:.0f} µs (min of {a.repeat} × 1000)")
    print(f"points + chart of {a.answers} answers: {per_chart * 1e3:.2f} ms (min of {a.repeat} × 100)")
    print(f"load: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
