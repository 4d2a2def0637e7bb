"""The README's room screenshots: docs/room-teacher.png and docs/room-phone.png.

    python bench/readme_room_shots.py

A teacher (1400×900) opens a room, moves the seal's logit to 10 on the Explorer, asks the
loss; three students (phones, 390×844) answer 4, 9.5 and 10.5; the teacher reveals. The
shots are the teacher's Room page and one student's phone after the reveal.
"""

from __future__ import annotations

import os
import pathlib
import re
import sys
import time

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.chart_text import FLAGS  # noqa: E402
from bench.chart_text import server  # noqa: E402

ANSWERS = ("4", "9.5", "10.5")
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
             has_touch=True)
WAIT = 60_000  # ms


def settle(page):
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=WAIT)
    time.sleep(1.5)


def main():
    from playwright.sync_api import expect
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("CEVIS_PUBLIC_URL", "http://192.168.1.20:8501")  # the link phones open
    with server(str(HERE)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        teacher = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        teacher.goto(f"{url}/room")
        settle(teacher)
        teacher.get_by_role("button", name="Open a room").click()
        code = teacher.get_by_test_id("cevis-room-code")
        expect(code).to_have_text(re.compile(r"^\w{6}$"), timeout=WAIT)
        students = []
        for _ in ANSWERS:
            page = browser.new_context(**PHONE).new_page()
            page.goto(f"{url}/room?room={code.inner_text()}")
            expect(page.get_by_text("Follow the teacher")).to_be_visible(timeout=WAIT)
            students.append(page)
        teacher.get_by_test_id("stSidebarNav").get_by_role("link", name="Explorer").click()
        settle(teacher)
        slider = teacher.get_by_test_id("stSlider").filter(has_text="Logit z of seal") \
            .get_by_role("slider")
        slider.focus()
        slider.press("End")
        settle(teacher)
        teacher.get_by_role("link", name="Room page").click()
        settle(teacher)
        teacher.get_by_role("button", name="Ask the question").click()
        for page, answer in zip(students, ANSWERS):
            estimate = page.get_by_label("Your estimate")
            expect(estimate).to_be_visible(timeout=WAIT)
            estimate.fill(answer)
            page.get_by_role("button", name="Send answer").click()
            expect(page.get_by_text("Answer sent")).to_be_visible(timeout=WAIT)
        teacher.get_by_role("button", name="Reveal the answers").click()
        expect(teacher.get_by_test_id("stPlotlyChart").filter(has_text="3 answers")) \
            .to_be_visible(timeout=WAIT)
        expect(students[1].get_by_text("The answer:")).to_be_visible(timeout=WAIT)
        settle(teacher)
        teacher.get_by_role("button", name="Ask the question").scroll_into_view_if_needed()
        teacher.mouse.wheel(0, 250)  # the buttons, the count and the class's answers
        settle(teacher)
        teacher.screenshot(path=str(HERE / "docs" / "room-teacher.png"))
        students[1].screenshot(path=str(HERE / "docs" / "room-phone.png"))
        print("wrote docs/room-teacher.png and docs/room-phone.png")
        browser.close()


if __name__ == "__main__":
    main()
