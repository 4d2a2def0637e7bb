"""What a fragment saved: Descent's "Step shown" slider moved as a fragment rerun and as a page rerun.

RETIRED with issue 24: the "Step shown" slider is gone (the descent player steps in the
browser; its reports rerun a fragment, bench/bench_players.py times it). Kept for the numbers
in bench/RESULTS_class.md; run against a checkout before the player (`--root`).

    python bench/bench_fragment.py            # 100 moves each way, 2 rounds, interleaved
    python bench/bench_fragment.py --markdown

One websocket tab (bench_rooms.Tab, the browser's own messages) opens Descent at 200 steps
and moves the step slider 1, 2, ... The browser sends a widget change inside a fragment with
the fragment's id (Streamlit then reruns only the fragment); the same change sent without
it reruns the whole page, as before the step view became a fragment. Measured: server CPU
(user + system of the `streamlit run` process) per move, and wall time per move (bounded
by the per-session rerun rate, cevis_app/widgets/throttle.py, so not a speed measure).
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_app import machine  # noqa: E402
from bench_app import server  # noqa: E402
from bench_app import table  # noqa: E402
from bench_class import server_cpu_s  # noqa: E402
from bench_rooms import Tab  # noqa: E402

STEP = "Step shown (focus it and use ← →)"  # the slider inside app_pages/descent.py's fragment
MOVES = 100
ROUNDS = 2


class FragmentTab(Tab):
    """A tab that also notes which fragment each slider was drawn in."""

    def __init__(self, url):
        super().__init__(url)
        self.fragment_of = {}

    async def read(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for raw in self.ws:
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "slider":
                    self.fragment_of[element.slider.label] = fwd.delta.fragment_id
                self.element(element, time.perf_counter())
            elif kind == "script_finished":
                self.finished.set()


async def moves(url, pid, as_fragment: bool) -> tuple[float, float]:
    """(server CPU ms, wall ms) per move of the step slider."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    async with FragmentTab(url) as tab:
        await tab.send(page="descent", query="descent.steps=200")
        fragment = tab.fragment_of[STEP] if as_fragment else ""
        assert not as_fragment or fragment, "the step slider is not in a fragment"
        cpu, wall = server_cpu_s([pid]), time.perf_counter()
        for i in range(MOVES):
            state = WidgetState(id=tab.ids[STEP])
            state.double_array_value.data.append(float(i % 199 + 1))
            await tab.send(widgets=[state], fragment=fragment)
        return (1e3 * (server_cpu_s([pid]) - cpu) / MOVES,
                1e3 * (time.perf_counter() - wall) / MOVES)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--root", type=pathlib.Path, help="a checkout that still has the step slider")
    args = ap.parse_args()
    if args.root is None:
        sys.exit("bench_fragment.py measures Descent's 'Step shown' slider, replaced by the player "
                 "(issue 24): give --root <older checkout>, or run bench/bench_players.py")
    print(machine())
    rows = []
    with server(args.root) as (url, pid):
        asyncio.run(moves(url, pid, True))  # warm: imports, caches
        for r in range(ROUNDS):
            frag, page = asyncio.run(moves(url, pid, True)), asyncio.run(moves(url, pid, False))
            rows.append([str(r + 1), f"{frag[0]:.1f}", f"{page[0]:.1f}", f"{page[0] / frag[0]:.1f}",
                         f"{frag[1]:.0f}", f"{page[1]:.0f}"])
    print(f"\nDescent at 200 steps, {MOVES} moves of '{STEP}' each way, per move")
    print(table(["round", "fragment CPU ms", "page CPU ms", "ratio", "fragment wall ms",
                 "page wall ms"], rows, args.markdown))


if __name__ == "__main__":
    main()
