"""A student who wants to break the lesson, at the websocket: every attempt bounded, the class unaffected.

A real `streamlit run` with its rooms in a real redis-server (so the test can read the
store as the server sees it) and CEVIS_TRUST_PROXY=1 (so each tab can come from its own
address, as nginx would report it). Tabs speak the frontend's protocol (roomclient.py).
"""

import asyncio
import json
import secrets
import uuid

import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from cevis_app.rooms.redis_store import RedisStore
from tests.pages.test_room_page import smoothed_descent

from .helpers import run_async
from .helpers import streamlit_server
from .roomclient import Tab

ESTIMATE = {"kind": "estimate", "text": "How much?", "low": 0.0, "high": 10.0, "truth": 2.0}
CHOICE = {"kind": "choice", "text": "Which way?", "choices": ["up", "down", "stays"], "truth": 1}
SCHOOL = "203.0.113.9"  # documentation range: never contacted, only reported in a header


def token() -> str:
    return secrets.token_urlsafe(16)


@pytest.fixture(scope="module")
def server(redis_url):
    prefix = f"abuse:{uuid.uuid4().hex}:"
    env = {"CEVIS_REDIS_URL": redis_url, "CEVIS_TRUST_PROXY": "1", "CEVIS_ROOM_PREFIX": prefix}
    with streamlit_server(env) as url:
        yield url, RedisStore(redis_url, prefix=prefix)


def run(coro):
    return run_async(asyncio.wait_for(coro, 120))


async def seated(url, code, device, address=SCHOOL):
    tab = Tab(url, device, address)
    await tab.__aenter__()
    await tab.run("room", f"room={code}")
    return tab


@pytest.mark.parametrize("question", [CHOICE, ESTIMATE], ids=["choice", "estimate"])
def test_wrong_typed_answers_are_dropped_and_a_real_answer_still_counts(server, question):
    url, store = server
    teacher = token()
    code, _ = store.create_room(teacher)
    qid = store.ask(code, teacher, question)
    device = token()
    label = "Your answer" if question["kind"] == "choice" else "Your estimate"
    forged = [("string_value", "3"), ("string_value", "<b>x</b>"), ("int_value", -7),
              ("bytes_value", b"\x00\xff"), ("json_value", '{"a": 1'),
              ("int_value", 2**62), ("double_value", float("nan")), ("bool_value", True),
              ("int_array_value", None), ("trigger_value", True)]

    async def go():
        tab = await seated(url, code, device)
        assert tab.exceptions == []
        assert label in tab.widgets, tab.shown()
        for field, value in forged:
            state = tab.state(label)
            if field == "int_array_value":
                state.int_array_value.data.extend([1, 2])
            else:
                setattr(state, field, value)
            for _ in range(2):  # a tab resends its state with every run
                await tab.run("room", "", [state, tab.state("Send answer", trigger_value=True)])
                assert tab.exceptions == [], (field, tab.exceptions)
        # what the frontend sends: a radio's chosen label (1.67), a number input's number
        right = tab.state(label, **({"string_value": "stays"} if question["kind"] == "choice" else
                                    {"double_value": 4.5}))
        await tab.run("room", "", [right, tab.state("Send answer", trigger_value=True)])
        assert tab.exceptions == [] and "Answer sent" in tab.shown()
        await tab.__aexit__()

    run(go())
    seat = store.join(code, device, SCHOOL)
    assert store.my_answer(code, seat, qid) == (2 if question["kind"] == "choice" else 4.5)


def test_forty_rejoins_and_cache_clears_from_one_browser_are_one_student(server):
    url, store = server
    teacher = token()
    code, _ = store.create_room(teacher)
    store.ask(code, teacher, CHOICE)
    device = token()

    async def go():
        for i in range(40):
            spelling = code.lower() if i % 3 == 0 else f"{code[:3]}-{code[3:]}" if i % 3 == 1 else code
            tab = await seated(url, spelling, device)
            assert tab.exceptions == []
            if i == 0:
                await tab.run("room", "", [tab.state("Your answer", string_value="up"),
                                           tab.state("Send answer", trigger_value=True)])
            clear = BackMsg()
            clear.clear_cache = True
            await tab.send_raw(clear)
            await tab.run("room", "")
            assert "Answer sent: up" in tab.shown(), tab.shown()  # the seat's answer, shown again
            await tab.__aexit__()

    run(go())
    tally = store.tally(code, teacher)
    assert (tally.students, tally.answers) == (1, (0,))


