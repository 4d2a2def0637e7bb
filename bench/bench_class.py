"""A class on one machine: many students, one flooding client, per server setup.

    python bench/bench_class.py                      # 100 students; single process and nginx + 2
    python bench/bench_class.py --quick              # 20 students, shorter runs
    python bench/bench_class.py --setups single nginx:3 --students 60 --repeat 3

Each setup is started here, on free loopback ports: `single` is one `streamlit run
app.py`; `nginx:N` is `python deploy/serve.py --workers N` (nginx, N workers, redis).
A student is a websocket client speaking the browser's protocol (bench/bench_app.py's
Session) with its own routing cookie: it opens the live Explorer (--page descent: Descent),
then every 2 s sets the three logits to values of its own and times the change until the
script finished. On the Explorer a change is a release of the live view, sent for the
fragment that holds it, as a browser sends it (a tree without that fragment runs the page).
Each student alternates two samples, so its live payload is built twice and then cached
(`widgets/live._sample_json`); with --fresh-samples every change is a new sample, as a
student dragging a handle sends, and the server builds its payload each time.
Every reply is checked: the loss the page shows must be the loss of *this* student's
logits (computed here with numpy, not by cevis); a loss belonging to another
student's values counts as a cross-session value, any other mismatch as wrong.

Flood: a few paced observers (one change a second) are timed alone, then while one
more client sends rerun requests as fast as the rate allows (default 1,000/s for 10 s)
without waiting for replies; the observers' p90 ratio flood/alone is the number that
says whether one session can stall the others. CPU: server cores busy (CPU s per s)
with the observers alone and with the flood: what the flood costs the server.

CPU: user + system seconds of every server process over the students' run, divided by
the changes answered (the cost of one rerun, whatever else the machine is doing); and
the cores this benchmark's own clients used meanwhile (they share the machine).
Memory: RSS summed over every server process (nginx, workers, redis) before the
students connect and after, divided by the number of students.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import math
import os
import pathlib
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.request
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_app import Session  # noqa: E402
from bench_app import free_port  # noqa: E402
from bench_app import machine  # noqa: E402
from bench_app import pct  # noqa: E402
from bench_app import rss_mib  # noqa: E402
from bench_app import table  # noqa: E402
from bench_rooms import Tab  # noqa: E402
from streamlit.components.v2.bidi_component.main import _make_trigger_id  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cevis_app.widgets.room_bar import POLL_SECONDS  # noqa: E402  (the student's fallback poll)

PAGE = "explorer"  # the page students use (--page); set in main()
PAGES = ("explorer", "descent")  # --page: the live Explorer (default) or Descent
LABELS = ("Logit z of panda", "Logit z of seal", "Logit z of duck")  # the default 3 classes
LOSS = "Loss at the start"  # Descent's metric: −log softmax(z)[0]; true class panda by default
LOSS_LATEX = re.compile(r"^\$*\s*L = .*= (-?[\d.]+)\s*\$*$", re.S)  # the Explorer's loss formula
COMMIT_EVENTS = "events"  # the live component's trigger aggregator (one JSON list of events)
PERIOD = 2.0  # s between a student's changes
REPLY_TIMEOUT = 30.0  # s; a change not answered by then is an error
START_TIMEOUT = 120  # s for a setup to answer


def expected_loss(z) -> str:
    """−log softmax(z)[0], as the page shows it (4 decimals): log Σ exp z − z₀."""
    m = max(z)
    return f"{m + math.log(sum(math.exp(v - m) for v in z)) - z[0]:.4f}"


FRESH = False  # --fresh-samples: every change a sample no one sent before (set in main())


def student_values(k: int, i: int) -> tuple[float, float, float]:
    """Student k's i-th logits: distinct from every other student's (0.01 grid). Two samples
    in turn; with FRESH a new one each time (its second logit 0.01 higher), as a student
    dragging a handle sends, whose live payload no session has built yet."""
    return (round(-3 + 0.01 * (k % 500) + (i % 2), 2),
            round(0.5 * (k // 500) + (0.01 * i if FRESH else 0.0), 2), 0.0)


class Student(Session):
    """A Session that sets all three logits at once and knows which values it sent.

    On the Explorer it sends what the browser sends on a release of the live view: one
    "commit" trigger of the component holding the logits in hundredths (the page's
    callback writes them into the sliders' state, the page reruns once); the loss is read
    from the formula "L = −log p_y = −log(…) = <loss>", or from the live payload ("current.l",
    1e-4 units) now that the live view draws the formulas. On Descent it sets the three
    sliders and reads the loss metric.
    """

    live_id = ""  # the live component's element id (from the first run)
    live_fragment = ""  # the fragment it is drawn in: a commit reruns that, as in a browser

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = {}  # slider label -> the value the page last showed (the browser resends it)

    def element(self, element):
        super().element(element)
        kind = element.WhichOneof("type")
        if kind == "slider":
            self.shown[element.slider.label] = list(element.slider.value)
        elif kind == "bidi_component":
            self.live_id, self.live_fragment = element.bidi_component.id, self.fragment_id
            with contextlib.suppress(ValueError, KeyError, TypeError, zlib.error):  # the live loss
                self.metrics[LOSS] = f"{live_array(component_json(element), 'current.l')[0] / 1e4:.4f}"
        elif kind == "markdown" and (m := LOSS_LATEX.match(element.markdown.body.strip())):
            self.metrics[LOSS] = m.group(1)

    def change(self, z) -> list:
        """The widget states of one change to logits z (a live commit, or three sliders)."""
        if self.page == "explorer":
            state = WidgetState(id=_make_trigger_id(self.live_id, COMMIT_EVENTS))
            state.json_trigger_value = json.dumps(
                [{"event": "commit", "value": {"z": [round(v * 100) for v in z], "T": 100}}])
            kept = WidgetState(id=self.live_id, json_value="{}")  # the component's own state
            return [kept, state, *self.sliders(self.shown)]
        return self.sliders(dict(zip(LABELS, ([v] for v in z))))

    def sliders(self, values: dict) -> list:
        states = []
        for label, value in values.items():
            state = WidgetState(id=self.widgets[label])
            state.double_array_value.data.extend(float(v) for v in value)
            states.append(state)
        return states

    async def set_logits(self, z) -> float:
        fragment = self.live_fragment if self.page == "explorer" else ""
        return await asyncio.wait_for(self.rerun(self.change(z), fragment), REPLY_TIMEOUT)


# ---------------------------------------------------------------- setups
BEFORE = {"CEVIS_RERUN_RATE": "0", "STREAMLIT_RUNNER_FAST_RERUNS": "true"}  # no bound, as before


@contextlib.contextmanager
def setup(name: str):
    """Yield (host:port, [server pids]) for "single" or "nginx:N"; stop it after.
    A "/before" suffix runs it unbounded, as before issue 17 (fastReruns on, no throttle)."""
    name, _, variant = name.partition("/")
    saved = dict(os.environ)
    if variant == "before":
        os.environ.update(BEFORE)
    try:
        with _setup(name) as found:
            yield found
    finally:
        os.environ.clear()
        os.environ.update(saved)


def each_tree(roots: list, rounds: int):
    """Yield (root, host:port, [server pids]) for each checkout in turn, `rounds` times: one
    `streamlit run app.py` of it ("single"), stopped before the next (paired A/B benches)."""
    global ROOT
    for _ in range(rounds):
        for root in roots:
            ROOT = pathlib.Path(root).resolve()
            with setup("single") as (url, pids):
                yield root, url, pids


@contextlib.contextmanager
def _setup(name: str):
    if name == "single":
        port = free_port()
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port)]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        line = f"cevis: serving http://127.0.0.1:{port} (pids {proc.pid})"
        ready = f"http://127.0.0.1:{port}/_stcore/health"
    else:
        cmd = [sys.executable, "deploy/serve.py", "--workers", name.split(":")[1], "--port", "0"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        line = ""
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "cevis: serving" not in line:  # serve.py prints it when every part answers
            line = proc.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"deploy/serve.py did not start: {line}{proc.stdout.read()}")
        while name == "single" and not _answers(ready):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.2)
        url = re.search(r"http://([\d.]+:\d+)", line).group(1)
        yield url, [int(p) for p in re.search(r"pids ([\d ]+)\)", line).group(1).split()]
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:  # a server buried under a flood's backlog
            proc.kill()
            proc.wait()


def _answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=1).read() == b"ok"
    except OSError:
        return False


def server_rss(pids) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += rss_mib(pid)
            for child in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                total += rss_mib(int(child))  # nginx's worker process
    return total


def server_cpu_s(pids) -> float:
    """User + system CPU seconds of the server processes (and nginx's worker) so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            children = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            for p in [pid, *map(int, children)]:
                fields = pathlib.Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cookie(k: int) -> dict:
    token = f"bench{k:06d}{random.getrandbits(32):08x}"  # a browser: its route and its device
    return {"Cookie": f"cevis_route={token}; cevis_device={token}"}


# ---------------------------------------------------------------- scenarios
async def students(url, pids, count: int, seconds: float) -> dict:
    """`count` students, each changing its logits every PERIOD s for `seconds`."""
    times, errors, cross, wrong = [], 0, 0, 0
    owners = {}  # shown loss -> the students whose values give it
    for k in range(count):
        for i in range(int(seconds / PERIOD) + 2 if FRESH else 2):
            owners.setdefault(expected_loss(student_values(k, i)), set()).add(k)
    connected = asyncio.Event()
    ready = [0]

    async def one(k):
        nonlocal errors, cross, wrong
        try:
            async with Student(url, PAGE, cookie(k)) as s:
                await asyncio.wait_for(s.rerun(), REPLY_TIMEOUT)
                ready[0] += 1
                if ready[0] == count:
                    connected.set()
                await connected.wait()
                await asyncio.sleep(random.uniform(0, PERIOD))
                stop = time.perf_counter() + seconds
                i = 0
                while time.perf_counter() < stop:
                    t0 = time.perf_counter()
                    z = student_values(k, i)
                    try:
                        times.append(await s.set_logits(z))
                    except Exception:  # a timeout or a dropped connection
                        errors += 1
                        return
                    shown = s.metrics.get(LOSS)
                    if shown != expected_loss(z):
                        if k not in owners.get(shown, {k}):
                            cross += 1
                        else:
                            wrong += 1
                    i += 1
                    await asyncio.sleep(max(0.0, PERIOD - (time.perf_counter() - t0)))
        except Exception:
            errors += 1
            ready[0] += 1
            if ready[0] == count:
                connected.set()

    base = server_rss(pids)
    tasks = [asyncio.create_task(one(k)) for k in range(count)]
    await connected.wait()
    grown = server_rss(pids)
    cpu = server_cpu_s(pids)
    start = time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu = server_cpu_s(pids) - cpu
    return {"n": len(times), "rate": len(times) / elapsed, "times": times, "errors": errors,
            "cross": cross, "wrong": wrong, "rss": grown, "per_session": (grown - base) / count,
            "cpu_ms": 1e3 * cpu / max(1, len(times))}


async def observers(url, pids, count: int, seconds: float, flood_rate: float = 0.0) -> dict:
    """`count` observers, one change a second each; optionally one flooding client."""
    times, errors = [], 0
    sent = [0]

    async def watch(k):
        nonlocal errors
        async with Student(url, PAGE, cookie(10_000 + k)) as s:
            await s.rerun()
            await asyncio.sleep(k / count)
            stop = time.perf_counter() + seconds
            i = 0
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    times.append(await s.set_logits(student_values(10_000 + k, i)))
                except Exception:
                    errors += 1
                i += 1
                await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - t0)))

    async def flood():
        async with Student(url, PAGE, cookie(99_999)) as s:
            await s.rerun()
            drain = asyncio.create_task(_drain(s.ws))
            stop = time.perf_counter() + seconds + 1
            start = time.perf_counter()
            while (now := time.perf_counter()) < stop:
                msg = BackMsg()
                msg.rerun_script.page_name = PAGE
                msg.rerun_script.widget_states.widgets.extend(s.change(student_values(99_999, sent[0])))
                await s.ws.send(msg.SerializeToString())
                sent[0] += 1
                ahead = sent[0] / flood_rate - (now - start)
                await asyncio.sleep(max(0.0, ahead))
            drain.cancel()

    jobs = [watch(k) for k in range(count)]
    if flood_rate:
        jobs.append(flood())
    cpu, start = server_cpu_s(pids), time.perf_counter()
    await asyncio.gather(*jobs)
    cpu = (server_cpu_s(pids) - cpu) / (time.perf_counter() - start)
    return {"times": times, "errors": errors, "sent": sent[0], "cpu": cpu}


