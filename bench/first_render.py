"""First render in Chromium, by the page's own clock: when the title, the view and the script's
last message arrive, from navigation start, in a fresh browser context.

    python bench/first_render.py                      # the Explorer and Home, 5 fresh contexts each
    python bench/first_render.py --compare /tmp/old   # also another checkout's, interleaved
    python bench/first_render.py --markdown

A script injected before the page's own (``INIT``) stamps ``performance.now()`` (ms since
navigation start) when each mark first holds, watching the document and every shadow root
(the live view draws inside one):
- *title*: the page's ``h1`` is in the document (Streamlit's first commit with the page);
- *view*: the Explorer's live view has drawn (``[data-testid="cevis-live"][data-render]``),
  or, on Home, its page links are in (Streamlit loads their code on demand);
- *script done*: the last websocket message before the page went quiet (the script's end);
- *first render* = max(view, script done), the number the goal is about;
- *main-thread CPU*: the renderer's main-thread task time for the whole first render (CDP
  ``Performance.getMetrics`` TaskDuration, read once the page is quiet): what the page costs
  the browser, much less sensitive to other processes' load than the times above.
Playwright's own wait (``page.wait_for_selector``) polls with back-off, so the wall clock
around it adds up to ~0.5 s of waiting that no user sees; it is shown for continuity.
"""

from __future__ import annotations

import argparse
import contextlib
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_app import CHROMIUM  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_app import FLAGS  # noqa: E402
from bench_app import machine  # noqa: E402
from bench_app import server  # noqa: E402
from bench_app import table  # noqa: E402

RUNS = 5  # fresh contexts per page and checkout
QUIET_MS = 1000  # no websocket message for this long after the view: the script has finished
PAGES = {  # page -> the selector that says its view is drawn
    "explorer": '[data-testid="cevis-live"][data-render]',
    "": '[data-testid="stPageLink"]',  # Home
}

INIT = r"""
(() => {
  const marks = (window.__cevisFirst = { ws: [] });
  const stamp = (k) => { if (!(k in marks)) marks[k] = performance.now(); };
  const roots = [];
  const check = () => {
    if (document.querySelector("h1")) stamp("title");
    for (const sel of SELECTORS) {
      if (document.querySelector(sel) || roots.some((r) => r.querySelector(sel))) stamp("view");
    }
  };
  const observer = new MutationObserver(check);
  const observe = (node) => observer.observe(node, { childList: true, subtree: true, attributes: true });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (...args) {
    const root = attach.apply(this, args);
    roots.push(root);
    observe(root);
    return root;
  };
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => marks.ws.push(performance.now()));
    }
  };
  document.addEventListener("DOMContentLoaded", () => { observe(document.body); check(); });
})();
"""


def first_render(browser, url: str, page_path: str = "explorer") -> dict:
    """One fresh context: ms from navigation start to each mark, and Playwright's wall clock."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(INIT.replace("SELECTORS", repr([PAGES[page_path]])))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    start = time.perf_counter()
    page.goto(f"http://{url}/{page_path}")
    page.wait_for_selector(PAGES[page_path], timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)
    wall = (time.perf_counter() - start) * 1000
    page.wait_for_function(f"() => performance.now() - Math.max(...window.__cevisFirst.ws) > {QUIET_MS}",
                           timeout=60_000)
    marks = page.evaluate("() => window.__cevisFirst")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    done = max(marks["ws"])
    return {"title": marks["title"], "view": marks["view"], "done": done,
            "first": max(marks["view"], done), "wall": wall, "cpu": metrics["TaskDuration"] * 1000}


def measure(browser, targets: dict, runs: int = RUNS) -> dict:
    """``targets``: label -> (url, page path). Interleaved, so all see the same machine load."""
    for url, page_path in targets.values():
        first_render(browser, url, page_path)  # warm the server's imports; not counted
    results = {label: [] for label in targets}
    for _ in range(runs):
        for label, (url, page_path) in targets.items():
            results[label].append(first_render(browser, url, page_path))
    return results


def load_average() -> str:
    """The machine's load average (1, 5, 15 min), to print beside every measurement."""
    return ", ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])


def spread(values) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def rows(results: dict) -> list[list[str]]:
    """One row per target: median (range) of each mark."""
    return [[label] + [spread([r[k] for r in runs])
                       for k in ("first", "title", "view", "done", "cpu", "wall")]
            for label, runs in results.items()]


HEADERS = ["page", "first render ms", "title at", "view drawn at", "script done at",
           "main-thread CPU ms", "Playwright wall"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--compare", type=pathlib.Path, help="another checkout, measured interleaved")
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(machine())
    load_start = load_average()
    with contextlib.ExitStack() as stack:
        url, _ = stack.enter_context(server())
        targets = {"Explorer": (url, "explorer"), "Home": (url, "")}
        if args.compare:
            targets[f"Explorer of {args.compare}"] = (stack.enter_context(server(args.compare))[0],
                                                      "explorer")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            results = measure(browser, targets, args.runs)
            browser.close()
    print(f"\nFirst render, fresh context, ms from navigation start: median (range) of {args.runs}")
    print(table(HEADERS, rows(results), args.markdown))
    print(f"Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_average()}")


if __name__ == "__main__":
    main()
