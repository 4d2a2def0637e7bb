"""Recovery times of `deploy/serve.py --workers 2` under injected faults, repeated.

    python bench/bench_faults.py            # 3 rounds (about 2 minutes)
    python bench/bench_faults.py --rounds 1

Each round, with a room open (a published state, a seated student, her answer):
- redis-server SIGKILL: seconds until the store reads the room again (it retries meanwhile);
- redis-server SIGSTOP for 6 s: the longest a student's poll waited (none may fail);
- a worker SIGKILL: seconds until its browsers get an answer (from the other worker), and
  until their cookie is answered by their own worker again (includes serve.py's backoff);
- nginx SIGKILL: seconds until a page is served again.
Every round checks the room afterwards (state, seat, answer): "lost" counts what was not.
Rounds follow each other at once, so the worker killed in round k has died k times within
60 s: its restart waits 1, 2, 4 s (serve.py's backoff); the table says which kill it was.
The load average is printed with the table: these are wall-clock times on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import signal
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from tests.e2e.serve_cluster import get  # noqa: E402
from tests.e2e.serve_cluster import metric_bytes  # noqa: E402
from tests.e2e.serve_cluster import serve  # noqa: E402
from tests.e2e.serve_cluster import upload_csv  # noqa: E402

STATE = {"logits": [0.5, 2.0, -1.0], "true": 1}
ESTIMATE = {"kind": "estimate", "text": "What is the loss?", "low": 0, "high": 10, "truth": 1.25}
STALL = 6.0  # s


def until(check, timeout=120.0, step=0.05) -> float:
    start = time.monotonic()
    while True:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"no recovery within {timeout:g} s")
        time.sleep(step)


def aof_written(client) -> bool:
    """Redis wrote its append-only buffer to the file (everysec may postpone it up to 2 s)."""
    info = client.info("persistence")
    return not info["aof_buffer_length"] and not info["aof_pending_bio_fsync"]


def readable(store, code) -> bool:
    """The room reads back; a RoomUnavailable (Redis still restarting: its backoff can be
    longer than the store's ~3.5 s of retries) is a page's "try again in a moment"."""
    from cevis_app.rooms.store import RoomUnavailable

    try:
        return store.read(code, 0).state == STATE
    except RoomUnavailable:
        return False


def worker_port(pid: int) -> int:
    cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    return int(cmd[cmd.index(b"--server.port") + 1])


def one_round(served, store) -> dict:
    code, secret = store.create_room()
    student = store.join(code)
    store.publish(code, secret, STATE)
    qid = store.ask(code, secret, ESTIMATE)
    store.post_answer(code, student, qid, 2.5)
    row = {}

    (redis_pid,) = served.part("redis-server")
    row["write reached the file"] = until(lambda: aof_written(store.redis), step=0.01)
    os.kill(redis_pid, signal.SIGKILL)
    row["redis kill"] = until(lambda: readable(store, code))

    (redis_pid,) = served.part("redis-server")
    waits, errors = [], []

    def poll():
        start = time.monotonic()
        try:
            store.read(code, 0)
            waits.append(time.monotonic() - start)
        except Exception as exc:
            errors.append(exc)

    os.kill(redis_pid, signal.SIGSTOP)
    threads = [threading.Thread(target=poll) for _ in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.2)
    time.sleep(STALL - 0.8)
    os.kill(redis_pid, signal.SIGCONT)
    for t in threads:
        t.join()
    row["stall: longest poll"] = max(waits) if waits else float("nan")
    row["stall: failed polls"] = len(errors)

    victim = served.part("streamlit")[0]
    port = worker_port(victim)
    route = next(f"b{k}" for k in range(500)
                 if get(served.url, "/_stcore/health", f"b{k}")[1]["X-Cevis-Upstream"] == f"127.0.0.1:{port}")
    os.kill(victim, signal.SIGKILL)
    row["worker kill: answered"] = until(lambda: get(served.url, "/_stcore/health", route)[0] == 200)
    row["worker kill: own worker again"] = until(
        lambda: get(served.url, "/_stcore/health", route)[1]["X-Cevis-Upstream"] == f"127.0.0.1:{port}",
        step=0.2) + row["worker kill: answered"]

    (master,) = served.part("nginx")
    os.kill(master, signal.SIGKILL)
    row["nginx kill"] = until(lambda: served.part("nginx") not in ([], [master])
                              and get(served.url, "/_stcore/health")[0] == 200)

    snap, tally = store.read(code, 0), store.tally(code, secret)
    row["lost"] = (int(snap is None or snap.state != STATE) + int(tally.students != 1)
                   + int(tally.answers != (2.5,)))
    if row["lost"]:
        print("lost:", code, snap, tally, store.redis.hgetall(store.prefix + code), flush=True)
    return row


def fsync_cost(writes: int = 300) -> dict:
    """Median and p90 ms of a teacher's publish and a student's answer on a redis-server run
    as serve.py runs it, under appendfsync everysec and always (one fsync per write)."""
    import shutil
    import socket
    import subprocess

    from cevis_app.rooms.redis_store import RedisStore

    out = {}
    for mode in ("everysec", "always"):
        with tempfile.TemporaryDirectory(prefix="cevis-bench-fsync-") as tmp:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind",
                                     "127.0.0.1", "--dir", tmp, "--appendonly", "yes", "--save", "",
                                     "--appendfsync", mode], stdout=subprocess.DEVNULL)
            try:
                store = RedisStore(f"redis://127.0.0.1:{port}/0")
                until(store.redis.ping, timeout=20)
                code, secret = store.create_room()
                student = store.join(code)
                qid = store.ask(code, secret, ESTIMATE)
                times = []
                for k in range(writes):
                    start = time.perf_counter()
                    if k % 2:
                        store.publish(code, secret, {**STATE, "k": k})
                    else:
                        store.post_answer(code, student, qid, k % 10)
                    times.append(1000 * (time.perf_counter() - start))
                times.sort()
                out[mode] = (times[len(times) // 2], times[int(len(times) * 0.9)])
            finally:
                proc.terminate()
                proc.wait()
    return out


def rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def upload_memory(served, uploads: int = 60, size: int = 900_000) -> dict:
    """One session uploads `uploads` CSV files of `size` bytes through nginx: the worker's
    RSS before, at the end and 5 s later, and the bytes its upload manager still holds."""
    import asyncio

    from tests.e2e.helpers import run_async
    from tests.e2e.wsclient import open_tab

    pid = served.part("streamlit")[0]
    port = worker_port(pid)
    route = next(f"u{k}" for k in range(500)
                 if get(served.url, "/_stcore/health", f"u{k}")[1]["X-Cevis-Upstream"] == f"127.0.0.1:{port}")

    async def run():
        tab, _, sid = await open_tab(served.url, route)
        before = rss_mib(pid)
        start = time.monotonic()
        codes = [await asyncio.to_thread(upload_csv, served.url, route, sid, size) for _ in range(uploads)]
        seconds, after = time.monotonic() - start, rss_mib(pid)
        await asyncio.sleep(5)
        held = metric_bytes(get(f"127.0.0.1:{port}", "/_stcore/metrics")[2].decode())
        await tab.ws.close()
        return {"uploaded MB": uploads * size / 1e6, "taken": codes.count(204), "seconds": seconds,
                "RSS before MiB": before, "RSS after MiB": after, "RSS 5 s later MiB": rss_mib(pid),
                "held MB": held / 1e6}

    return run_async(run())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--uploads", action="store_true",
                    help="only measure a worker's memory while one session uploads 54 MB")
    ap.add_argument("--fsync-cost", action="store_true",
                    help="only time room writes under appendfsync everysec vs always")
    args = ap.parse_args(argv)
    from cevis_app.rooms.redis_store import RedisStore

    if args.fsync_cost:
        for mode, (median, p90) in fsync_cost().items():
            print(f"appendfsync {mode}: a room write takes {median:.2f} ms median, {p90:.2f} ms p90 "
                  f"(load {os.getloadavg()[0]:.1f})")
        return 0

    with tempfile.TemporaryDirectory(prefix="cevis-bench-faults-") as tmp, \
            serve(pathlib.Path(tmp), "--workers", "2", "--expose-upstream") as served:
        if args.uploads:
            row = upload_memory(served)
            print(f"load {os.getloadavg()[0]:.1f}: " + ", ".join(
                f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()))
            return 0
        store = RedisStore(re.search(r"rooms in (redis://\S+),", served.said()).group(1))
        rows = [one_round(served, store) for _ in range(args.rounds)]
        restarts = served.said().count("restarting in")
    keys = list(rows[0])
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) at the end, {os.cpu_count()} cores; "
          f"{restarts} restarts by serve.py")
    print("| round | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for k, row in enumerate(rows, 1):
        cells = [f"{row[key]:.1f} s" if isinstance(row[key], float) else str(row[key]) for key in keys]
        print(f"| {k} (worker kill #{k}) | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
