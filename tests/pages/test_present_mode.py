"""AppTest: presentation mode survives what a browser may hold and the room's page switches.

A browser holds a toggle's value from the one run that told it (``set_value``); if that run
was cut short (the identity mount's rerun on a fresh browser's first run, under load), it
holds the toggle's default and sends that with its next rerun. The test browser here does
just that: each toggle holds its proto's default, never the server's value.
"""

import pathlib

from streamlit.testing.v1 import AppTest

from cevis_app.rooms import get_store

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
ROOM = "app_pages/room.py"


def session(query, page=ROOM):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def as_a_browser_that_missed_set_value(at):
    """Every toggle of the sidebar holds what a browser holds without the set_value: the default."""
    for toggle in at.sidebar.toggle:
        toggle.set_value(toggle.proto.default)
    return at


def presenting(at) -> bool:
    labels = {b.label for b in at.button}
    assert ("Exit presentation" in labels) != ("Present" in labels), labels
    return "Exit presentation" in labels and at.query_params.get("present") == "1"


def test_the_mode_survives_a_browser_that_holds_the_toggles_default():
    at = session({"present": "1"})
    assert presenting(at)
    as_a_browser_that_missed_set_value(at).button(key="room.open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["room.role"] == "teacher"
    assert presenting(at)  # the join slide test's failure: Exit presentation was gone
    as_a_browser_that_missed_set_value(at).run()
    assert presenting(at)


def test_the_button_and_the_toggle_still_switch_the_mode_both_ways():
    at = session({"present": "1"})
    at.button(key="cevis-present-button").click().run()  # Exit presentation
    assert not presenting(at) and "present" not in at.query_params
    as_a_browser_that_missed_set_value(at).run()
    assert not presenting(at)
    at.sidebar.toggle[0].set_value(True).run()  # the sidebar's toggle, on
    assert presenting(at)
    as_a_browser_that_missed_set_value(at).run()
    assert presenting(at)
    at.sidebar.toggle[0].set_value(False).run()
    assert not presenting(at)
    at.button(key="cevis-present-button").click().run()  # Present
    assert presenting(at)


def test_a_presenting_student_who_follows_the_teacher_to_another_page_keeps_presenting():
    teacher = session({})
    teacher.button(key="room.open").click().run()
    code = teacher.session_state["room.code"]
    student = session({"room": code, "present": "1"})
    assert student.session_state["room.role"] == "student" and presenting(student)
    for page in ("app_pages/explorer.py", "app_pages/lessons.py", "app_pages/binary.py", ROOM):
        teacher.switch_page(page).run()  # the room bar publishes the teacher's page
        assert get_store().read(code, -1).state["page"] == page.removeprefix("app_pages/")[:-3]
        as_a_browser_that_missed_set_value(student).run()  # room_bar switches page (switch_page)
        assert not student.exception, student.exception
        assert presenting(student), page
