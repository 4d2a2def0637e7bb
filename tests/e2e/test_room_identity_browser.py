"""A room survives what real classes do, in real browsers (separate contexts = separate devices).

The teacher reloads, opens a deep link, closes and reopens the tab: still the teacher,
and the class still follows. A student reloads and re-joins with another spelling of
the code: still one student with one answer, "Answer sent" shown again. A teacher link
opened on a second device makes it a teacher too. Ending the room puts the ended
screen on every phone within seconds, and a new phone cannot join. The server polls
once an hour, so everything a phone shows of the teacher came by the push.
"""

import re

import pytest
from playwright.sync_api import expect

from .helpers import streamlit_server
from .helpers import wait_idle
from .test_room_browser import SLOW
from .test_room_browser import go
from .test_room_browser import open_room
from .test_room_browser import streamlit_slider

ENDED_WITHIN = 8_000  # ms: "within a few seconds" (the push; the heartbeat fragment is the fallback)


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server({"CEVIS_ROOM_POLL_SECONDS": "3600"}) as url:
        yield url


def _context(browser, **kw):
    return browser.new_context(**({"viewport": {"width": 1280, "height": 720}} | kw))


@pytest.fixture
def laptop(browser):
    context = _context(browser, device_scale_factor=1.5)
    yield context
    context.close()


@pytest.fixture
def phones(browser):
    contexts = [_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
                for _ in range(2)]
    yield contexts
    for context in contexts:
        context.close()


def _counts(page, here, joined):
    expect(page.get_by_text(f"{here} student{'s' if here != 1 else ''} here · {joined} joined")) \
        .to_be_visible(timeout=SLOW)


def test_the_teacher_keeps_the_room_through_reload_deep_link_and_a_new_tab(laptop, phones, app_url):
    teacher = laptop.new_page()
    code = open_room(teacher, app_url)
    phone = phones[0].new_page()
    phone.goto(f"{app_url}/room?room={code}")
    expect(phone.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)

    teacher.reload()
    expect(teacher.get_by_test_id("cevis-room-code")).to_have_text(code, timeout=SLOW)
    _counts(teacher, 1, 1)

    teacher.goto(f"{app_url}/explorer")  # a deep link: a new session in the same browser
    expect(teacher.get_by_text(f"Room {code}")).to_be_visible(timeout=SLOW)
    expect(phone).to_have_url(re.compile(r"/explorer"), timeout=SLOW)  # the class followed

    teacher.close()  # the tab is closed...
    teacher = laptop.new_page()  # ...and opened again
    teacher.goto(f"{app_url}/binary")
    expect(teacher.get_by_text(f"Room {code}")).to_be_visible(timeout=SLOW)
    expect(phone).to_have_url(re.compile(r"/binary"), timeout=SLOW)
    expect(phone.get_by_role("link", name="Room page")).to_have_count(0)  # the phone drives nothing
    expect(phone.get_by_role("button", name="Ask the class")).to_have_count(0)


def test_a_student_reloading_and_rejoining_is_one_student_with_one_answer(laptop, phones, app_url):
    teacher = laptop.new_page()
    code = open_room(teacher, app_url)
    phone = phones[0].new_page()
    phone.goto(f"{app_url}/room?room={code}")
    expect(phone.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)
    teacher.get_by_role("button", name="Ask the question").click()
    estimate = phone.get_by_label("Your estimate")
    expect(estimate).to_be_visible(timeout=SLOW)
    estimate.fill("3.25")
    phone.get_by_role("button", name="Send answer").click()
    expect(phone.get_by_text("Answer sent: 3.250")).to_be_visible(timeout=SLOW)

    phone.reload()
    expect(phone.get_by_text("Answer sent: 3.250")).to_be_visible(timeout=SLOW)
    for spelling in (code.lower(), f"{code[:3]}-{code[3:]}"):
        phone.goto(f"{app_url}/room?room={spelling}")
        expect(phone.get_by_text("Answer sent: 3.250")).to_be_visible(timeout=SLOW)
    second_tab = phones[0].new_page()
    second_tab.goto(f"{app_url}/room")  # no link: the browser's seat is found anyway
    expect(second_tab.get_by_text("Answer sent: 3.250")).to_be_visible(timeout=SLOW)
    teacher.reload()
    expect(teacher.get_by_text("1 student here · 1 joined · 1 answer")).to_be_visible(timeout=SLOW)


