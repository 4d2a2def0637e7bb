"""The live drag, timed in Chromium: per-frame redraw while a logit is held, payload bytes, first render.

    python bench/bench_live.py             # 3 and 10 classes, 2-second drags, first renders
    python bench/bench_live.py --markdown  # the tables as Markdown, for README
    python bench/bench_live.py --compare /tmp/old  # also the first render of another checkout's
                                                   # Explorer (e.g. `git archive` of an older commit)

First renders (bench/first_render.py): the Explorer, Home (Streamlit's floor on this machine:
text, links and the app's sidebar) and the other checkout's Explorer, interleaved, each timed
by the page's own clock from navigation start (title, view drawn, script done).

Per frame, measured from the bench's side (the app ships no bench hook): before the drag the
bench wraps the page's requestAnimationFrame and watches the live view with a
MutationObserver; an animation-frame callback that changed the view is a frame. "work" is
performance.now() around that callback (the lookup and DOM writes, the formulas and the class
table included) plus a forced style and layout; "frame gap" is the time between successive
frames while the pointer moves (16.7 ms when no frame is dropped); "input -> drawn" is from
the first pointer event's timeStamp since the last frame to the end of the frame's work.
The pointer moves by CDP mouse events for 2 s.
Payload bytes are those of the JSON Streamlit sends (computed here, as the page does).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from bench_app import CHROMIUM  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_app import FLAGS  # noqa: E402
from bench_app import machine  # noqa: E402
from bench_app import pct  # noqa: E402
from bench_app import server  # noqa: E402
from bench_app import table  # noqa: E402
from first_render import HEADERS as FIRST_HEADERS  # noqa: E402
from first_render import load_average  # noqa: E402
from first_render import measure as measure_first_renders  # noqa: E402
from first_render import rows as first_render_rows  # noqa: E402

from cevis_app.views.live import live_tables  # noqa: E402
from cevis_app.views.live import loss_curve  # noqa: E402
from cevis_app.views.live_binary import binary_live_tables  # noqa: E402
from cevis_app.views.live_payload import encode_binary  # noqa: E402
from cevis_app.views.live_payload import encode_live  # noqa: E402

DRAG_SECONDS = 2.0  # one held drag, back and forth along a track
FIRST_RENDERS = 5  # fresh browser contexts per page and checkout (bench/first_render.py)
CLASSES = (3, 10)


def sample(classes: int) -> tuple[list[float], str]:
    z = [round(2.0 - 0.45 * i, 2) for i in range(classes)]
    query = "&".join([f"explorer.classes={classes}"] + [f"explorer.z{i}={v}" for i, v in enumerate(z)])
    return z, query


def payload_rows() -> list[list[str]]:
    """Bytes of the JSON each render sends, and the server's time to build it."""
    rows = []
    for classes in CLASSES:
        for t in (1.0, 0.5):
            z, _ = sample(classes)
            names = [f"class {i}" for i in range(classes)]
            start = time.perf_counter()
            for _ in range(20):
                payload = encode_live(live_tables(z, 0, t), names, *loss_curve())
            ms = (time.perf_counter() - start) / 20 * 1000
            size = len(json.dumps(payload, separators=(",", ":")))
            rows.append([f"Explorer, {classes} classes, T = {t}", f"{size:,}", f"{ms:.1f}"])
    for kind in ("logit", "probability"):
        start = time.perf_counter()
        for _ in range(20):
            payload = encode_binary(binary_live_tables(1, **({"logit": 1.0} if kind == "logit"
                                                             else {"prob": 0.73})), kind)
        ms = (time.perf_counter() - start) / 20 * 1000
        rows.append([f"Binary, drag the {kind}", f"{len(json.dumps(payload)):,}", f"{ms:.1f}"])
    return rows


# Installed from the bench, not shipped: times every animation-frame callback that changes the
# live view (takeRecords() right after the callback says whether it did).
RECORDER_JS = """(root) => {
  const frames = (window.__benchFrames = []);
  let input = null;
  const seen = new MutationObserver(() => {});
  seen.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  addEventListener("pointermove", (e) => { if (input === null) input = e.timeStamp; }, true);
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((t) => {
    const t0 = performance.now();
    callback(t);
    if (seen.takeRecords().length && frames.length < 4000) {
      root.getBoundingClientRect(); // style + layout inside the measured work
      const done = performance.now();
      frames.push({ raf: t, work: done - t0, input, done });
      input = null;
    }
  });
}"""


