"""Joining a room, as a teacher on a laptop sees it: the loopback warning, the join slide.

The server listens on 127.0.0.1, as a laptop's `streamlit run` opened at localhost would be
reached: the teacher is told phones cannot open the link and how to fix it; an address
typed for the session replaces it in the link and the QR code. The join slide is measured
at both projector sizes: the QR code, the code and the link are large, inside the viewport,
and nothing (the fixed Exit presentation button above all) overlaps them.
Set CEVIS_SHOTS=/some/dir to keep the screenshots.
"""

import os
import pathlib
import re

import pytest
from playwright.sync_api import expect

from .helpers import wait_idle

SLOW = 20_000  # ms
SIZES = {  # viewport, device scale, smallest QR side in CSS px that still reads from the back row
    "1280x720@150%": (dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5), 300),
    "1920x1080": (dict(viewport={"width": 1920, "height": 1080}), 600),
}


def shot(page, name):
    folder = os.environ.get("CEVIS_SHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png")


def open_room(page, url) -> str:
    page.goto(url)
    wait_idle(page)
    if "present=1" in url:  # the first run of a session may draw before the mode is on
        expect(page.get_by_role("button", name="Exit presentation")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Open a room").click()
    code = page.get_by_test_id("cevis-room-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-HJKMNP-Z]{6}$"), timeout=SLOW)
    return code.inner_text()


def box(locator):
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def overlap(a, b) -> float:
    """Area in CSS px² where two boxes intersect."""
    w = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(0.0, w) * max(0.0, h)


def test_on_localhost_the_teacher_is_told_phones_cannot_join_and_can_fix_it(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        code = open_room(page, f"{app_url.replace('127.0.0.1', 'localhost')}/room")
        link = page.get_by_test_id("stCode").first
        expect(link).to_have_text(re.compile(rf"^http://localhost:\d+/room\?room={code}$"), timeout=SLOW)
        warning = page.get_by_test_id("stAlertContentWarning")
        expect(warning).to_contain_text("Phones cannot open this link: localhost", timeout=SLOW)
        expect(warning).to_contain_text("--server.address 0.0.0.0")
        shot(page, "room-loopback-warning")
        field = page.get_by_role("textbox", name="Address phones use for this app")
        field.fill("http://192.168.1.20:8501/")
        field.press("Enter")
        expect(link).to_have_text(f"http://192.168.1.20:8501/room?room={code}", timeout=SLOW)
        expect(warning).to_have_count(0)
        field.fill("192.168.1.20")  # no scheme: refused with a reason, the page's address is kept
        field.press("Enter")
        expect(warning).to_contain_text("must start with http", timeout=SLOW)  # escaped: no autolink
        expect(link).to_have_text(re.compile(rf"^http://localhost:\d+/room\?room={code}$"), timeout=SLOW)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_join_slide_fills_the_projector_and_nothing_overlaps_it(browser, app_url, size):
    options, min_qr = SIZES[size]
    context = browser.new_context(**options)
    page = context.new_page()
    try:
        code = open_room(page, f"{app_url}/room?present=1")
        exit_button = page.get_by_role("button", name="Exit presentation")
        small_qr = page.get_by_role("img", name="QR code of the join link")
        expect(small_qr).to_be_visible(timeout=SLOW)
        assert overlap(box(exit_button), box(small_qr)) == 0  # D5: it covered a finder pattern
        page.get_by_role("button", name="Join slide").click()
        qr = page.get_by_role("img", name="QR code of the join link")
        slide_code = page.get_by_test_id("cevis-slide-code")
        expect(slide_code).to_have_text(code, timeout=SLOW)
        wait_idle(page)
        url = page.get_by_test_id("stCode")
        expect(url).to_contain_text(f"/room?room={code}")
        view = page.viewport_size
        parts = {"QR code": box(qr), "code": box(slide_code), "link": box(url)}
        q = parts["QR code"]
        assert q["width"] >= min_qr and abs(q["width"] - q["height"]) < 2, q
        for name, b in parts.items():  # all of it on the first screen, none of it cut
            assert b["x"] >= 0 and b["y"] >= 0, (name, b)
            assert b["x"] + b["width"] <= view["width"] and b["y"] + b["height"] <= view["height"], (name, b)
            assert overlap(b, box(exit_button)) == 0, name
        names = list(parts)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert overlap(parts[a], parts[b]) == 0, (a, b)
        assert box(slide_code)["height"] >= 0.09 * view["height"]  # the code reads from the back row
        shot(page, f"join-slide-{size}")
        page.get_by_role("button", name="Back to the room").click()
        expect(page.get_by_test_id("cevis-room-code")).to_have_text(code, timeout=SLOW)
    finally:
        context.close()