def test_a_teacher_link_makes_a_second_device_a_teacher(laptop, phones, app_url, browser):
    teacher = laptop.new_page()
    code = open_room(teacher, app_url)
    teacher.get_by_text("Teach from another device").click()
    teacher.get_by_role("button", name="Make a teacher link").click()
    link = teacher.get_by_test_id("stCode").filter(has_text="#teach=")
    expect(link).to_be_visible(timeout=SLOW)
    url = link.inner_text().strip()
    assert "#teach=" in url and url.split("#teach=")[0].endswith(f"room={code}")
    tablet_context = _context(browser)
    try:
        tablet = tablet_context.new_page()
        tablet.goto(url)
        expect(tablet.get_by_test_id("cevis-room-code")).to_have_text(code, timeout=SLOW)
        assert "#teach" not in tablet.url  # the secret left the address bar
        phone = phones[0].new_page()
        phone.goto(f"{app_url}/room?room={code}")
        expect(phone.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)
        go(tablet, "Explorer")
        # the teacher moves once the class has arrived (a move made while a phone is still
        # switching page reaches it at the fallback poll, which this server runs hourly)
        expect(phone).to_have_url(re.compile(r"/explorer"), timeout=SLOW)
        phone.get_by_test_id("cevis-live").first.wait_for(timeout=SLOW)
        wait_idle(phone)
        slider = streamlit_slider(tablet, "Logit z of duck")
        slider.focus()
        slider.press("End")
        # the phone's live view follows (a fragment rerun; its folded sliders at its next page run)
        # (while a rerun replaces the view, the old one can linger in the DOM: look for the new)
        moved = phone.locator('[data-testid="cevis-live"] [role="slider"][aria-label="logit z of duck"]'
                              '[aria-valuenow="10.00"]')
        expect(moved.first).to_be_visible(timeout=SLOW)
        other = phones[1].new_page()  # the used link, on a third device: refused
        other.goto(url)
        expect(other.get_by_text("has been used or replaced")).to_be_visible(timeout=SLOW)
    finally:
        tablet_context.close()


def test_ending_the_room_shows_every_phone_the_ended_screen_and_the_code_stops(laptop, phones, app_url,
                                                                             browser):
    teacher = laptop.new_page()
    code = open_room(teacher, app_url)
    pages = []
    for context in phones:
        page = context.new_page()
        page.goto(f"{app_url}/room?room={code}")
        expect(page.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)
        pages.append(page)
    pages[1].get_by_text("Follow the teacher").click()  # one student explores on their own
    expect(pages[1].get_by_role("button", name="Back to the teacher's view")).to_be_visible(timeout=SLOW)
    teacher.get_by_role("button", name="Ask the question").click()
    expect(pages[0].get_by_label("Your estimate")).to_be_visible(timeout=SLOW)
    teacher.get_by_role("button", name="End the room").click()
    for page in pages:
        expect(page.get_by_text(f"Room {code} has ended")).to_be_visible(timeout=ENDED_WITHIN)
    expect(pages[0].get_by_role("button", name="Send answer")).to_have_count(0)
    late = _context(browser, viewport={"width": 390, "height": 844})
    try:
        newcomer = late.new_page()
        newcomer.goto(f"{app_url}/room?room={code}")
        wait_idle(newcomer)
        expect(newcomer.get_by_text(f"No open room has the code {code}")).to_be_visible(timeout=SLOW)
    finally:
        late.close()
    pages[0].reload()  # a reload after the end: no room, no error
    wait_idle(pages[0])
    expect(pages[0].get_by_text("Follow the teacher")).to_have_count(0)