def test_guessing_codes_from_fresh_browsers_is_bounded_per_address(server):
    url, store = server
    teacher = token()
    code, _ = store.create_room(teacher)
    wrong = next(c * 6 for c in "23456789" if c * 6 != code)
    guesser = "198.51.100.77"

    async def go():
        async def guess():
            tab = await seated(url, wrong, token(), guesser)
            await tab.__aexit__()
            return "Too many wrong codes" in tab.shown()

        refused = 0
        for _ in range(13):  # a fresh browser (device) every time, one address, five at a time
            refused += sum(await asyncio.gather(*(guess() for _ in range(5))))
        assert refused >= 4  # the address's 61st guess on
        tab = await seated(url, code, token(), guesser)  # even the right code, for a minute
        assert "Too many wrong codes" in tab.shown()
        await tab.__aexit__()
        tab = await seated(url, code, token(), SCHOOL)  # the class, on another address, gets in
        assert "Room " + code in tab.shown() and tab.exceptions == []
        await tab.__aexit__()

    run(go())


def test_opening_rooms_in_a_loop_is_bounded_and_a_teacher_elsewhere_still_opens_one(server):
    url, store = server
    visitor = token()

    async def open_room(device, address):
        tab = Tab(url, device, address)
        await tab.__aenter__()
        await tab.run("room", "")
        await tab.run("room", "", [tab.state("Open a room", trigger_value=True)])
        shown = tab.shown()
        if "End the room" in tab.widgets:
            await tab.run("room", "", [tab.state("End the room", trigger_value=True)])
        await tab.__aexit__()
        return shown

    async def go():
        results = [await open_room(visitor, "198.51.100.88") for _ in range(12)]
        refused = [r for r in results if "opened many rooms in the last hour" in r]
        assert len(refused) == 2, results[-1]  # the 11th and 12th of 10 an hour
        fresh = []  # a visitor opening from many browsers at once: five at a time
        for _ in range(11):
            fresh += await asyncio.gather(*(open_room(token(), "198.51.100.88") for _ in range(5)))
        assert sum("opened many rooms" in r for r in fresh) >= 5  # the address's 61st on
        legit = await open_room(token(), SCHOOL)
        assert "opened many rooms" not in legit and "Join:" in legit

    run(go())


def test_a_following_descent_takes_no_forged_settings_and_no_forged_player_report(server):
    # A follower's Descent draws none of the settings' controls: a tab sends values for them
    # anyway (their ids seen while it explored alone), with follow switched off in the same
    # message too, and hostile player reports (JSON nested 5,000 deep, a step of 1e99). Each
    # run: no exception, and while following the teacher's settings and numbers stand (the
    # plain numpy loop of tests/pages/test_room_page.py).
    url, _ = server
    lr, eps, steps, follow = ("Learning rate η", "Label smoothing ε (cross-entropy)",
                              "Steps (the comparisons)", "Follow the teacher")
    loss, p_true = smoothed_descent([0, 0, 0], 0, 30.0, 0.0, 50)
    teachers = "The teacher's settings: η = 30, cross-entropy with ε = 0, 50 steps"

    async def go():
        teacher = Tab(url, token(), "198.51.100.7")
        await teacher.__aenter__()
        code = await teacher.open_room()
        await teacher.run("descent", "descent.lr=30.0")  # published after the page: η = 30
        student = await seated(url, code, token())
        await student.run("descent")
        assert teachers in student.shown(), student.shown()
        await student.run("descent", "", [student.state(follow, bool_value=False)])
        ids = {label: student.widgets[label][1] for label in (lr, eps, steps)}
        report = _make_trigger_id(student.widgets["descent.player"][1], "events")
        await student.run("descent", "", [student.state(follow, bool_value=True)])
        hostile = [
            [WidgetState(id=ids[lr], int_array_value={"data": [0]})],  # another η, but valid
            [WidgetState(id=ids[lr], int_array_value={"data": [10**6]})],
            [WidgetState(id=ids[eps], double_array_value={"data": [0.5]})],
            [WidgetState(id=ids[eps], double_array_value={"data": [float("nan")]})],
            [WidgetState(id=ids[steps], double_array_value={"data": [3]})],
            [WidgetState(id=report, json_trigger_value=json.dumps(
                [{"event": "commit", "value": {"cmd": "more", "step": 1e99}}]))],
            [WidgetState(id=report, json_trigger_value='{"event": "commit"}')],
            [WidgetState(id=report, json_trigger_value="[" * 5000)],
        ]
        for states in hostile:
            await student.run("descent", "", states)
            assert student.exceptions == [], (states, student.exceptions)
            assert teachers in student.shown(), (states, student.shown())
            assert f"Loss after 50 steps: {loss:.4f}" in student.texts, states
            assert f"p(panda) after: {p_true:.4f}" in student.texts, states
        for states in hostile[1:2] + hostile[3:4] + hostile[-1:]:  # with follow off at once
            await student.run("descent", "", [student.state(follow, bool_value=False), *states])
            assert student.exceptions == [], (states, student.exceptions)
            await student.run("descent", "", [student.state(follow, bool_value=True)])
            assert student.exceptions == [] and teachers in student.shown(), states
        await student.__aexit__()
        await teacher.__aexit__()

    run(go())
