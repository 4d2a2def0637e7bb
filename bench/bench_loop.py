"""The server's event loop: uvloop against asyncio's own, in interleaved pairs.

    pip install uvloop==0.23.0                 # not in requirements.txt (bench/RESULTS_class.md)
    python bench/bench_loop.py                 # 6 pairs, 30 students, 24 changes each
    python bench/bench_loop.py --pairs 3 --students 10

Streamlit runs its loop on uvloop whenever uvloop is importable (streamlit/web/bootstrap.py).
The "asyncio" server is the same `streamlit run app.py` with uvloop made unimportable (a
sitecustomize.py on its PYTHONPATH, in a temporary folder): nothing else differs. Each
server gets `--students` sessions on the Explorer that make `--changes` changes each, as
fast as the server answers (every session's reruns stay bounded at 4 a second, so this
is the load of a busy class, not a flood). Measured: the server's CPU per change, and the
wall time of the whole batch; then the ratio uvloop / asyncio of each pair.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_app import machine  # noqa: E402
from bench_app import server  # noqa: E402
from bench_class import Student  # noqa: E402
from bench_class import cookie  # noqa: E402
from bench_class import server_cpu_s  # noqa: E402
from bench_class import student_values  # noqa: E402

NO_UVLOOP = 'import sys\nsys.modules["uvloop"] = None  # import uvloop raises ImportError\n'
SETTLE_SECONDS = 8.0  # after every session's first run: the server idle again before timing


async def batch(url: str, pids: list, students: int, changes: int) -> tuple[float, float]:
    """(server CPU ms per change, wall s): every session opens the Explorer, then all change
    their logits together, each release sent for the live view's fragment as a browser does."""
    start = asyncio.Event()

    async def one(k):
        async with Student(url, "explorer", cookie(k)) as s:
            await s.rerun()
            await start.wait()
            for i in range(changes):
                await asyncio.wait_for(s.rerun(s.change(student_values(k, i)), s.live_fragment), 30)

    tasks = [asyncio.create_task(one(k)) for k in range(students)]
    await asyncio.sleep(SETTLE_SECONDS)
    cpu, wall = server_cpu_s(pids), time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return 1e3 * (server_cpu_s(pids) - cpu) / (students * changes), time.perf_counter() - wall


def measure(env, students: int, changes: int) -> tuple[float, float]:
    with server(env=env) as (url, pid):
        return asyncio.run(batch(url, [pid], students, changes))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--changes", type=int, default=24)
    args = parser.parse_args()
    try:
        import uvloop  # noqa: F401  (Streamlit imports it itself; here only: is it there)
    except ImportError:
        sys.exit("uvloop is not installed: pip install uvloop==0.23.0, then run this again")
    with tempfile.TemporaryDirectory(prefix="cevis-no-uvloop-") as folder:
        (pathlib.Path(folder) / "sitecustomize.py").write_text(NO_UVLOOP)
        # the folder goes first on the asyncio server's path; a PYTHONPATH already set is kept,
        # so the two servers differ in uvloop alone
        path = os.pathsep.join(p for p in (folder, os.environ.get("PYTHONPATH", "")) if p)
        loops = {"asyncio": {"PYTHONPATH": path}, "uvloop": {}}
        print(f"machine: {machine()}")
        print(f"{args.students} students x {args.changes} changes on the Explorer, per server")
        print(f"{'pair':>4}  {'asyncio ms':>10}  {'uvloop ms':>9}  {'ratio':>5}  "
              f"{'asyncio s':>9}  {'uvloop s':>8}")
        ratios = []
        for pair in range(1, args.pairs + 1):
            got = {name: measure(env, args.students, args.changes) for name, env in loops.items()}
            ratios.append(got["uvloop"][0] / got["asyncio"][0])
            print(f"{pair:>4}  {got['asyncio'][0]:>10.2f}  {got['uvloop'][0]:>9.2f}  "
                  f"{ratios[-1]:>5.2f}  {got['asyncio'][1]:>9.1f}  {got['uvloop'][1]:>8.1f}")
        print(f"uvloop / asyncio, server CPU per change: median {statistics.median(ratios):.2f}, "
              f"range {min(ratios):.2f}-{max(ratios):.2f}")


if __name__ == "__main__":
    main()
