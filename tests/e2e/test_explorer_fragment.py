"""A release of the Explorer's live view reruns its fragment, not the page (issue 26), over the
real websocket, as a browser asks for it.

One tab outside any room speaks the browser's protocol: the live view's element comes in a
fragment (its delta says which), and a commit sent for that fragment gets a fragment's run:
the live view with the new logits, the logit sliders holding them (so the link follows), and
nothing of the rest of the page (no sidebar control, no preset button, no new page). A
commit that moves T, whose slider is in the sidebar outside the fragment, runs the page. A
room's teacher has no fragment: its page runs publish what they show (app.py).
"""

import asyncio
import json

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from .helpers import run_async
from .roomclient import Tab
from .test_room_follow_fragment import live_logits

REPLY_TIMEOUT = 20.0  # s: a run ends long before, even on a busy machine


class Explorer(Tab):
    """A Tab that keeps the live view's element id and its fragment, and reads a run's reply."""

    async def open(self) -> None:
        await self.run("explorer")
        self.live_id, self.fragment = await self.reply(BackMsg(), wanted=False)

    async def reply(self, msg: BackMsg, wanted: bool = True):
        """Send ``msg`` (if ``wanted``), then read until a run ends: (live id, its fragment) when
        not wanted, else what the run sent: (its script_finished, element kinds, slider values by
        label, the live view's logits, whether a page started)."""
        if not wanted:  # the open run has ended: run it again, watching the deltas this time
            msg.rerun_script.page_name = "explorer"
        await self.send_raw(msg)
        kinds, sliders, logits, page_started = [], {}, None, False
        live = ("", "")
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), REPLY_TIMEOUT))
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                page_started, self.page_hash = True, fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                kinds.append(element.WhichOneof("type"))
                if kinds[-1] == "slider":
                    sliders[element.slider.label] = list(element.slider.value)
                elif kinds[-1] == "bidi_component" and element.bidi_component.component_name == "cevis.live":
                    live = (element.bidi_component.id, fwd.delta.fragment_id)
                    logits = live_logits(element)
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if not wanted:
                    return live
                return fwd.script_finished, kinds, sliders, logits, page_started

    async def commit(self, z: list[int], t: int):
        """Release the live view at logits ``z`` and temperature ``t`` (hundredths), as its
        browser does: the component's commit trigger, a rerun of the view's fragment."""
        msg = BackMsg()
        msg.rerun_script.page_script_hash = self.page_hash  # as a browser: the page it shows
        msg.rerun_script.fragment_id = self.fragment
        trigger = WidgetState(id=_make_trigger_id(self.live_id, "events"))
        trigger.json_trigger_value = json.dumps(
            [{"event": "commit", "value": {"z": z, "T": t, "seq": 1}}])
        msg.rerun_script.widget_states.widgets.extend([WidgetState(id=self.live_id, json_value="{}"),
                                                       trigger])
        return await self.reply(msg)


async def release(url: str, z: list[int], t: int):
    async with Explorer(url, device="explorer-fragment-0001") as tab:
        await tab.open()
        fragment = tab.fragment
        return fragment, await tab.commit(z, t)


def test_a_release_of_the_live_view_reruns_its_fragment_alone(app_url):
    fragment, (finished, kinds, sliders, logits, page_started) = run_async(
        release(app_url, [200, -150, 10], 100))
    assert fragment  # the live view is drawn in a fragment
    assert finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    assert not page_started
    assert logits == [2.0, -1.5, 0.1]  # the live view draws the commit
    # the exact-value sliders take it (and so the link), the sidebar's controls are not drawn
    assert sliders == {"Logit z of panda": [2.0], "Logit z of seal": [-1.5], "Logit z of duck": [0.1]}
    assert "button" not in kinds  # no preset row: it is outside the fragment


def test_a_release_that_moves_t_runs_the_page(app_url):
    _, (finished, kinds, sliders, logits, page_started) = run_async(
        release(app_url, [0, 0, 0], 250))
    assert finished == ForwardMsg.FINISHED_SUCCESSFULLY  # the page's run, after the fragment's
    assert sliders["Temperature T"] == [2.5]  # the sidebar's slider follows
    assert "button" in kinds  # the whole page drawn


async def teacher_view(url: str):
    async with Explorer(url, device="explorer-fragment-0002") as tab:
        await tab.open_room()
        await tab.open()
        return tab.fragment


def test_a_rooms_teacher_runs_the_page_for_each_release(app_url):
    assert run_async(teacher_view(app_url)) == ""  # no fragment: the page's run publishes
