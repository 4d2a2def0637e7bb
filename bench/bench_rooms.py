"""What a classroom room costs: an idle student's poll, and how fast a teacher's move reaches the class.

    python bench/bench_rooms.py           # store costs + propagation to 30 students
    python bench/bench_rooms.py --quick   # fewer repetitions, shorter propagation run

Store costs: the in-process store and Redis (a real redis-server started on a free
loopback port, as the tests do), timed per call: an idle poll (read with an unchanged
version: what each student's page does every second), a changed read, a publish.

Propagation (store level): 30 student threads poll `read(code, version)` every
POLL_SECONDS, as the room widget's fragment does; the teacher publishes a new state
every MOVE_SECONDS; the delay from publish to each student seeing the new version.
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
POLL_SECONDS = 1.0  # the room widget's fragment interval (cevis_app/widgets/room.py)
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


def percentile(values, q) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (seconds, not a minute)")
    args = parser.parse_args()
    calls, repeats, seconds = (2_000, 3, 6) if args.quick else (20_000, 5, 20)
    print(f"# bench_rooms: Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"{STUDENTS} students polling every {POLL_SECONDS:g} s")
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


if __name__ == "__main__":
    main()
