"""The teacher's toolkit in real browsers: a teacher (projector) and three phones, each its own
browser context (issue 23).

The teacher writes a multiple-choice question with a hostile option (a spreadsheet formula),
asks it, sees "M of N answered", locks it (a phone that had not answered is told answers are
closed), reveals it (every phone shows the class's answers with its own highlighted), and
downloads the CSV, checked against what was answered. Then a number question with a countdown
locks by itself, and a removed student's answer leaves the tally. The server polls once an
hour (CEVIS_ROOM_POLL_SECONDS): what phones see came by the push; its countdowns are 5 s, the
store's shortest (CEVIS_ROOM_COUNTDOWNS), so the test sees one run out in seconds.
Set CEVIS_SHOTS=/some/dir to keep screenshots.
"""

import csv
import io
import os
import pathlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from cevis_app.rooms.checks import MIN_SECONDS

from .helpers import streamlit_server
from .helpers import wait_idle
from .test_room_browser import open_room

SLOW = 20_000  # ms
HOSTILE = '=HYPERLINK("http://evil.example/?x=1","click me")'
COUNTDOWN = str(MIN_SECONDS)  # s, the only countdown this server offers (the default menu starts at 15 s)


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server({"CEVIS_ROOM_POLL_SECONDS": "3600", "CEVIS_ROOM_COUNTDOWNS": COUNTDOWN}) as url:
        yield url


def shot(page, name):
    folder = os.environ.get("CEVIS_SHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def people(browser):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1.5,
                                    accept_downloads=True)]
    contexts += [browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
                 for _ in range(3)]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


def on_screen(text):
    """Text as Streamlit shows it after the app's Markdown escaper: an invisible WORD JOINER
    after "://" keeps a link from forming (cevis_app/text/escape.py)."""
    return text.replace("://", ":\u2060//")


