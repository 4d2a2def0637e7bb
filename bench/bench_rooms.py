"""What a classroom room costs: an idle student's poll, and how fast a teacher's move reaches the class.

    python bench/bench_rooms.py           # store costs, store-level and app-level propagation
    python bench/bench_rooms.py --quick   # fewer repetitions, shorter runs
    python bench/bench_rooms.py --app     # only the app-level run (a real `streamlit run`)

Store costs: the in-process store and Redis (a real redis-server started on a free
loopback port, as the tests do), timed per call: an idle poll (read with an unchanged
version: what each student's page does every second), a changed read, a publish.

Propagation (store level): 30 student threads poll `read(code, version)` every
POLL_SECONDS, as the room widget's fragment does; the teacher publishes a new state
every MOVE_SECONDS; the delay from publish to each student seeing the new version.

Propagation (app level): a real `streamlit run app.py` on a free loopback port, one
process with the in-process store. A teacher and 30 students are websocket clients that
speak the browser's protocol (as bench_app.py does): the teacher presses "Open a room"
and moves a logit on the Explorer; each student opens /room?room=CODE and, like the
browser, reruns the room bar's fragment every time the server's auto-rerun interval
(POLL_SECONDS) passes. Measured: from the teacher's rerun finishing (its state is
published at the start of that run) to each student receiving the Explorer slider
with the new value; and the server time of an idle fragment rerun (nothing changed).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import random
import statistics
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the app package, and the redis-server fixture

from fixtures_servers import redis_server  # noqa: E402 - after the path set-up above

from cevis_app.rooms.memory import MemoryStore  # noqa: E402

STUDENTS = 30  # the class size
POLL_SECONDS = 1.0  # the room widget's fragment interval (cevis_app/widgets/room_bar.py)
IDLE_SECONDS = 5.0  # of polling an unchanged room, before the teacher starts moving
MOVE_SECONDS = 1.3  # between teacher moves: not a multiple of the poll, so phases vary
STATE = {f"explorer.z{i}": 0.25 * i for i in range(4)} | {
    "explorer.names": ["cat", "dog", "fox", "owl"], "explorer.classes": 4, "explorer.y": 0,
    "explorer.T": 1.0, "page": "explorer"}  # a realistic published state (~150 bytes)


def per_call_us(fn, calls, repeats) -> tuple[float, float, float]:
    """Per-call time in µs: (min, median, max) over `repeats` runs of `calls` calls."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        runs.append((time.perf_counter() - start) / calls * 1e6)
    return min(runs), statistics.median(runs), max(runs)


