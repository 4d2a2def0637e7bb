"""How a room's page switch spreads over the class: percentiles of the switch delays.

    python bench/switch_spread.py /work/main /path/to/before --rounds 2

For each checkout, one `streamlit run app.py` (bench_class's "single" setup) and
bench_class's room: 100 students follow a teacher who switches page 4 times (Descent,
Explorer, ...), 4 s apart; the delay is the teacher's switch sent -> the student's run of the
new page finished. Prints p5, p50 and p95 of the 400 delays and the server CPU per switch:
p5 says when the first phones have the page, p95 when nearly all do.
"""

import argparse
import asyncio
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_class as b  # noqa: E402
from bench_rooms import percentile  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", nargs="+", help="checkouts to serve, in turn")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--switches", type=int, default=4)
    args = ap.parse_args()
    for root, url, pids in b.each_tree(args.roots, args.rounds):
        r = asyncio.run(b.room(url, pids, args.students, 0, args.switches))
        d = r["switch_delays"]
        p5, p50, p95 = (percentile(d, q) if d else float("nan") for q in (0.05, 0.5, 0.95))
        print(f"{root}: p5 {1e3 * p5:.0f} ms, p50 {1e3 * p50:.0f} ms, p95 {1e3 * p95:.0f} ms; "
              f"{r['switch_missed']} missed; server CPU {r['switch_cpu']:.2f} s/switch; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