def held_drag(page, cdp) -> dict:
    """Press the second class's handle and sweep it for DRAG_SECONDS without releasing."""
    live = page.get_by_test_id("cevis-live").first
    track = live.locator(".cl-track").nth(1).bounding_box()
    handle = live.locator(".cl-handle").nth(1).bounding_box()
    y = track["y"] + track["height"] / 2
    live.evaluate(RECORDER_JS)
    x0 = handle["x"] + handle["width"] / 2
    cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x0, "y": y})
    cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x0, "y": y, "button": "left",
                                          "clickCount": 1})
    start, moves = time.perf_counter(), 0
    while time.perf_counter() - start < DRAG_SECONDS:
        phase = ((time.perf_counter() - start) / DRAG_SECONDS * 4) % 2  # there and back, twice
        f = phase if phase <= 1 else 2 - phase
        x = track["x"] + (0.05 + 0.9 * f) * track["width"]
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, "button": "left",
                                              "buttons": 1})
        moves += 1
        time.sleep(0.004)
    frames = page.evaluate("() => window.__benchFrames")
    cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left",
                                          "clickCount": 1})
    work = [f["work"] for f in frames]
    gaps = [b["raf"] - a["raf"] for a, b in zip(frames, frames[1:])]
    latency = [f["done"] - f["input"] for f in frames if f["input"] is not None]
    return {"moves": moves, "frames": len(frames), "work": work, "gaps": gaps, "latency": latency}


def browser_rows(url, other_url=None, other_label="", firsts=True) -> tuple[list[list[str]], dict]:
    """The held drags' rows, and the first renders (bench/first_render.py) of the Explorer,
    Home and, if given, another checkout's Explorer, interleaved so all see the same load."""
    from playwright.sync_api import sync_playwright

    rows = []
    targets = {"Explorer": (url, "explorer"), "Home (Streamlit's floor)": (url, "")}
    if other_url:
        targets[f"Explorer of {other_label}"] = (other_url, "explorer")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        firsts = measure_first_renders(browser, targets, FIRST_RENDERS) if firsts else None
        for classes in CLASSES:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"http://{url}/explorer?{sample(classes)[1]}")
            page.wait_for_selector('[data-testid="cevis-live"][data-render]', timeout=60_000)
            page.wait_for_timeout(1000)
            d = held_drag(page, context.new_cdp_session(page))
            rows.append([str(classes), str(d["moves"]), str(d["frames"]),
                         f"{statistics.median(d['work']):.2f}", f"{pct(d['work'], 0.95):.2f}",
                         f"{statistics.median(d['gaps']):.1f}", f"{pct(d['gaps'], 0.95):.1f}",
                         f"{statistics.median(d['latency']):.1f}", f"{pct(d['latency'], 0.95):.1f}"])
            context.close()
        browser.close()
    return rows, firsts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--compare", type=pathlib.Path, help="another checkout: its Explorer's first render")
    ap.add_argument("--drag-only", action="store_true", help="payloads and held drags, no first renders")
    args = ap.parse_args()
    print(machine())
    load_start = load_average()
    print("\nPayload per render (JSON bytes as sent; ms to compute and encode on the server)")
    print(table(["payload", "bytes", "build ms"], payload_rows(), args.markdown))
    with contextlib.ExitStack() as stack:
        url, _ = stack.enter_context(server())
        other = stack.enter_context(server(args.compare))[0] if args.compare else None
        rows, firsts = browser_rows(url, other, str(args.compare), firsts=not args.drag_only)
    print(f"\nHeld drag, {DRAG_SECONDS:g} s, Chromium headless, formulas and class table included "
          "(ms; goal: work <= 8 median, <= 16 p95)")
    print(table(["classes", "moves", "frames", "work med", "work p95", "frame gap med",
                 "frame gap p95", "input->drawn med", "input->drawn p95"], rows, args.markdown))
    if firsts is None:
        print(f"Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_average()}")
        return
    print(f"\nFirst render, fresh context, ms from navigation start by the page's clock: median "
          f"(range) of {FIRST_RENDERS} (goal <= 1500; bench/first_render.py says what each mark is)")
    print(table(FIRST_HEADERS, first_render_rows(firsts), args.markdown))
    print(f"Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_average()}")


if __name__ == "__main__":
    main()