def store_costs(store, calls, repeats) -> dict:
    code, secret = store.create_room()
    version = store.publish(code, secret, STATE)
    return {
        "idle poll (read, unchanged)": per_call_us(lambda: store.read(code, version), calls, repeats),
        "changed read (full state)": per_call_us(lambda: store.read(code, -1), calls, repeats),
        "publish": per_call_us(lambda: store.publish(code, secret, STATE), calls // 4 or 1, repeats),
    }


def propagation(store, seconds, students=STUDENTS) -> list[float]:
    """Delays (s) from each publish to each polling student seeing that version or a later one."""
    code, secret = store.create_room()
    published = {0: time.perf_counter()}  # version -> when it was published
    delays, lock, stop = [], threading.Lock(), threading.Event()

    def student():
        seen = -1
        stop.wait(random.uniform(0, POLL_SECONDS))  # students join at different moments
        while not stop.is_set():
            snap = store.read(code, seen)
            now = time.perf_counter()
            if snap is not None:
                with lock:
                    delays.extend(now - published[v] for v in range(seen + 1, snap.version + 1)
                                  if v in published and seen >= 0)
                seen = snap.version
            stop.wait(POLL_SECONDS)

    threads = [threading.Thread(target=student, daemon=True) for _ in range(students)]
    for t in threads:
        t.start()
    time.sleep(POLL_SECONDS * 1.5)  # every student has read version 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        stamp = time.perf_counter()
        version = store.publish(code, secret, {**STATE, "explorer.z0": random.uniform(-3, 3)})
        published[version] = stamp
        time.sleep(MOVE_SECONDS)
    time.sleep(POLL_SECONDS * 1.5)  # the last move reaches everyone
    stop.set()
    for t in threads:
        t.join()
    return delays


# ---------------------------------------------------------------- app level (websocket clients)
class Tab:
    """One browser tab: run a page, press a button, move a slider, rerun a fragment.

    A reader task takes every message as it arrives (a rerun the server starts by itself,
    as st.rerun() in a fragment does, is seen when it happens, not at the next request).
    """

    def __init__(self, url):
        self.url, self.ws, self.reader = url, None, None
        self.page_hash, self.fragment, self.ids, self.sliders, self.html = "", "", {}, {}, []
        self.finished = None

    async def __aenter__(self):
        import asyncio

        import websockets

        self.ws = await websockets.connect(f"ws://{self.url}/_stcore/stream", subprotocols=["streamlit"],
                                           max_size=2**26)
        self.finished = asyncio.Event()
        self.reader = asyncio.create_task(self.read())
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()
        self.reader.cancel()

    async def send(self, page="", query="", widgets=(), fragment="") -> float:
        """Send a rerun (or a fragment rerun) and wait until the script finished; seconds taken."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string, rerun.page_name = query, page
        if not page:
            rerun.page_script_hash = self.page_hash
        rerun.widget_states.widgets.extend(widgets)
        if fragment:
            rerun.fragment_id, rerun.is_auto_rerun = fragment, True
        self.finished.clear()
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await self.finished.wait()
        return time.perf_counter() - start

    async def read(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for raw in self.ws:
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # the page this run shows (after any st.switch_page)
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "auto_rerun":  # the room bar's poll: its fragment and its interval
                self.fragment, self.interval = fwd.auto_rerun.fragment_id, fwd.auto_rerun.interval
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self.element(fwd.delta.new_element, time.perf_counter())
            elif kind == "script_finished":
                self.finished_run(fwd.script_finished)
                self.finished.set()

    def finished_run(self, status) -> None:
        """A run ended with `status` (ForwardMsg.ScriptFinishedStatus); subclasses note it."""

    def element(self, element, now):
        kind = element.WhichOneof("type")
        if kind == "button":
            self.ids[element.button.label] = element.button.id
        elif kind == "slider":
            self.ids[element.slider.label] = element.slider.id
            self.sliders[element.slider.label] = (list(element.slider.value) or [None])[0], now
        elif kind == "html":
            self.html.append(element.html.body)

    async def press(self, label):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return await self.send(widgets=[WidgetState(id=self.ids[label], trigger_value=True)])

    async def move(self, label, value):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.ids[label])
        state.double_array_value.data.append(float(value))
        return await self.send(widgets=[state])


async def app_propagation(url, seconds, students=STUDENTS):
    """(delays from teacher's rerun to each student's new slider value, idle fragment rerun times)."""
    import asyncio
    import re

    label = "Logit z of panda"
    async with Tab(url) as teacher:
        await teacher.send(page="room")
        await teacher.press("Open a room")
        code = re.search(r">([2-9A-Z]{6})<", " ".join(teacher.html)).group(1)
        await teacher.send(page="explorer")  # the class follows to the Explorer
        published, delays, idle, stop, moving = {}, [], [], asyncio.Event(), asyncio.Event()

        async def student():
            async with Tab(url) as tab:
                await tab.send(page="room", query=f"room={code}")
                seen = None
                while not stop.is_set():
                    await asyncio.sleep(POLL_SECONDS)  # the browser's auto-rerun timer
                    took = await tab.send(fragment=tab.fragment)
                    if not moving.is_set():
                        idle.append(took)  # nothing has changed since the student followed
                    now = tab.sliders.get(label)
                    if now and now != seen and now[0] in published:
                        delays.append(now[1] - published[now[0]])
                        seen = now

        tasks = [asyncio.create_task(student()) for _ in range(students)]
        await asyncio.sleep(3 * POLL_SECONDS)  # everyone joined and followed to the Explorer
        idle.clear()
        await asyncio.sleep(IDLE_SECONDS)  # idle polls: the room has not changed
        moving.set()
        value, deadline = 0.0, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            value = round(random.uniform(-9, 9), 2)
            await teacher.move(label, value)
            published[value] = time.perf_counter()
            await asyncio.sleep(MOVE_SECONDS)
        await asyncio.sleep(2 * POLL_SECONDS)
        stop.set()
        await asyncio.gather(*tasks)
    return delays, idle


def percentile(values, q) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def app_table(seconds) -> None:
    import asyncio

    from e2e.helpers import streamlit_server  # the browser tests' server: a free loopback port

    with streamlit_server() as url:
        delays, idle = asyncio.run(app_propagation(url.removeprefix("http://"), seconds))
    print(f"\n| app level, one process, {STUDENTS} students | median | p95 | max | n |")
    print("|---|---|---|---|---|")
    if delays:
        print(f"| teacher's rerun done -> student has the new slider (s) | {statistics.median(delays):.3f} | "
              f"{percentile(delays, 0.95):.3f} | {max(delays):.3f} | {len(delays)} |")
    if idle:
        ms = [t * 1000 for t in idle]
        print(f"| idle poll: fragment rerun, nothing changed (ms, round trip) | "
              f"{statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f} | {max(ms):.1f} | {len(ms)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (seconds, not a minute)")
    parser.add_argument("--app", action="store_true", help="only the app-level propagation run")
    args = parser.parse_args()
    calls, repeats, seconds = (2_000, 3, 6) if args.quick else (20_000, 5, 20)
    print(f"# bench_rooms: Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"{STUDENTS} students polling every {POLL_SECONDS:g} s; load average {os.getloadavg()[0]:.1f}")
    if args.app:
        app_table(seconds)
        return
    with redis_server() as url:
        from cevis_app.rooms.redis_store import RedisStore

        stores = {"memory": MemoryStore(), "redis": RedisStore(url)}
        print("\n| store | operation | µs per call (min / median / max) |\n|---|---|---|")
        for name, store in stores.items():
            n = calls if name == "memory" else calls // 10  # a Redis call is a loopback round trip
            for op, (lo, mid, hi) in store_costs(store, n, repeats).items():
                print(f"| {name} | {op} | {lo:.1f} / {mid:.1f} / {hi:.1f} |")
        print("\n| store | teacher publish -> student sees it (s) | median | p95 | max | n |")
        print("|---|---|---|---|---|---|")
        for name, store in stores.items():
            delays = propagation(store, seconds)
            print(f"| {name} | store-level, {STUDENTS} polling threads | {statistics.median(delays):.3f} | "
                  f"{percentile(delays, 0.95):.3f} | {max(delays):.3f} | {len(delays)} |")
    app_table(seconds)


if __name__ == "__main__":
    main()
