"""The README's classroom screenshots: docs/presentation.png, docs/lesson.png, docs/phone.png.

    python bench/readme_shots.py

presentation.png: the Explorer in presentation mode at 1280×720 and 150 % zoom (an 853×480
CSS viewport at device scale 1.5); lesson.png: a lesson step asking its question, presenting,
at the same size; phone.png: the Explorer at 390×844, its live view on the first screen.
"""

from __future__ import annotations

import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.chart_text import FLAGS  # noqa: E402
from bench.chart_text import server  # noqa: E402

VIEW = "explorer?explorer.z0=-1&explorer.z1=2.5&explorer.z2=0.5"  # confidently wrong-ish
SHOTS = {
    "presentation.png": (VIEW + "&present=1", dict(viewport={"width": 853, "height": 480},
                                                   device_scale_factor=1.5)),
    "lesson.png": ("lessons?lesson=2&step=3&present=1", dict(viewport={"width": 853, "height": 480},
                                                             device_scale_factor=1.5)),
    "phone.png": (VIEW, dict(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                             is_mobile=True, has_touch=True)),
}
def main():
    from playwright.sync_api import sync_playwright

    with server(str(HERE)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for name, (path, context) in SHOTS.items():
            ctx = browser.new_context(**context)
            page = ctx.new_page()
            page.goto(f"{url}/{path}")
            page.wait_for_selector("[data-testid=cevis-live] svg text, [data-testid=stButton]",
                                   timeout=120_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                                   timeout=60_000)
            time.sleep(2)
            page.screenshot(path=str(HERE / "docs" / name))
            print("wrote", HERE / "docs" / name)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
