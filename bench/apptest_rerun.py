"""Rerun time of each page in AppTest: the script's own cost, without a browser or network.

    python bench/apptest_rerun.py [--runs 20] [--cpu]

--cpu times the process's CPU time instead of the wall clock: on a shared, busy machine
the wall clock also counts the time other processes held the cores.

Each run moves one control (so the page really recomputes) and times `at.run()`.
Prints the median and p90 per page. A whole-server measurement with real clients
belongs to bench/bench_app.py.
"""

import argparse
import pathlib
import statistics
import time

from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# page file -> (widget key, two values to alternate between)
PAGES = {
    "app_pages/explorer.py": ("explorer.z0", (1.5, -0.5)),
    "app_pages/binary.py": ("binary.z", (2.0, -1.0)),
    "app_pages/batch.py": ("batch.eps", (0.1, 0.2)),
    "app_pages/gradients.py": ("explorer.z0", (1.5, -0.5)),
    "app_pages/descent.py": ("explorer.z0", (1.5, -0.5)),
    "app_pages/training.py": ("training.epochs", (150, 200)),
    "app_pages/stability.py": ("stability.n", (16, 64)),
}


def time_page(page, key, values, runs, clock=time.perf_counter, root=ROOT, fresh=False):
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page)
    at.run()
    times = []
    for i in range(runs):
        # fresh: a value no run has shown (no per-sample cache can answer), else two alternating
        at.slider(key=key).set_value(round(values[0] - 0.01 * (i + 1), 2) if fresh else values[i % 2])
        start = clock()
        at.run()
        times.append(clock() - start)
        assert not at.exception, at.exception
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cpu", action="store_true", help="CPU time of this process, not wall time")
    ap.add_argument("--fresh", action="store_true", help="a new value every run (float sliders)")
    ap.add_argument("--pages", nargs="*", default=list(PAGES), help="page files (default: all)")
    ap.add_argument("--root", default=str(ROOT), help="the checkout to time (e.g. another worktree)")
    args = ap.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    print(f"{'page':<28} {'runs':>5} {'median ms':>10} {'p90 ms':>8}")
    for page in args.pages:
        key, values = PAGES[page]
        t = sorted(time_page(page, key, values, args.runs, clock, pathlib.Path(args.root),
                                 args.fresh))
        p90 = t[min(len(t) - 1, int(0.9 * len(t)))]
        print(f"{page:<28} {len(t):>5} {statistics.median(t) * 1e3:>10.1f} {p90 * 1e3:>8.1f}")


if __name__ == "__main__":
    main()