def pick(teacher, label, option):
    box = teacher.get_by_test_id("stSelectbox").filter(has=teacher.get_by_role("combobox", name=label))
    wanted = teacher.get_by_role("option", name=re.compile(re.escape(option)))
    for _ in range(5):  # a rerun that lands while the list opens closes it again: open it again
        wait_idle(teacher)
        box.get_by_role("button", name="Open").click()
        try:
            wanted.click(timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    expect(teacher.get_by_role("combobox", name=label)).to_have_value(re.compile(re.escape(option)))
    wait_idle(teacher)


def answer_choice(phone, option):
    phone.get_by_test_id("stRadio").get_by_text(on_screen(option), exact=True).click()
    phone.get_by_role("button", name="Send answer").click()
    expect(phone.get_by_text(f"Answer sent: {on_screen(option)}")).to_be_visible(timeout=SLOW)


def write_question(teacher, text, options):
    teacher.get_by_text(re.compile(r"^Your questions \(\d+\)$")).click()
    teacher.get_by_role("textbox", name="Question", exact=True).fill(text)
    teacher.get_by_role("textbox", name="Options, for multiple choice").fill(options)
    teacher.get_by_role("button", name="Add to the queue").click()
    wait_idle(teacher)


def test_own_question_lock_reveal_export_countdown_and_removal(people, app_url):
    teacher, a, b, c = people
    code = open_room(teacher, app_url)
    for phone in (a, b, c):
        phone.goto(f"{app_url}/room?room={code}")
        expect(phone.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)

    # a question of the teacher's own, with a formula as an option
    write_question(teacher, "Which option is right?", f"wrong one\n* right one\n{HOSTILE}")
    teacher.reload()  # the queue is kept in the room: a reload of the teacher's tab keeps it
    expect(teacher.get_by_text("Your questions (1)")).to_be_visible(timeout=SLOW)
    pick(teacher, "Question", "Your question 1: Which option is right?")
    teacher.get_by_role("button", name="Ask the question").click()
    for phone in (a, b, c):
        expect(phone.get_by_text("Which option is right?")).to_be_visible(timeout=SLOW)
    answer_choice(a, "right one")
    answer_choice(b, HOSTILE)
    expect(teacher.get_by_text(re.compile(r"2 answers of 3 · open"))).to_be_visible(timeout=SLOW)

    # lock: the phone that did not answer is told, and gets no form
    teacher.get_by_role("button", name="Lock answers").click()
    expect(c.get_by_text("The teacher locked the answers. You did not answer.")).to_be_visible(timeout=SLOW)
    expect(c.get_by_role("button", name="Send answer")).to_have_count(0)
    expect(teacher.get_by_text(re.compile(r"2 answers of 3 · locked"))).to_be_visible(timeout=SLOW)
    shot(teacher, "room-locked-teacher")
    shot(c, "room-locked-phone")

    # reveal: every phone shows the class's answers, its own highlighted
    teacher.get_by_role("button", name="Reveal the answers").click()
    expect(teacher.get_by_test_id("stPlotlyChart").filter(has_text="2 answers")).to_be_visible(timeout=SLOW)
    for phone, mine in ((a, "right one"), (b, HOSTILE)):
        expect(phone.get_by_text(f"The answer: right one. Yours: {on_screen(mine)}.")).to_be_visible(
            timeout=SLOW)
        chart = phone.get_by_test_id("stPlotlyChart").filter(has_text="2 answers")
        expect(chart).to_contain_text("✓ right one", timeout=SLOW)
        expect(chart).to_contain_text("(yours)")
    theirs = c.get_by_test_id("stPlotlyChart").filter(has_text="2 answers")
    expect(theirs).to_contain_text("✓ right one", timeout=SLOW)
    expect(theirs).not_to_contain_text("yours")  # C did not answer
    shot(a, "room-phone-after-reveal")

    # the CSV: what was answered, the formula kept as text
    with teacher.expect_download() as info:
        teacher.get_by_role("button", name="Answers (CSV)").click()
    text = pathlib.Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["answer"], r["correct"]) for r in rows) == [("'" + HOSTILE, "no"), ("right one", "yes")]
    assert {r["question"] for r in rows} == {"Which option is right?"} and len({r["seat"] for r in rows}) == 2

    # a number question with a countdown locks by itself
    pick(teacher, "Countdown", f"{COUNTDOWN} s")
    pick(teacher, "Question", "This page's question")
    teacher.get_by_role("button", name="Ask the question").click()
    estimate = a.get_by_label("Your estimate")
    expect(estimate).to_be_visible(timeout=SLOW)
    expect(a.get_by_text(re.compile(r"s left to answer$"))).to_be_visible(timeout=SLOW)
    estimate.fill("1.5")
    a.get_by_role("button", name="Send answer").click()
    expect(a.get_by_text("Answer sent: 1.500")).to_be_visible(timeout=SLOW)
    expect(b.get_by_text("Time is up: answers are closed. You did not answer.")).to_be_visible(timeout=30_000)
    expect(teacher.get_by_text(re.compile(r"1 answer of 3 · locked"))).to_be_visible(timeout=SLOW)

    # removal: the seat's answer leaves the tally
    seat = a.get_by_text(re.compile(r"^Your seat: ")).inner_text().split(": ")[1]
    teacher.get_by_text(re.compile(r"^Students \(3\)$")).click()
    remove = teacher.get_by_role("button", name="Remove").nth(
        sorted(p.get_by_text(re.compile(r"^Your seat: ")).inner_text().split(": ")[1] for p in (a, b, c))
        .index(seat))
    expect(remove).to_be_visible(timeout=SLOW)  # the fold has opened (a click during it was lost)
    wait_idle(teacher)
    remove.click()
    expect(teacher.get_by_text(re.compile(r"0 answers of 2 · locked"))).to_be_visible(timeout=SLOW)
    expect(a.get_by_text("The teacher removed you from this room.")).to_be_visible(timeout=SLOW)
    a.goto(f"{app_url}/room?room={code}")  # the same browser cannot come back with the code
    expect(a.get_by_text("The teacher removed you from this room.")).to_be_visible(timeout=SLOW)
    expect(a.get_by_role("button", name="Join")).to_be_visible(timeout=SLOW)
    rows = None
    with teacher.expect_download() as info:
        teacher.get_by_role("button", name="Answers (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(pathlib.Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["answer"] for r in rows] == ["'" + HOSTILE]  # the removed seat's answers are gone


def in_popover(teacher, button):
    """Click a button of the bar's "Ask the class" popover, opening it first if a rerun closed it."""
    target = teacher.get_by_role("button", name=button)
    if not target.is_visible():
        teacher.get_by_role("button", name="Ask the class").click()
    target.click()
    wait_idle(teacher)


def test_the_teacher_asks_from_the_lesson_and_the_class_answers_there(people, app_url):
    teacher, a, _, _ = people
    code = open_room(teacher, app_url)
    a.goto(f"{app_url}/room?room={code}")
    expect(a.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)
    teacher.get_by_test_id("stSidebarNav").get_by_role("link", name="Lessons").click()
    wait_idle(teacher)
    expect(a).to_have_url(re.compile(r"/lessons"), timeout=SLOW)
    in_popover(teacher, "Ask the question")  # lesson 1, step 1 asks for a number
    estimate = a.get_by_label("Your estimate")
    expect(estimate).to_be_visible(timeout=SLOW)
    estimate.fill("0.5")
    a.get_by_role("button", name="Send answer").click()
    expect(a.get_by_text("Answer sent: 0.500")).to_be_visible(timeout=SLOW)
    in_popover(teacher, "Reveal the answers")
    expect(a.get_by_text(re.compile(r"^The answer: 0\.105\. Yours: 0\.500\.$"))).to_be_visible(timeout=SLOW)
    expect(a.get_by_test_id("stPlotlyChart").filter(has_text="1 answer")).to_contain_text(
        "true value 0.105", timeout=SLOW)
    assert re.search(r"/lessons", a.url)  # the class stayed on the lesson