async def _drain(ws):
    with contextlib.suppress(Exception):
        while True:
            await ws.recv()


# ---------------------------------------------------------------- a room following its teacher
ROOM_MOVE_SECONDS = 4.0  # between the teacher's moves: each one reaches the class before the next
ROOM_IDLE_SECONDS = 10.0  # of an idle room (nothing changed: only the polls) timed for its server CPU
ROOM_LABEL = LABELS[0]  # the slider the teacher moves on the Explorer
SWITCH_PAGES = ("descent", "explorer")  # the teacher's page switches, in turn (from the Explorer)


class RoomTab(Tab):
    """bench_rooms' browser tab (page runs, button presses, fragment polls) with a routing cookie.

    The followed value is the Explorer's live view as much as its slider: a follower's view
    may come by a push or a fragment rerun that redraws the live view alone (issue 26), so the logit
    of ROOM_LABEL is read from the live payload too ("current.z", int16 hundredths in byte
    planes). `arrived`: (page hash, time) at the end of each full run (page switches).
    """

    def __init__(self, url, headers):
        super().__init__(url)
        self.headers = headers
        self.arrived = []

    def element(self, element, now):
        super().element(element, now)
        if element.WhichOneof("type") == "bidi_component":
            with contextlib.suppress(ValueError, KeyError, TypeError, zlib.error):
                self.sliders[ROOM_LABEL] = live_logits(component_json(element))[0], now

    def finished_run(self, status) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if status == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.arrived.append((self.page_hash, time.perf_counter()))

    async def __aenter__(self):
        import websockets

        self.ws = await websockets.connect(f"ws://{self.url}/_stcore/stream", subprotocols=["streamlit"],
                                           max_size=2**26, additional_headers=self.headers)
        self.finished = asyncio.Event()
        self.reader = asyncio.create_task(self.read())
        return self


