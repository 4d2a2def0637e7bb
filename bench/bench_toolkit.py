"""What the teacher's toolkit (issue 23) costs in the room stores.

    python bench/bench_toolkit.py           # a class of 300 seats, 50 questions
    python bench/bench_toolkit.py --quick   # 100 seats, 10 questions

Both stores (the in-process one, and Redis on a real redis-server on a free loopback
port, as the tests start it). A class answers QUESTIONS questions in turn (each ask keeps
the last question's answers for the export). Timed per call: a student's changed read of
an open question and of a revealed one (which carries the class's answers to every phone),
an answer, a lock; and the teacher's whole export (store.export + the CSV). The load
average is printed: on a shared machine the numbers move with it.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures_servers import redis_server  # noqa: E402 - after the path set-up above

from cevis_app.rooms.memory import MemoryStore  # noqa: E402
from cevis_app.rooms.store import Bounds  # noqa: E402
from cevis_app.text.answers_csv import answers_csv  # noqa: E402

CHOICE = {"kind": "choice", "text": "Which logit should rise?", "choices": ["panda", "seal", "duck"],
          "truth": 0}
BOUNDS = Bounds(seats_per_address=10_000)  # one address for the whole simulated class


def timed(fn, repeats=20) -> float:
    """Median ms of `repeats` calls."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def run(store, seats: int, questions: int) -> dict:
    code, secret = store.create_room("teacher-token-" + "t" * 10)
    ids = [store.join(code, f"device-{i:06d}-" + "x" * 10, "198.51.100.1") for i in range(seats)]
    start = time.perf_counter()
    for q in range(questions):
        qid = store.ask(code, secret, CHOICE)
        for i, seat in enumerate(ids):
            store.post_answer(code, seat, qid, (i + q) % 3)
    fill = (time.perf_counter() - start) / (questions * seats) * 1000
    out = {"answer (ms, mean while filling)": fill,
           "read, open question (ms)": timed(lambda: store.read(code, -1))}
    out["lock (ms)"] = timed(lambda: store.lock(code, secret), repeats=5)
    store.reveal(code, secret)
    out["read, revealed with the class's answers (ms)"] = timed(lambda: store.read(code, -1))

    def export():
        data = store.export(code, secret)
        return answers_csv(data.questions, data.answers)

    text = export()
    out["export + CSV (ms)"] = timed(export, repeats=5)
    out["CSV rows"] = text.count("\r\n") - 1
    out["CSV bytes"] = len(text.encode("utf-8"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seats, questions = (100, 10) if args.quick else (300, 50)
    print(f"{seats} seats, {questions} questions; load average before: {os.getloadavg()}")
    with redis_server() as url:
        from cevis_app.rooms.redis_store import RedisStore

        results = {"memory": run(MemoryStore(bounds=BOUNDS), seats, questions),
                   "redis": run(RedisStore(url, bounds=BOUNDS), seats, questions)}
    print("\n| measure | memory | redis |\n|---|---|---|")
    for key in results["memory"]:
        a, b = results["memory"][key], results["redis"][key]
        fmt = (lambda v: f"{v:.3f}") if isinstance(a, float) else str
        print(f"| {key} | {fmt(a)} | {fmt(b)} |")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
