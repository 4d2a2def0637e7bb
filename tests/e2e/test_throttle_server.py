"""A flooding client on a real server: its rerun requests fold into a bounded number of
reruns (cevis_app/widgets/throttle.py), the last values it sent win, and it stays usable.

The server runs with a low bound (1 rerun/s, burst 1) so that the count tells a bounded
server from an unbounded one even on a slow machine: unbounded, each of the 400 requests
(4 s at 100/s) starts a run of its own (168 runs counted here without the bound, on a busy machine).
"""

import asyncio
import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.e2e.helpers import run_async
from tests.e2e.helpers import streamlit_server
from tests.e2e.wsclient import LOGITS
from tests.e2e.wsclient import LOSS
from tests.e2e.wsclient import PAGE
from tests.e2e.wsclient import cross_entropy
from tests.e2e.wsclient import open_tab
from tests.e2e.wsclient import set_logits

RATE, BURST = 1, 1  # the bound the server runs with here
FLOOD_SECONDS = 4.0
FLOOD_RATE = 100  # requests/s sent without waiting for replies
QUIET = 2.0  # s without a message: the server is done with the flood


@pytest.fixture(scope="module")
def bounded_url():
    with streamlit_server({"CEVIS_RERUN_RATE": str(RATE), "CEVIS_RERUN_BURST": str(BURST)}) as url:
        yield url.removeprefix("http://")


def _request(session, z) -> bytes:
    msg = BackMsg()
    msg.rerun_script.page_name = PAGE
    for label, value in zip(LOGITS, z):
        state = WidgetState(id=session.widgets[label])
        state.double_array_value.data.append(value)
        msg.rerun_script.widget_states.widgets.append(state)
    return msg.SerializeToString()


async def _flood(url):
    session, _, _ = await open_tab(url)
    runs, shown, sent = 0, [], []
    start = time.perf_counter()

    async def read():
        nonlocal runs
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(session.ws.recv(), QUIET))
            if fwd.WhichOneof("type") == "new_session":  # one per script run
                runs += 1
            elif fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.metric.label == LOSS:
                shown.append(fwd.delta.new_element.metric.body)

    reader = asyncio.create_task(read())
    for i in range(int(FLOOD_SECONDS * FLOOD_RATE)):
        z = (round(-2 + 0.01 * i, 2), 0.5, 0.0)
        sent.append(z)
        await session.ws.send(_request(session, z))
        await asyncio.sleep(max(0.0, (i + 1) / FLOOD_RATE - (time.perf_counter() - start)))
    with __import__("contextlib").suppress(asyncio.TimeoutError):
        await reader
    elapsed = time.perf_counter() - start - QUIET
    after = await set_logits(session, (0.25, -0.75, 1.5))
    await session.ws.close()
    return runs, shown, sent, elapsed, after


def test_a_flood_folds_into_bounded_reruns_and_the_last_values_win(bounded_url):
    runs, shown, sent, elapsed, after = run_async(_flood(bounded_url))
    assert len(sent) == FLOOD_SECONDS * FLOOD_RATE
    assert 2 <= runs <= BURST + RATE * elapsed + 1, (runs, elapsed)
    assert shown[-1] == cross_entropy(sent[-1])  # the latest request was not dropped
    assert after == cross_entropy((0.25, -0.75, 1.5))  # and the session still answers
