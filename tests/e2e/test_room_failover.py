"""A worker dies mid-lesson: its students come back on the other worker in their seats, and
the teacher keeps the room (python deploy/serve.py --workers 2, its real nginx, workers and
redis-server: the cluster test_deploy_faults.py recovers from its faults, conftest.py; the
worker is SIGKILLed).

Identity lives in the browser's device cookie and the room in Redis, so a new session on
any worker is the same teacher and the same students.
"""

import asyncio
import os
import secrets
import signal

import pytest

from .helpers import run_async
from .roomclient import Tab
from .test_deploy_faults import route_to
from .test_deploy_faults import wait_back
from .test_deploy_faults import worker_port

ESTIMATE_LABEL = "Your estimate"


@pytest.fixture(scope="module")
def cluster(faults_cluster):
    return faults_cluster  # test_deploy_faults.py's, recovered from its faults (conftest.py)


def test_a_killed_workers_students_keep_their_seats_and_the_teacher_the_room(cluster):
    victim, survivor = (worker_port(pid) for pid in cluster.part("streamlit"))
    on_victim, on_survivor = route_to(cluster.url, victim), route_to(cluster.url, survivor)
    teacher_device, devices = secrets.token_urlsafe(16), [secrets.token_urlsafe(16) for _ in range(2)]

    async def lesson():
        teacher = Tab(cluster.url, teacher_device, route=on_victim)
        await teacher.__aenter__()
        code = await teacher.open_room()
        await teacher.run("room", "", [teacher.state("Ask the question", trigger_value=True)])
        students = []
        for device, route in zip(devices, (on_victim, on_survivor)):
            tab = Tab(cluster.url, device, route=route)
            await tab.__aenter__()
            await tab.run("room", f"room={code}")
            await tab.run("room", "", [tab.state(ESTIMATE_LABEL, double_value=3.5),
                                       tab.state("Send answer", trigger_value=True)])
            assert "Answer sent: 3.500" in tab.shown(), tab.shown()
            students.append(tab)

        (pid,) = [p for p in cluster.part("streamlit") if worker_port(p) == victim]
        os.kill(pid, signal.SIGKILL)
        for tab in [teacher, students[0]]:
            await tab.ws.close()

        # the browsers of the dead worker reconnect (nginx sends them to the survivor)
        back = Tab(cluster.url, devices[0], route=on_victim)
        await back.__aenter__()
        await back.run("room", "")
        assert f"Room {code}" in back.shown() and "Answer sent: 3.500" in back.shown(), back.shown()
        teacher = Tab(cluster.url, teacher_device, route=on_victim)
        await teacher.__aenter__()
        await teacher.run("room", "")
        shown = teacher.shown()
        assert code in shown and "**2** students here · 2 joined · **2** answers" in shown, shown
        await teacher.run("room", "", [teacher.state("Reveal the answers", trigger_value=True)])
        await asyncio.sleep(1.0)  # the push reaches the survivor's student
        await students[1].run("room", "")
        assert "The answer:" in students[1].shown() and "Yours: 3.500" in students[1].shown()
        for tab in (back, teacher, students[1]):
            await tab.__aexit__()

    run_async(asyncio.wait_for(lesson(), 180))
    wait_back(cluster, on_victim, victim)  # and the supervisor brought the worker back


def test_a_followers_descent_settings_survive_a_killed_worker(cluster):
    # the teacher's Descent settings live in the room's published state (Redis), not in a
    # worker: a follower whose worker died comes back on the other one with the teacher's η
    victim, _ = (worker_port(pid) for pid in cluster.part("streamlit"))
    on_victim = route_to(cluster.url, victim)
    teacher_device, device = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    line = "The teacher's settings: η = 30, cross-entropy with ε = 0.2, 20 steps"

    async def lesson():
        teacher = Tab(cluster.url, teacher_device, route=on_victim)
        await teacher.__aenter__()
        code = await teacher.open_room()
        await teacher.run("descent", "descent.lr=30.0&descent.eps=0.2&descent.steps=20")
        student = Tab(cluster.url, device, route=on_victim)
        await student.__aenter__()
        await student.run("room", f"room={code}")  # joins, and follows the teacher to Descent
        assert line in student.shown(), student.shown()

        (pid,) = [p for p in cluster.part("streamlit") if worker_port(p) == victim]
        os.kill(pid, signal.SIGKILL)
        for tab in (teacher, student):
            await tab.ws.close()
        back = Tab(cluster.url, device, route=on_victim)  # nginx sends it to the survivor
        await back.__aenter__()
        await back.run("room", "")
        assert f"Room {code}" in back.shown() and line in back.shown(), back.shown()
        await back.__aexit__()

    run_async(asyncio.wait_for(lesson(), 180))
    wait_back(cluster, on_victim, victim)
