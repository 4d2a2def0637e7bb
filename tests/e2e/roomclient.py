"""A phone or a laptop in a room, over the websocket as the frontend speaks it.

Each `Tab` is one browser tab: its device cookie (or none), the address nginx would
report for it (X-Forwarded-For, honoured by a server started with CEVIS_TRUST_PROXY=1),
nginx's routing cookie (or none), the page and query string it runs, and what each run
drew: texts, exceptions, the answer widgets' ids.
"""

from __future__ import annotations

import asyncio
import re

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

TEXT_KINDS = ("markdown", "alert", "text", "code", "heading")


class Tab:
    def __init__(self, url: str, device: str | None = None, address: str | None = None,
                 route: str | None = None):
        self.url = url.removeprefix("http://")
        headers = {}
        cookies = ([f"cevis_device={device}"] if device else []) + ([f"cevis_route={route}"] if route else [])
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        if address:
            headers["X-Forwarded-For"] = address
        self.headers = headers
        self.ws = None
        self.texts: list[str] = []
        self.exceptions: list[str] = []
        self.widgets: dict[str, tuple[str, str]] = {}  # label -> (element type, widget id)

    async def __aenter__(self):
        self.ws = await websockets.connect(f"ws://{self.url}/_stcore/stream", subprotocols=["streamlit"],
                                           additional_headers=self.headers, max_size=2**26)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def send_raw(self, msg: BackMsg) -> None:
        await self.ws.send(msg.SerializeToString())

    async def run(self, page: str = "room", query: str = "", states=()) -> None:
        """One rerun of ``page`` with ``query`` and these widget states; waits for its end."""
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query
        for state in states:
            msg.rerun_script.widget_states.widgets.append(state)
        await self.drain()
        self.texts, self.exceptions = [], []
        await self.send_raw(msg)
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note(fwd.delta.new_element)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.texts, self.exceptions = [], []  # st.rerun(): the next run draws anew
                    continue
                if fwd.script_finished != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    return

    async def drain(self, quiet: float = 0.05) -> None:
        """Read what the server sent unasked (a pushed rerun) until it is quiet for ``quiet`` s."""
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(), quiet)
            except asyncio.TimeoutError:
                return
            fwd = ForwardMsg()
            fwd.ParseFromString(data)

    def _note(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind in ("markdown", "alert", "text", "heading", "html"):
            self.texts.append(getattr(element, kind).body)
        elif kind == "code":
            self.texts.append(element.code.code_text)
        elif kind in ("radio", "number_input", "button", "text_input", "toggle", "checkbox", "slider"):
            widget = getattr(element, kind)
            self.widgets[widget.label] = (kind, widget.id)
        elif kind == "metric":
            self.texts.append(f"{element.metric.label}: {element.metric.body}")
        elif kind == "bidi_component":  # a component by its key (the id's last part)
            self.widgets[element.bidi_component.id.rsplit("-", 1)[-1]] = (kind, element.bidi_component.id)

    def shown(self) -> str:
        return "\n".join(self.texts)

    async def open_room(self) -> str:
        """As a teacher: open a room on the Room page; its code."""
        await self.run("room")
        await self.run("room", "", [self.state("Open a room", trigger_value=True)])
        return re.search(r">([2-9A-HJKMNP-Z]{6})<", self.shown()).group(1)

    def state(self, label: str, **value) -> WidgetState:
        """A widget state for the widget labelled ``label``: e.g. state("Join", trigger_value=True)."""
        state = WidgetState(id=self.widgets[label][1])
        for field, v in value.items():
            setattr(state, field, v)
        return state
