"""Chart text size and contrast per page, read from a real browser (before/after numbers).

    python bench/chart_text.py                      # this checkout, 1400x900
    python bench/chart_text.py --root /work/main    # another checkout (the "before")
    python bench/chart_text.py --present            # every page with ?present=1
    python bench/chart_text.py --width 853 --height 480 --scale 1.5   # 1280x720 at 150 %

Prints one row per page: texts measured, smallest font size (CSS px), smallest contrast on
white, how many texts are below 4.5:1 and below 18 px, and elements cut (see pagecheck.py).
"""

from __future__ import annotations

import argparse
import contextlib
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from tests.e2e.pagecheck import CHART_TEXT_JS  # noqa: E402
from tests.e2e.pagecheck import CUT_ELEMENTS_JS  # noqa: E402
from tests.e2e.pagecheck import summary  # noqa: E402

PAGES = ["explorer", "binary", "batch", "gradients", "descent", "training", "stability"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
SETTLE_SECONDS = 2.0  # plotly draws after the script run ends


@contextlib.contextmanager
def server(root):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless",
                             "true", "--server.address", "127.0.0.1", "--server.port", str(port)],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def measure(page, url):
    page.goto(url)
    page.wait_for_selector("[data-testid=stPlotlyChart] svg.main-svg text", timeout=90_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)
    with contextlib.suppress(Exception):  # every chart drawn (plotly loads lazily), or 30 s
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
            ".every(c => c.querySelector('svg.main-svg text'))", timeout=30_000)
    time.sleep(SETTLE_SECONDS)
    return summary(page.evaluate(CHART_TEXT_JS)), page.evaluate(CUT_ELEMENTS_JS)


def main():
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(HERE))
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--scale", type=float, default=1.0, help="device scale factor (zoom)")
    ap.add_argument("--present", action="store_true")
    ap.add_argument("pages", nargs="*", default=PAGES)
    a = ap.parse_args()
    print(f"root {a.root}, viewport {a.width}x{a.height} at scale {a.scale}, present={a.present}")
    print(f"{'page':<10} {'texts':>5} {'min px':>6} {'min contrast':>12} {'<4.5:1':>6} "
          f"{'<18px':>5}  cut")
    with server(a.root) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": a.width, "height": a.height},
                                device_scale_factor=a.scale)
        for name in a.pages:
            s, cut = measure(page, f"{url}/{name}" + ("?present=1" if a.present else ""))
            cuts = ", ".join(sorted({c["text"][:18] for c in cut})) or "-"
            print(f"{name:<10} {s['n']:>5} {s['min_px']:>6.1f} {s['min_contrast']:>12.2f} "
                  f"{s['below_4_5']:>6} {s.get('below_18', 0):>5}  {cuts}")
        browser.close()


if __name__ == "__main__":
    main()
