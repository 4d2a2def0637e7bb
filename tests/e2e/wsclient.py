"""A browser tab over a websocket, as the frontend speaks it (bench/bench_app.py's Session)."""

import math
import secrets
import sys

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.e2e.helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from bench_app import Session  # noqa: E402

PAGE = "descent"  # sets the shared sample with sliders and shows its loss as a metric (the
# Explorer shows it inside the live component's payload)
LOGITS = ("Logit z of panda", "Logit z of seal", "Logit z of duck")  # the sample's 3 defaults
LOSS = "Loss at the start"  # −log softmax(z)[y] of the sample; the true class is panda by default


async def open_tab(url: str, route: str | None = None, resume: str | None = None):
    """Connect as the frontend does (subprotocols: 'streamlit', a token, the session to resume),
    with nginx's routing cookie if ``route``; run PAGE once; return (Session, the
    worker's address as nginx reports it or None, the session id)."""
    # a browser's cookies: nginx's routing cookie, and the device cookie rooms know it by
    device = f"cevis_device=ws{secrets.token_urlsafe(16)}"
    session = Session(url, PAGE, headers={"Cookie": f"cevis_route={route}; {device}" if route else device})
    protocols = ["streamlit", "token"] + ([resume] if resume else [])
    session.ws = await websockets.connect(f"ws://{url}/_stcore/stream", subprotocols=protocols,
                                          additional_headers=session.headers, max_size=2**26)
    msg = BackMsg()
    msg.rerun_script.page_name = PAGE
    await session.ws.send(msg.SerializeToString())
    session_id = None
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await session.ws.recv())
        if fwd.WhichOneof("type") == "new_session":
            session_id = fwd.new_session.initialize.session_id
        elif fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.WhichOneof("type") == "slider":
            session.widgets[fwd.delta.new_element.slider.label] = fwd.delta.new_element.slider.id
        elif fwd.WhichOneof("type") == "script_finished":
            break
    return session, session.ws.response.headers.get("X-Cevis-Upstream"), session_id


async def set_logits(session, z) -> str:
    """Set the three logits to ``z`` in one change; return the loss the page then shows."""
    states = []
    for label, value in zip(LOGITS, z):
        state = WidgetState(id=session.widgets[label])
        state.double_array_value.data.append(value)
        states.append(state)
    await session.rerun(states)
    return session.metrics[LOSS]


def cross_entropy(z, y=0) -> str:
    """−log softmax(z)[y] = log Σ exp(z) − z_y, as the page shows it (4 decimals)."""
    return f"{math.log(sum(math.exp(v) for v in z)) - z[y]:.4f}"




async def run_page(session, page: str, query: str = "", press: str | None = None):
    """Run ``page`` (with ``query``), pressing the button labelled ``press`` if given; wait
    past any st.rerun; return every markdown/html text the page sent. Buttons seen are
    kept in ``session.buttons`` (label -> widget id)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    buttons = session.__dict__.setdefault("buttons", {})
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    if press:
        msg.rerun_script.widget_states.widgets.append(WidgetState(id=buttons[press],
                                                                  trigger_value=True))
    await session.ws.send(msg.SerializeToString())
    texts = []
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await session.ws.recv())
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            what = element.WhichOneof("type")
            if what in ("markdown", "html"):
                texts.append(getattr(element, what).body)
            elif what == "button":
                buttons[element.button.label] = element.button.id
        elif kind == "script_finished" and (
                fwd.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN):
            return texts
