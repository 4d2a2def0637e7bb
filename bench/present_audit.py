"""axe-core violations and text sizes per page, from a real browser (before/after tables).

    python bench/present_audit.py                     # this checkout
    python bench/present_audit.py --root /work/main   # another checkout (the "before")
    python bench/present_audit.py --only axe          # or: sizes

For every page (and a lesson step after *Check my answer*):
- axe: WCAG 2.1 A/AA violations (rules, nodes) at 1400x900, not presenting and presenting;
- sizes: with ?present=1 at 1920x1080 (scale 1) and 853x480 at scale 1.5 (1280x720 at
  150 %), the smallest text in device px and how many texts are under 18 device px.
Nothing here is asserted (tests/e2e/test_a11y.py and test_presentation_sizes.py do that).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tests"))

from bench.chart_text import FLAGS  # noqa: E402
from bench.chart_text import server  # noqa: E402
from tests.e2e.axe import STILL_JS  # noqa: E402
from tests.e2e.axe import run_axe  # noqa: E402
from tests.e2e.axe import version  # noqa: E402
from tests.e2e.viewcheck import ALL_TEXT_JS  # noqa: E402
from tests.e2e.viewcheck import small_texts  # noqa: E402

PAGES = ["", "lessons", "lessons-reveal", "binary", "explorer", "batch", "gradients", "descent",
         "training", "room", "stability"]
REVEAL = "lessons?lesson=2&step=3"  # a choice question; its reveal shows a metric and a chart
SIZES = {"1920x1080": dict(viewport={"width": 1920, "height": 1080}, device_scale_factor=1),
         "853x480@1.5": dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5)}
SETTLE_SECONDS = 2.0  # plotly's last relayout after the script run ends


def open_page(page, url, name, present):
    path = REVEAL if name == "lessons-reveal" else name
    sep = "&" if "?" in path else "?"
    page.goto(f"{url}/{path}" + (sep + "present=1" if present else ""))
    page.wait_for_selector(".st-key-cevis-present button:visible", timeout=90_000)  # it has run
    page.wait_for_function(STILL_JS, timeout=60_000)
    if name == "lessons-reveal":
        page.get_by_test_id("stRadio").get_by_test_id("stRadioOption").first.click()
        page.wait_for_function(STILL_JS, timeout=60_000)
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_test_id("stAlertContentError").wait_for(timeout=30_000)  # "goes up": wrong
        page.wait_for_function(STILL_JS, timeout=60_000)
    with contextlib.suppress(Exception):  # every chart drawn (plotly loads lazily), or 30 s
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
            ".every(c => c.querySelector('svg.main-svg text'))", timeout=30_000)
    time.sleep(SETTLE_SECONDS)


def audit_axe(browser, url, pages, details=None):
    print(f"axe-core {version()}, WCAG 2.1 A/AA, 1400x900")
    print(f"{'page':<15} {'present':>7} {'rules':>5} {'nodes':>5}  rule:nodes")
    totals = {}
    for present in (False, True):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        page = ctx.new_page()
        for name in pages:
            open_page(page, url, name, present)
            found = run_axe(page)
            if details is not None:
                details[f"{name or 'home'} present={present}"] = found
            nodes = sum(len(v["nodes"]) for v in found)
            rules = ", ".join(f"{v['rule']}:{len(v['nodes'])}" for v in found) or "-"
            totals[present] = [a + b for a, b in zip(totals.get(present, [0, 0]),
                                                     [len(found), nodes])]
            print(f"{name or 'home':<15} {present!s:>7} {len(found):>5} {nodes:>5}  {rules}")
        ctx.close()
    for present, (rules, nodes) in totals.items():
        print(f"total present={present}: {rules} violations, {nodes} nodes")


def audit_sizes(browser, url, pages):
    print("text sizes with ?present=1 (device px; '<18' counts texts under 18 device px)")
    print(f"{'page':<15} {'size':>11} {'texts':>5} {'min':>5} {'<18':>4}  smallest")
    for size, context in SIZES.items():
        ctx = browser.new_context(**context)
        page = ctx.new_page()
        for name in pages:
            open_page(page, url, name, True)
            texts = page.evaluate(ALL_TEXT_JS)
            small = sorted(small_texts(texts), key=lambda t: t["px"])
            low = min((t["px"] for t in texts), default=float("nan"))
            examples = ", ".join(f"{t['text'][:14]!r} {t['px']:.1f}" for t in small[:3]) or "-"
            print(f"{name or 'home':<15} {size:>11} {len(texts):>5} {low:>5.1f} {len(small):>4}"
                  f"  {examples}")
        ctx.close()


def main():
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(HERE))
    ap.add_argument("--only", choices=["axe", "sizes"])
    ap.add_argument("--details", help="write every violation's nodes to this JSON file")
    ap.add_argument("pages", nargs="*", default=PAGES)
    a = ap.parse_args()
    print(f"root {a.root}")
    with server(a.root) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        if a.only != "sizes":
            details = {}
            audit_axe(browser, url, a.pages, details)
            if a.details:
                pathlib.Path(a.details).write_text(json.dumps(details, indent=1))
        if a.only != "axe":
            audit_sizes(browser, url, a.pages)
        browser.close()


if __name__ == "__main__":
    main()
