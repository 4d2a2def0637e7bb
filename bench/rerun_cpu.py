"""Server CPU per Explorer rerun, one session at a time: an A/B of checkouts, without contention.

    python bench/rerun_cpu.py /work/main .          # before and after, 2 rounds each

For each checkout, one `streamlit run app.py` (bench_class's "single" setup); one client
sends N live commits and checks every reply's loss; the server's CPU seconds over the N
replies, per rerun. "repeated": the client alternates two samples (a per-sample cache can
answer); "fresh": a sample never shown before, every time.
"""

import argparse
import asyncio
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_class as b  # noqa: E402

WARM = 20  # commits before timing: imports, the first figures


async def per_rerun_ms(url, pids, n: int, fresh: bool) -> float:
    async with b.Student(url, "explorer", b.cookie(1)) as s:
        await s.rerun()
        for i in range(WARM):
            await s.set_logits(b.student_values(3, i))
        cpu = b.server_cpu_s(pids)
        for i in range(n):
            z = (round(-3 + 0.01 * i, 2), 0.5, 0.0) if fresh else b.student_values(3, i)
            await s.set_logits(z)
            if s.metrics.get(b.LOSS) != b.expected_loss(z):
                raise AssertionError(f"wrong loss for {z}: {s.metrics.get(b.LOSS)}")
        return 1e3 * (b.server_cpu_s(pids) - cpu) / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", nargs="+", help="checkouts to serve, in turn")
    ap.add_argument("--runs", type=int, default=150)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    for root, url, pids in b.each_tree(args.roots, args.rounds):
        repeated = asyncio.run(per_rerun_ms(url, pids, args.runs, False))
        fresh = asyncio.run(per_rerun_ms(url, pids, args.runs, True))
        print(f"{root}: repeated {repeated:.1f} ms, fresh {fresh:.1f} ms per rerun", flush=True)


if __name__ == "__main__":
    main()
