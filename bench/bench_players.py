"""The descent and training players, timed in Chromium: a key -> its frame, a paused change -> the
first frame of the continued run.

    python bench/bench_players.py             # both players, 40 key steps and 6 changes each
    python bench/bench_players.py --markdown
    python bench/bench_players.py --compare /tmp/before --rounds 2   # interleaved with a checkout

*key -> frame*: from a → key's event timeStamp (on the focused player) to the moment the first
animation-frame callback after the player's step readout changed runs (the frame that paints it).
*change -> frame*: a paused player, η moved one notch on Streamlit's own slider (← or →):
from that key's timeStamp to the first animation frame after the player shows the new η (the
server reran the page, continued the run from the paused step with cevis, sent the frames).
All hooks are installed by this script (page.evaluate); the app ships none. Goals (issue 24):
key -> frame <= 16 ms, change -> frame <= 150 ms.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from bench_app import CHROMIUM  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_app import FLAGS  # noqa: E402
from bench_app import machine  # noqa: E402
from bench_app import pct  # noqa: E402
from bench_app import server  # noqa: E402
from bench_app import table  # noqa: E402
from first_render import load_average  # noqa: E402

KEYS = 40  # → presses per player
CHANGES = 6  # η notches per player, alternately down and up
PLAYERS = {  # page, the step readout's test id, the η readout's test id, η slider label
    "descent": ("descent?explorer.z1=3&explorer.z2=1&descent.lr=0.3", "cevis-descent-step",
                "cevis-descent-eta", "Learning rate η"),
    "training": ("training?training.lr=0.3", "cevis-training-epoch", "cevis-training-settings",
                 "Learning rate η"),
}

# Installed from here, not shipped: when `readout` changes, note the first animation frame after.
WATCH_JS = """(readout) => {
  const log = (window.__benchPlayer = { keys: [], frames: [] });
  addEventListener("keydown", (e) => log.keys.push(e.timeStamp), true);
  new MutationObserver(() => requestAnimationFrame(() => log.frames.push(performance.now())))
    .observe(readout, { subtree: true, childList: true, characterData: true });
}"""


def wait_idle(page, timeout=30_000):
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout)
    page.wait_for_timeout(300)


def measure(browser, base, path, step_id, eta_id, eta_label) -> tuple[list, list]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"http://{base}/{path}")
    player = page.get_by_test_id("cevis-live").first
    player.wait_for(timeout=60_000)
    wait_idle(page)
    keys = []
    page.get_by_test_id(step_id).evaluate(WATCH_JS)
    player.focus()
    for _ in range(KEYS):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
        log = page.evaluate("() => window.__benchPlayer")
        keys.append(log["frames"][-1] - log["keys"][-1])
    wait_idle(page)
    changes = []
    page.get_by_test_id(eta_id).evaluate(WATCH_JS)
    slider = page.get_by_test_id("stSlider").filter(has_text=eta_label).get_by_role("slider")
    for i in range(CHANGES):
        slider.focus()
        slider.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
        # the first frame after the key (a page rerun still drawing the last change is not it)
        after = ("() => { const l = window.__benchPlayer; const k = l.keys[l.keys.length - 1];"
                 " return l.frames.some((f) => f > k); }")
        page.wait_for_function(after, timeout=30_000)
        log = page.evaluate("() => window.__benchPlayer")
        changes.append(min(f for f in log["frames"] if f > log["keys"][-1]) - log["keys"][-1])
        page.wait_for_timeout(1500)  # the page's own rerun (it follows the player) starts
        wait_idle(page)
        page.get_by_test_id(eta_id).evaluate(WATCH_JS)
    context.close()
    return keys, changes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--compare", metavar="DIR", help="another checkout (git archive), measured "
                    "interleaved with this one under the same load")
    ap.add_argument("--rounds", type=int, default=1, help="alternations of the checkouts")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(machine())
    load_start = load_average()
    roots = [("this", None)] + ([(args.compare, args.compare)] if args.compare else [])
    found = {(label, name): ([], []) for label, _ in roots for name in PLAYERS}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(args.rounds):
            for label, root in roots:
                with server(root) as (base, _):
                    for name, spec in PLAYERS.items():
                        keys, changes = measure(browser, base, *spec)
                        found[label, name][0].extend(keys)
                        found[label, name][1].extend(changes)
        browser.close()
    rows = []
    for (label, name), (keys, changes) in found.items():
        rows.append([name if not args.compare else f"{name} ({label})", str(len(keys)),
                     f"{statistics.median(keys):.1f}", f"{pct(keys, 0.95):.1f}",
                     str(len(changes)), f"{statistics.median(changes):.0f}",
                     f"{min(changes):.0f}–{max(changes):.0f}"])
    print("\nPlayers, Chromium headless (ms; goals: key -> frame <= 16, change -> frame <= 150)")
    print(table(["player", "keys", "key->frame med", "key->frame p95", "changes",
                 "change->frame med", "change->frame range"], rows, args.markdown))
    print(f"Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_average()}")


if __name__ == "__main__":
    main()
