"""What one Streamlit element costs a run, in-process: 40 of a kind in one script (AppTest).

    python bench/element_cost.py            # 3 rounds, the least of each kind's medians

Each kind's script draws the element 40 times; a run of it is timed (process CPU) 8 times,
after a first run; the empty script's time is taken off and the rest divided by 40. This is
the Python side of an element in the script thread (building, identity, enqueueing, the
message hash); a real server adds the event loop's sending of each message. The numbers
say what a page run's element count costs: a room of 100 runs a page 100 times.
"""

import argparse
import statistics
import time

from streamlit.testing.v1 import AppTest

N = 40
CSS = "p { color: red; }\\n" * 200  # a 4 KB style block, as present.py's
KINDS = {
    "empty": "pass",
    "markdown": "st.markdown('Some **text** here that is a sentence or two long.')",
    "caption": "st.caption('Some text here that is a sentence or two long.')",
    "subheader": "st.subheader('Learning rates side by side')",
    "container": "st.container()",
    "horizontal container": "st.container(horizontal=True)",
    "expander": "st.expander('Numbers behind this chart', icon=':material/table:')",
    "keyed expander (lazy)": "st.expander('Numbers behind this chart', icon=':material/table:', "
                             "key=f'e{i}', on_change='rerun')",
    "metric": "st.metric('Loss', '0.1234', '+0.0100')",
    "button": "st.button('Present', key=f'b{i}', icon=':material/slideshow:', type='tertiary')",
    "toggle": "st.toggle('Follow', key=f't{i}')",
    "4 KB style block": f"st.html('<style>' + {CSS!r} + '</style>')",
}


def script(line: str) -> str:
    return f"import streamlit as st\nfor i in range({N}):\n    {line}\n"


def run_ms(source: str, runs: int) -> float:
    """The median process CPU of one run of ``source``, in ms."""
    at = AppTest.from_string(source, default_timeout=30)
    at.run()
    times = []
    for _ in range(runs):
        start = time.process_time()
        at.run()
        times.append(time.process_time() - start)
    return 1e3 * statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=8)
    args = ap.parse_args()
    best = {}
    for _ in range(args.rounds):
        for kind, line in KINDS.items():
            ms = run_ms(script(line), args.runs)
            best[kind] = min(best.get(kind, ms), ms)
    for kind, ms in best.items():
        if kind != "empty":
            print(f"{kind:24s} {(ms - best['empty']) / N:.3f} ms")


if __name__ == "__main__":
    main()
