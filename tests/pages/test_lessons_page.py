"""AppTest of the Lessons page: predict, commit, reveal; step with ← / →; the position in the URL.

Expected numbers are closed forms computed here with math.
"""

import math
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from cevis_app.views import lessons

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")


def open_lessons(**query):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.switch_page("app_pages/lessons.py")
    at.run()
    assert not at.exception, at.exception
    return at


def url(at):
    def one(v):
        return v[0] if isinstance(v, list) else v
    return one(at.query_params.get("lesson")), one(at.query_params.get("step"))


def shown(element):
    """An element's text as the reader sees it: the page escapes Markdown with backslashes."""
    return element.value.replace("\\", "")


def button(at, label):
    [b] = [b for b in at.button if b.label == label]
    return b


def charts(at):
    return at.get("plotly_chart")


def test_home_starts_here():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    [link] = [e for e in at.get("page_link") if "Start here" in e.proto.label]
    assert link.proto.page.endswith("lessons")


def test_a_choice_is_revealed_only_after_committing():
    at = open_lessons(lesson="4", step="1")  # which class's gradient is negative?
    assert "Step 1 of" in at.get("progress")[0].proto.text
    assert not charts(at) and not at.success and not at.error  # nothing given away yet
    button(at, "Check my answer").click().run()  # nothing chosen: a nudge, still no reveal
    assert at.warning and not charts(at)
    at.radio[0].set_value(0).run()  # panda: the true class, p - 1 < 0
    assert not charts(at)  # choosing is not committing
    button(at, "Check my answer").click().run()
    assert not at.exception
    assert shown(at.success[0]).startswith("Right: “panda”")
    assert any("Why" in shown(m) for m in at.markdown)
    assert len(charts(at)) == 3  # probabilities, the loss curve, the gradient
    p = math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1))
    assert at.metric[0].value == f"{-math.log(p):.4f}"


def test_a_wrong_estimate_says_how_far_and_try_again():
    at = open_lessons(lesson="1", step="1")  # the loss at p = 0.9
    at.number_input[0].set_value(1.0).run()
    button(at, "Check my answer").click().run()
    truth = -math.log(0.9)
    [error] = at.error
    assert "Not quite" in shown(error) and f"{truth:.4f}" in shown(error)
    assert len(charts(at)) == 1
    button(at, "Try another answer").click().run()
    assert not charts(at) and not at.error
    at.number_input[0].set_value(0.1).run()
    button(at, "Check my answer").click().run()
    assert shown(at.success[0]).startswith("Right")


def test_next_and_previous_move_through_the_url():
    at = open_lessons(lesson="1", step="1")
    assert button(at, "← Previous").disabled
    button(at, "Next step →").click().run()
    assert url(at) == ("1", "2")
    assert "Step 2 of" in at.get("progress")[0].proto.text
    button(at, "← Previous").click().run()
    assert url(at) == ("1", "1")
    last = len(lessons.LESSONS[0].steps)
    at = open_lessons(lesson="1", step=str(last))
    button(at, "Next lesson →").click().run()
    assert url(at) == ("2", "1")
    button(at, "← Previous").click().run()
    assert url(at) == ("1", str(last))


def test_the_last_step_finishes_with_a_summary():
    n = len(lessons.LESSONS)
    at = open_lessons(lesson=str(n), step=str(len(lessons.LESSONS[-1].steps)))
    assert not [b for b in at.button if b.label == "Next lesson →"]  # was shown, disabled
    finish = button(at, "Finish")
    assert not finish.disabled and finish.key == "lesson.next"  # → in presentation mode
    finish.click().run()
    steps = sum(len(lesson.steps) for lesson in lessons.LESSONS)
    asked = sum(s.question is not None for lesson in lessons.LESSONS for s in lesson.steps)
    summary = " ".join(shown(m) for m in at.markdown)
    assert f"{n} lessons, {steps} steps, {asked} predictions asked" in summary
    assert "You committed 0 of them and 0 were right" in summary
    button(at, "Start again from lesson 1").click().run()
    assert url(at) == ("1", "1")
    assert not [m for m in at.markdown if "predictions asked" in shown(m)]


@pytest.mark.parametrize("lesson, step, expected", [
    ("99", "1", ("7", "1")),
    ("abc", "<script>", ("1", "1")),
    ("-2", "1e400", ("1", "1")),
    ("2", "999", ("2", str(len(lessons.LESSONS[1].steps)))),
])
def test_hostile_positions_are_clamped_with_a_note(lesson, step, expected):
    at = open_lessons(lesson=lesson, step=step)
    assert url(at) == expected
    assert at.info and ("There is no" in shown(at.info[0]) or "is not a" in shown(at.info[0]))


def test_every_step_reveals_without_error():
    """Walk the whole path with Next, answering each question right (cevis's truth)."""
    at = open_lessons(lesson="1", step="1")
    for li, lesson in enumerate(lessons.LESSONS):
        for si, s in enumerate(lesson.steps):
            assert url(at) == (str(li + 1), str(si + 1))
            if s.question is not None:
                value = lessons.answer(s)
                widget = (at.radio if s.question.kind == "choice" else
                          at.slider if s.question.slider else at.number_input)[0]
                widget.set_value(value).run()
                button(at, "Check my answer").click().run()
                assert not at.exception, (li, si, at.exception)
                assert at.success and shown(at.success[0]).startswith("Right"), (li, si)
            last = li == len(lessons.LESSONS) - 1 and si == len(lesson.steps) - 1
            if not last:
                button(at, "Next step →" if si < len(lesson.steps) - 1 else "Next lesson →") \
                    .click().run()
