"""A follower's update is a push of its live view, not a run (issue 26), over the real websocket.

A teacher and a student, each a websocket tab speaking the browser's protocol with its own
device cookie, on a server that polls once an hour (so only room_push can move the
student). The teacher moves a logit on the Explorer; what the server sends the student
unasked is the live view's element again, holding the teacher's logits, and nothing else:
no run starts (no new_session, no script_finished); a follower's page has no slider anyway
(widgets/room.following). The student's next
run (a poll) takes the pushed version without running the page. A class name changed by
the teacher, which the push cannot show, still reruns the page. A page switch runs the new
page alone: the room bar's fragment switches (no run of the page left).
"""

import asyncio
import base64
import json
import pathlib
import re
import urllib.request
import zlib

import numpy as np
import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from .helpers import run_async
from .helpers import streamlit_server
from .roomclient import Tab

PUSH_TIMEOUT = 20.0  # s: a pushed rerun arrives long before, even on a busy machine


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server({"CEVIS_ROOM_POLL_SECONDS": "3600"}) as url:  # the push alone
        yield url


def live_logits(element) -> list[float]:
    """The logits the live view draws: its payload's "current.z" (int16 hundredths, byte planes)."""
    payload = json.loads(element.bidi_component.bytes)  # live/component.py sends bytes
    payload = payload.get("data", payload)  # the component's data, as sent
    kind, offset, count = payload["index"]["current.z"]
    blob = zlib.decompress(base64.b64decode(payload["blob"]))
    size = np.dtype(kind).itemsize
    planes = np.frombuffer(blob[offset:offset + size * count], np.uint8).reshape(size, count)
    return (planes.T.copy().view("<" + kind).ravel() / 100).tolist()


class Watcher(Tab):
    """A Tab that also notes the sliders' ids and reads what the server sends unasked."""

    sliders: dict

    def _note(self, element) -> None:
        super()._note(element)
        if element.WhichOneof("type") == "slider":
            self.sliders = {**getattr(self, "sliders", {}), element.slider.label: element.slider.id}

    async def pushed(self) -> tuple[list[int], list]:
        """The statuses of the runs the server starts by itself, and their elements' kinds and
        live views, until one ends (other than by a rerun)."""
        statuses, elements, self.pages = [], [], []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), PUSH_TIMEOUT))
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # a page's run (a fragment's sends none)
                self.pages.append(fwd.navigation.page_script_hash)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements.append(fwd.delta.new_element)
            elif kind == "script_finished":
                statuses.append(fwd.script_finished)
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return statuses, elements


    async def unasked(self, quiet: float = 1.0) -> list:
        """The kinds of what the server sends unasked until `quiet` s pass without a message
        (the first one waited for up to PUSH_TIMEOUT), and the live views among them."""
        kinds, views, timeout = [], [], PUSH_TIMEOUT
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout)
            except asyncio.TimeoutError:
                return kinds, views
            timeout = quiet
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                kind = fwd.delta.new_element.WhichOneof("type")
                if kind == "bidi_component":
                    views.append(live_logits(fwd.delta.new_element))
            kinds.append(kind)


async def join(teacher: Watcher, student: Watcher, page: str) -> None:
    """The teacher opens a room and goes to `page`; the student joins and follows there."""
    await teacher.run("room")
    await teacher.run("room", states=[teacher.state("Open a room", trigger_value=True)])
    code = re.search(r">([2-9A-Z]{6})<", teacher.shown()).group(1)
    await teacher.run(page)
    await student.run("room", query=f"room={code}")
    await student.drain(0.5)


async def follow(url: str):
    async with Watcher(url, device="teacher-device-0001") as teacher, \
            Watcher(url, device="student-device-0001") as student:
        await join(teacher, student, "explorer")
        # a follower's page draws the teacher's view without the sample's controls
        assert not getattr(student, "sliders", {}), student.shown()
        assert "Logit z of seal" in teacher.sliders

        move = WidgetState(id=teacher.sliders["Logit z of seal"])
        move.double_array_value.data.append(10.0)
        await teacher.run("explorer", states=[move])
        kinds, views = await student.unasked()

        await asyncio.sleep(0.6)  # past room_push's gap between waves
        names = WidgetState(id=teacher.widgets["Class names (comma-separated)"][1],
                            string_value="cat, dog, fox")
        await teacher.run("explorer", states=[names])
        renamed_statuses, renamed = await student.pushed()
    return kinds, views, renamed_statuses, [e.WhichOneof("type") for e in renamed]


def test_a_teachers_move_is_pushed_to_the_followers_view_without_a_run(app_url):
    kinds, views, renamed_statuses, renamed = run_async(follow(app_url))
    assert kinds == ["bidi_component"]  # the live view alone: no new_session, no script_finished
    assert views == [[0.0, 10.0, 0.0]]  # the teacher's logits, in the live view
    # other class names: the fragment cannot show them; the page runs (the live view anew,
    # still no slider: the student follows)
    assert renamed_statuses[-1] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert "bidi_component" in renamed and "slider" not in renamed


async def switch(url: str):
    async with Watcher(url, device="teacher-device-0002") as teacher, \
            Watcher(url, device="student-device-0002") as student:
        await join(teacher, student, "descent")
        await teacher.run("explorer")
        statuses, elements = await student.pushed()
    return statuses, student.pages, [e.WhichOneof("type") for e in elements]


def test_a_teachers_page_switch_runs_the_new_page_alone_on_the_followers_side(app_url):
    statuses, pages, kinds = run_async(switch(app_url))
    assert len(pages) == 1  # one page ran: the Explorer, not Descent first (the room bar's
    # fragment switched page)
    assert statuses[-1] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert "bidi_component" in kinds  # the Explorer's live view


async def live_element(url: str):
    async with Watcher(url, device="student-device-0003") as tab:
        sent = []
        receive = tab.ws.recv

        async def recv():
            data = await receive()
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.WhichOneof("type") == "delta" and \
                    fwd.delta.new_element.WhichOneof("type") == "bidi_component":
                sent.append((fwd.delta.new_element.bidi_component, len(data)))
            return data

        tab.ws.recv = recv
        await tab.run("explorer")
    return [(b.component_name, b.js_content, b.js_source_path, b.css_source_path, size)
            for b, size in sent]


def test_the_live_views_files_come_by_url_and_a_mount_carries_its_data_alone(app_url):
    live = [e for e in run_async(live_element(app_url)) if e[0] == "cevis.live"]
    assert len(live) == 1
    name, js, js_path, css_path, size = live[0]
    assert (js, js_path, css_path) == ("", "live.js", "live.css")
    assert size < 16_000  # the payload alone (the JS and CSS inline were 72 KB more)
    base = app_url if app_url.startswith("http") else f"http://{app_url}"
    with urllib.request.urlopen(f"{base}/_stcore/bidi-components/{name}/{js_path}") as reply:
        served = reply.read().decode()
    source = pathlib.Path(__file__).resolve().parents[2] / "cevis_app" / "live" / "live_main.js"
    assert source.read_text() in served  # the entry point, as the browser imports it