def component_json(element) -> bytes | str:
    """A components-v2 element's data: the live view sends UTF-8 JSON bytes (live/component.py);
    a tree from before that (served by --root, to compare) sent JSON text."""
    return element.bidi_component.bytes or element.bidi_component.json


def live_array(text: bytes | str, name: str) -> list[int]:
    """One integer array of an Explorer live payload (views/live_payload.py's Blob: deflated,
    base64, each array in byte planes), from the component's JSON."""
    payload = json.loads(text)
    payload = payload.get("data", payload)
    kind, offset, count = payload["index"][name]
    blob = zlib.decompress(base64.b64decode(payload["blob"]))
    size = int(kind[1])
    planes = [blob[offset + i * count: offset + (i + 1) * count] for i in range(size)]
    return [int.from_bytes(bytes(p[j] for p in planes), "little", signed=kind[0] == "i")
            for j in range(count)]


def live_logits(text: bytes | str) -> list[float]:
    """The logits an Explorer live payload draws (its "current.z", in hundredths)."""
    return [v / 100 for v in live_array(text, "current.z")]


async def room(url, pids, count: int, moves: int, switches: int = 0) -> dict:
    """A teacher opens a room and goes to the Explorer; `count` students join by the link and
    follow, as a browser does: the server reruns them when the teacher changes something
    (cevis_app/widgets/room_push.py), and each also runs the room bar's fragment at the
    interval the server asks for (auto_rerun: the fallback poll), out of phase; the teacher
    moves a logit `moves` times, then switches page `switches` times (Descent, Explorer, ...).
    Measured: the teacher's move sent -> each student has the new value (live view or slider);
    the teacher's switch sent -> each student's run of the new page finished; server CPU
    while the room is idle (the polls), per poll and in cores; per move; per switch."""
    async with RoomTab(url, cookie(50_000)) as teacher:
        await teacher.send(page="room")
        await teacher.press("Open a room")
        code = re.search(r">([2-9A-Z]{6})<", " ".join(teacher.html)).group(1)
        await teacher.send(page="explorer")
        published, delays, polls, stop = {}, [], [0], asyncio.Event()
        seen_by = [dict() for _ in range(count)]
        joined, tabs = [0], []

        async def student(k):
            async with RoomTab(url, cookie(60_000 + k)) as tab:
                tabs.append(tab)
                await asyncio.wait_for(tab.send(page="room", query=f"room={code}"), REPLY_TIMEOUT)
                joined[0] += 1
                interval = getattr(tab, "interval", POLL_SECONDS)  # as the server asked
                poll_at = time.perf_counter() + random.uniform(0, interval)  # out of phase
                while not stop.is_set():
                    await asyncio.sleep(0.02)  # look at what arrived; no traffic
                    if time.perf_counter() >= poll_at:  # the browser's auto-rerun timer
                        poll_at += getattr(tab, "interval", POLL_SECONDS)
                        await asyncio.wait_for(tab.send(fragment=tab.fragment), REPLY_TIMEOUT)
                        polls[0] += 1
                    value, when = tab.sliders.get(ROOM_LABEL, (None, 0.0))
                    if value in published and value not in seen_by[k]:
                        seen_by[k][value] = when - published[value]

        tasks = [asyncio.create_task(student(k)) for k in range(count)]
        while joined[0] < count and not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
        await asyncio.sleep(3.0)  # every student followed to the Explorer
        cpu, first = server_cpu_s(pids), polls[0]
        await asyncio.sleep(ROOM_IDLE_SECONDS)
        idle_cpu = server_cpu_s(pids) - cpu
        idle_ms = 1e3 * idle_cpu / max(1, polls[0] - first)
        idle_polls = (polls[0] - first) / ROOM_IDLE_SECONDS
        cpu = server_cpu_s(pids)
        for i in range(moves):
            value = round(-4 + 0.37 * i, 2)  # distinct values, none the default
            published[value] = time.perf_counter()
            await teacher.move(ROOM_LABEL, value)
            await asyncio.sleep(ROOM_MOVE_SECONDS)
        move_cpu = (server_cpu_s(pids) - cpu) / max(1, moves)
        switch_delays, by_page, cpu = [], {}, server_cpu_s(pids)
        for i in range(switches):
            sent, page = time.perf_counter(), SWITCH_PAGES[i % len(SWITCH_PAGES)]
            await teacher.send(page=page)
            await asyncio.sleep(ROOM_MOVE_SECONDS)
            # the page the teacher's last full run showed (send() may return at a rerun's end)
            target = next(h for h, t in reversed(teacher.arrived) if t > sent)
            arrived = [next(t for h, t in tab.arrived if h == target and t > sent) - sent
                       for tab in tabs if any(h == target and t > sent for h, t in tab.arrived)]
            switch_delays.extend(arrived)
            by_page.setdefault(page, []).extend(arrived)
        switch_cpu = (server_cpu_s(pids) - cpu) / max(1, switches)
        stop.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    for seen in seen_by:
        delays.extend(seen.values())
    return {"delays": delays, "missed": count * moves - len(delays), "idle_ms": idle_ms,
            "idle_polls": idle_polls, "idle_cores": idle_cpu / ROOM_IDLE_SECONDS, "move_cpu": move_cpu,
            "errors": sum(isinstance(r, BaseException) for r in results),
            "switch_delays": switch_delays, "switch_missed": count * switches - len(switch_delays),
            "switch_cpu": switch_cpu, "switch_by_page": by_page}


