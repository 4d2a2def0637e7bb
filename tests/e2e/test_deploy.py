"""deploy/serve.py: nginx + 2 Streamlit workers + redis-server, started by its own command.

Everything listens on free loopback ports. A browser is a cookie jar plus the websocket
client of bench/bench_app.py, which sends the frontend's own rerun messages. Which worker
answered is read from the X-Cevis-Upstream header nginx adds under --expose-upstream; whether a session stayed
on its worker is read from Streamlit itself: a reconnecting tab gets its old session
back only from the worker that holds it. A room spans the workers: a teacher's tab on one
opens it, a student's tab on the other joins it, through the redis-server serve.py started,
and the teacher's change reaches the student on the other worker at once: the workers poll
once an hour here, so only Redis's announcement (room_push) can carry it.
"""

import os
import pathlib
import re
import subprocess
import sys
import time

import pytest

from tests.e2e.helpers import ROOT
from tests.e2e.helpers import run_async
from tests.e2e.serve_cluster import get
from tests.e2e.serve_cluster import serve
from tests.e2e.wsclient import LOSS
from tests.e2e.wsclient import cross_entropy
from tests.e2e.wsclient import open_tab
from tests.e2e.wsclient import run_page
from tests.e2e.wsclient import set_logits


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`python deploy/serve.py --workers 2 --port 0 --expose-upstream` (see serve_cluster.py);
    yields (host:port, pids)."""
    with serve(tmp_path_factory.mktemp("serve"), "--workers", "2", "--expose-upstream",
               env={"CEVIS_ROOM_POLL_SECONDS": "3600"}) as served:  # push only
        yield served.url, served.pids


def test_page_and_health_through_nginx(cluster):
    url, _ = cluster
    status, headers, body = get(url, "/")
    assert status == 200 and b'<div id="root">' in body, body[:300]  # Streamlit's page shell
    assert re.fullmatch(r"127\.0\.0\.1:\d+", headers["X-Cevis-Upstream"])
    assert "cevis_route=" in headers["Set-Cookie"]
    status, _, body = get(url, "/_stcore/health")
    assert (status, body) == (200, b"ok")


def test_new_browsers_spread_over_both_workers(cluster):
    url, _ = cluster
    workers = {get(url, "/_stcore/health")[1]["X-Cevis-Upstream"] for _ in range(24)}
    assert len(workers) == 2, workers  # all 24 on one worker: chance 2**-23


def test_a_browser_stays_on_its_worker(cluster):
    url, _ = cluster
    for route in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot"):
        workers = {get(url, path, route)[1]["X-Cevis-Upstream"]
                   for path in ("/", "/_stcore/health", "/descent") * 3}
        assert len(workers) == 1, (route, workers)


def test_websocket_reruns_through_nginx_show_the_sessions_own_numbers(cluster):
    url, _ = cluster

    async def run():
        session, worker, _ = await open_tab(url, "golf")
        shown = [await set_logits(session, z)
                 for z in ((1.25, 0.0, 0.0), (-0.5, 2.0, 0.0), (3.0, -1.0, 0.5))]
        await session.ws.close()
        return worker, shown

    worker, shown = run_async(run())
    assert worker == get(url, "/_stcore/health", "golf")[1]["X-Cevis-Upstream"]
    assert shown == [cross_entropy(z) for z in ((1.25, 0.0, 0.0), (-0.5, 2.0, 0.0),
                                                (3.0, -1.0, 0.5))]


def routes_to_two_workers(url: str, prefix: str) -> list:
    """[(worker, cookie), (other worker, cookie)]: routing cookies nginx sends to two workers."""
    routes = {}  # worker -> a cookie that nginx sends there
    for k in range(64):
        routes.setdefault(get(url, "/_stcore/health", f"{prefix}{k}")[1]["X-Cevis-Upstream"],
                          f"{prefix}{k}")
    return list(routes.items())[:2]


def test_a_reconnecting_tab_gets_its_session_back_only_from_its_worker(cluster):
    url, _ = cluster
    (mine, route), (_, other_route) = routes_to_two_workers(url, "r")

    async def run():
        first, worker, session_id = await open_tab(url, route)
        await first.ws.close()
        again, worker_again, resumed = await open_tab(url, route, resume=session_id)
        await again.ws.close()
        elsewhere, other_worker, fresh = await open_tab(url, other_route, resume=session_id)
        await elsewhere.ws.close()
        return worker, worker_again, other_worker, session_id, resumed, fresh

    worker, worker_again, other_worker, session_id, resumed, fresh = run_async(run())
    assert worker == worker_again == mine != other_worker
    assert resumed == session_id  # the same cookie: the same worker, the same session
    assert fresh != session_id  # why it matters: the other worker does not have the session


def test_every_worker_gets_the_started_redis(cluster):
    _, pids = cluster
    urls = set()
    for pid in pids:
        environ = pathlib.Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        urls |= {e.split(b"=", 1)[1].decode() for e in environ if e.startswith(b"CEVIS_REDIS_URL=")}
    (redis_url,) = urls  # two workers, one URL
    host, port = re.fullmatch(r"redis://(127\.0\.0\.1):(\d+)/0", redis_url).groups()
    import redis

    client = redis.Redis(host=host, port=int(port), socket_timeout=5)
    assert client.ping()
    config = client.config_get("*")
    assert (config["appendonly"], config["appendfsync"]) == ("yes", "everysec")  # rooms persist
    assert config["maxmemory-policy"] == "noeviction" and int(config["maxmemory"]) > 0
    assert os.environ.get("CEVIS_REDIS_URL") != redis_url  # it came from serve.py, not from us


COMPOSE_PROXIES = ("--trusted-proxy", "172.16.0.0/12", "--trusted-proxy", "10.0.0.0/8",
                   "--trusted-proxy", "192.168.0.0/16")  # Caddy's address on compose's network


def test_the_compose_nginx_config_is_the_template_filled_for_the_worker_replicas():
    # deploy/compose.yaml runs nginx with this file; it must not drift from the template
    made = subprocess.run([sys.executable, "deploy/serve.py", "--host", "0.0.0.0", "--port", "8080",
                           "--print-nginx-conf", "worker:8501", "--resolver", "127.0.0.11",
                           "--behind-tls", *COMPOSE_PROXIES], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert made == (ROOT / "deploy" / "compose.nginx.conf").read_text()
    assert "server worker:8501 resolve" in made and "listen 0.0.0.0:8080;" in made
    assert "set_real_ip_from 172.16.0.0/12;" in made and "Strict-Transport-Security" in made
    assert "X-Cevis-Upstream" not in made and "{{" not in made


def test_a_room_spans_both_workers(cluster):
    # The teacher's tab on one worker opens a room; a student's tab on the other joins it by
    # its link; the teacher's worker then counts the student. Only a store both worker
    # processes share (the redis-server serve.py started) makes this work: with each
    # worker's in-process store, the student's worker has no such room.
    url, _ = cluster
    (teacher_worker, teacher_route), (student_worker, student_route) = routes_to_two_workers(url, "room")

    async def run():
        teacher, worker_t, _ = await open_tab(url, teacher_route)
        student, worker_s, _ = await open_tab(url, student_route)
        await run_page(teacher, "room")
        opened = "\n".join(await run_page(teacher, "room", press="Open a room"))
        code = re.search(r'data-testid="cevis-room-code"[^>]*>([A-Z0-9]{6})<', opened).group(1)
        joined = await run_page(student, "room", query=f"room={code}")
        counted = await run_page(teacher, "room")

        await set_logits(teacher, [0.0, 2.5, -1.5])  # publishes the sample (and the page)
        pushed = await _loss_pushed(student, cross_entropy([0.0, 2.5, -1.5]))
        await teacher.ws.close()
        await student.ws.close()
        return worker_t, worker_s, opened, code, joined, counted, pushed

    worker_t, worker_s, opened, code, joined, counted, pushed = run_async(run())
    assert (worker_t, worker_s) == (teacher_worker, student_worker) and worker_t != worker_s
    assert "**0** students here · 0 joined" in opened
    assert any(f"Room {code}" in text for text in joined), joined
    assert "**1** student here · 1 joined" in counted, counted
    # a rerun the student never asked for, its page showing the teacher's sample (a follower's
    # page has no sliders of the sample: the Descent page's loss at the start shows it)
    assert pushed == cross_entropy([0.0, 2.5, -1.5])


PUSH_TIMEOUT = 30.0  # s: far below the hour-long poll, far above the push on a busy machine


async def _loss_pushed(session, wanted: str) -> str | None:
    """Read what the server sends this tab unasked until its page shows the loss `wanted` (the
    Descent page's "Loss at the start" metric); the last such value seen by PUSH_TIMEOUT."""
    import asyncio

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen = None
    deadline = time.monotonic() + PUSH_TIMEOUT
    while seen != wanted and time.monotonic() < deadline:
        try:
            raw = await asyncio.wait_for(session.ws.recv(), deadline - time.monotonic())
        except TimeoutError:
            break
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        element = fwd.delta.new_element if fwd.WhichOneof("type") == "delta" else None
        if element is not None and element.WhichOneof("type") == "metric" and element.metric.label == LOSS:
            seen = element.metric.body
    return seen
