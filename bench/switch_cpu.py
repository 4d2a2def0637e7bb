"""Server CPU per page run when a session switches page (Explorer <-> Descent), one session.

    python bench/switch_cpu.py /work/main .          # before and after, 2 rounds each

For each checkout, one `streamlit run app.py` (bench_class's "single" setup); one tab
(bench_rooms' Tab) alternates the two pages N times, as a follower does when the teacher
switches; the server's CPU seconds over those page runs, per page. Nothing else runs on the
server meanwhile, so this is the cost of one first run of the page (issue 26's page switch).
"""

import argparse
import asyncio
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_class as b  # noqa: E402

PAGES = ("descent", "explorer")
WARM = 4  # switches before timing: imports, the first figures
SETTLE = 1.0  # s after the teacher's switch: the follower's run has finished (it takes ~0.1 s)


async def per_page_ms(url, pids, n: int) -> dict:
    spent = {p: 0.0 for p in PAGES}
    async with b.RoomTab(url, b.cookie(1)) as tab:
        await tab.send(page="explorer")
        for i in range(WARM + 2 * n):
            page = PAGES[i % 2]
            cpu = b.server_cpu_s(pids)
            await tab.send(page=page)
            if i >= WARM:
                spent[page] += b.server_cpu_s(pids) - cpu
    return {p: 1e3 * s / n for p, s in spent.items()}


async def follower_ms(url, pids, n: int, moved: bool = False) -> dict:
    """A teacher opens a room, one student follows; the teacher switches page `n` times each way.
    Per switch: the server CPU (the teacher's run and the follower's), and the follower's full
    runs (a run that reruns itself, e.g. by st.switch_page, counts twice)."""
    spent, runs = {p: 0.0 for p in PAGES}, {p: 0 for p in PAGES}
    async with b.RoomTab(url, b.cookie(50_000)) as teacher, b.RoomTab(url, b.cookie(60_000)) as tab:
        await teacher.send(page="room")
        await teacher.press("Open a room")
        code = re.search(r">([2-9A-Z]{6})<", " ".join(teacher.html)).group(1)
        await teacher.send(page="explorer")
        await tab.send(page="room", query=f"room={code}")
        await asyncio.sleep(2.0)
        if moved:  # a sample that is not the default: its values travel in the followers' links
            await teacher.move(b.ROOM_LABEL, 1.5)
            await asyncio.sleep(2.0)
        for i in range(WARM + 2 * n):
            page = PAGES[i % 2]
            cpu, before = b.server_cpu_s(pids), len(tab.arrived)
            await teacher.send(page=page)
            await asyncio.sleep(SETTLE)
            if i >= WARM:
                spent[page] += b.server_cpu_s(pids) - cpu
                runs[page] += len(tab.arrived) - before
    return {p: 1e3 * s / n for p, s in spent.items()} | {f"{p} runs": r / n for p, r in runs.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", nargs="+", help="checkouts to serve, in turn")
    ap.add_argument("--runs", type=int, default=40, help="page runs of each page")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--room", action="store_true",
                    help="a teacher switches, one student follows (CPU of both runs per switch)")
    ap.add_argument("--moved", action="store_true", help="--room: the teacher moves a logit first")
    args = ap.parse_args()
    for root, url, pids in b.each_tree(args.roots, args.rounds):
        ms = asyncio.run(follower_ms(url, pids, args.runs, args.moved) if args.room
                         else per_page_ms(url, pids, args.runs))
        print(f"{root}: " + ", ".join(f"{p} {v:.1f}" for p, v in ms.items())
              + (" (ms of server CPU per switch, teacher + follower; follower's runs)"
                 if args.room else " ms of server CPU per page run"), flush=True)


if __name__ == "__main__":
    main()