# ---------------------------------------------------------------- report
def ms(values, q=None) -> str:
    if not values:
        return "-"
    v = statistics.median(values) if q is None else pct(values, q)
    return f"{v * 1e3:.0f}"


def run_setup(name: str, args) -> tuple[list, list, list]:
    with setup(name) as (url, pids):
        asyncio.run(observers(url, pids, 8, 2))  # warm: imports and caches in every worker
        client, wall = _client_cpu_s(), time.perf_counter()
        s = asyncio.run(students(url, pids, args.students, args.seconds)) if args.students else None
        client = (_client_cpu_s() - client) / (time.perf_counter() - wall)
        r = asyncio.run(room(url, pids, args.room, args.room_moves, args.room_switches)) \
            if args.room else None
        if args.flood_rate:
            alone = asyncio.run(observers(url, pids, args.observers, args.flood_seconds))
            flooded = asyncio.run(observers(url, pids, args.observers, args.flood_seconds,
                                            args.flood_rate))
    if s is None:
        student_row = [name] + ["-"] * 12
    else:
        student_row = [name, str(args.students), f"{s['rate']:.1f}", ms(s["times"]),
                       ms(s["times"], 0.9), ms(s["times"], 0.99), str(s["errors"]),
                       str(s["cross"]), str(s["wrong"]), f"{s['cpu_ms']:.0f}", f"{s['rss']:.0f}",
                       f"{s['per_session']:+.2f}", f"{client:.2f}"]
    room_row = [name] + ["-"] * 16 if r is None else [
        name, str(args.room), ms(r["delays"]), ms(r["delays"], 0.95), ms(r["delays"], 1.0),
        f"{r['missed']} of {args.room * args.room_moves}", str(r["errors"]),
        f"{r['idle_ms']:.1f} ({r['idle_polls']:.0f}/s)", f"{r['idle_cores']:.3f}",
        f"{r['move_cpu']:.2f}", f"{r['move_cpu'] - r['idle_cores'] * ROOM_MOVE_SECONDS:.2f}",
        ms(r["switch_delays"]), ms(r["switch_delays"], 0.95),
        ms(r["switch_delays"], 1.0), f"{r['switch_missed']} of {args.room * args.room_switches}",
        f"{r['switch_cpu']:.2f}",
        " / ".join(f"{page} {ms(d, 0.95)}" for page, d in r["switch_by_page"].items()) or "-"]
    if not args.flood_rate:
        return student_row, [name] + ["-"] * 10, room_row
    ratio = pct(flooded["times"], 0.9) / pct(alone["times"], 0.9) if flooded["times"] else math.inf
    flood_row = [name, ms(alone["times"]), ms(alone["times"], 0.9), ms(flooded["times"]),
                 ms(flooded["times"], 0.9), ms(flooded["times"], 0.99), f"{ratio:.1f}",
                 str(flooded["errors"] + alone["errors"]),
                 f"{flooded['sent'] / (args.flood_seconds + 1):.0f}",
                 f"{alone['cpu']:.2f}", f"{flooded['cpu']:.2f}"]
    return student_row, flood_row, room_row


def _client_cpu_s() -> float:
    """CPU seconds this benchmark process has used: the simulated class competes too."""
    usage = os.times()
    return usage.user + usage.system


def main():
    global PAGE, ROOT, FRESH
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 students, 6 s runs")
    ap.add_argument("--setups", nargs="*", default=["single", "nginx:2"],
                    help='"single", "nginx:N"; add "/before" for the unbounded server')
    ap.add_argument("--students", type=int, default=100, help="0: the flood part only")
    ap.add_argument("--seconds", type=float, default=20.0, help="how long the students run")
    ap.add_argument("--observers", type=int, default=5)
    ap.add_argument("--flood-rate", type=float, default=1000.0, help="rerun requests/s; 0: no flood")
    ap.add_argument("--flood-seconds", type=float, default=10.0)
    ap.add_argument("--page", choices=PAGES, default=PAGES[0])
    ap.add_argument("--fresh-samples", action="store_true",
                    help="every change a new sample (its live payload built anew), not two in turn")
    ap.add_argument("--root", default=str(ROOT), help="the checkout to serve (e.g. main, for before)")
    ap.add_argument("--room", type=int, default=100, help="students following a teacher; 0: none")
    ap.add_argument("--room-moves", type=int, default=5, help="teacher moves, ROOM_MOVE_SECONDS apart")
    ap.add_argument("--room-switches", type=int, default=4,
                    help="teacher page switches after the moves (Descent, Explorer, ...)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    PAGE, ROOT, FRESH = args.page, pathlib.Path(args.root), args.fresh_samples
    if args.quick:
        args.seconds, args.flood_seconds, args.observers = 6.0, 4.0, 3
        args.students, args.room, args.room_moves = min(args.students, 20), min(args.room, 20), 3
        args.room_switches = min(args.room_switches, 2)
    print(f"machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    students_rows, flood_rows, room_rows = [], [], []
    for _ in range(args.repeat):
        for name in args.setups:
            a, b, c = run_setup(name, args)
            students_rows.append(a)
            flood_rows.append(b)
            room_rows.append(c)
            print("  done:", " ".join(a), "|", " ".join(b), "|", " ".join(c), flush=True)
    print(f"\nstudents: each changes its three logits every {PERIOD:.0f} s for {args.seconds:.0f} s "
          "(latency: change sent -> script finished)")
    print(table(["setup", "students", "reruns/s", "median ms", "p90 ms", "p99 ms", "errors",
                 "cross-session", "wrong", "CPU ms/rerun", "server MiB", "MiB/session",
                 "client cores"], students_rows, args.markdown))
    print(f"\nflood: {args.observers} observers, one change a second each, alone and while one "
          f"client sends {args.flood_rate:.0f} rerun requests/s for {args.flood_seconds:.0f} s")
    print(table(["setup", "alone median", "alone p90", "flood median", "flood p90", "flood p99",
                 "p90 ratio", "errors", "flood sent/s", "server cores alone",
                 "server cores flood"], flood_rows, args.markdown))
    print(f"\nroom: {args.room} students follow a teacher on the Explorer (pushed or rerun by the "
          "server when the room changes; the fallback poll at the interval the server asks); the "
          "teacher moves a "
          f"logit {args.room_moves} times, {ROOM_MOVE_SECONDS:g} s apart (delay: teacher's move "
          "sent -> student has the new value), then switches page "
          f"{args.room_switches} times ({' / '.join(SWITCH_PAGES)}; delay: switch sent -> the "
          "student's run of the new page finished)")
    print(table(["setup", "students", "median ms", "p95 ms", "max ms", "missed", "errors",
                 "CPU ms/idle poll (polls/s)", "idle server cores", "server CPU s/move",
                 "of it above idle",
                 "switch median ms", "switch p95 ms", "switch max ms", "switch missed",
                 "server CPU s/switch", "switch p95 ms by page"], room_rows, args.markdown))
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
