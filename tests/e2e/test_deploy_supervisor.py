"""deploy/supervisor.py's restart policy, on stand-in processes and an injected clock.

The waits are written out by hand (1, 2, 4, 8, 16 s, then given up at the 6th quick
death); the real processes are killed in test_deploy_faults.py.
"""

import sys

from tests.e2e.helpers import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import supervisor  # noqa: E402
from supervisor import Part  # noqa: E402
from supervisor import Supervisor  # noqa: E402

NO_SUCH_PID = 2**22 + 7  # above Linux's largest pid: reaping its group finds nothing


class Proc:
    """A stand-in Popen: alive until `die()`."""

    def __init__(self):
        self.pid, self.returncode = NO_SUCH_PID, None

    def poll(self):
        return self.returncode

    def die(self, code=1):
        self.returncode = code


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def rig(tmp_path, names=("worker 0", "worker 1")):
    clock, said, started = Clock(), [], {name: [] for name in names}

    def starter(name):
        def start():
            started[name].append(Proc())
            return started[name][-1]
        return start

    parts = [Part(name, starter(name), tmp_path / f"{name}.log") for name in names]
    for part in parts:
        part.log.write_text(f"{part.name} log line\n" * 3 + "Traceback: the cause\n")
    sup = Supervisor(parts, clock=clock, say=said.append)
    sup.start_all()
    return sup, clock, said, started


def crash_and_wait(sup, clock, started, name, run_for=0.5):
    """Let `name`'s process run `run_for` s, die, and be restarted; the wait it got (s)."""
    clock.now += run_for
    started[name][-1].die()
    sup.check()
    died_at = clock.now
    while len(started[name]) and started[name][-1].poll() is not None:
        clock.now += 0.25
        if sup.check() or next(p for p in sup.parts if p.name == name).given_up:
            return None
    return clock.now - died_at


def test_a_crash_loop_backs_off_doubling_and_then_gives_up_with_the_log(tmp_path):
    sup, clock, said, started = rig(tmp_path)
    waits = [crash_and_wait(sup, clock, started, "worker 0") for _ in range(6)]
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, None]  # the 6th quick death: left down
    assert len(started["worker 0"]) == 6 and len(started["worker 1"]) == 1  # the other untouched
    assert "not restarting it" in said[-1] and "Traceback: the cause" in said[-1]
    assert str(tmp_path / "worker 0.log") in said[-1]
    clock.now += 100
    assert sup.check() == [] and len(started["worker 0"]) == 6  # given up stays given up


def test_a_run_that_lasted_resets_the_backoff(tmp_path):
    sup, clock, _, started = rig(tmp_path)
    assert [crash_and_wait(sup, clock, started, "worker 1") for _ in range(3)] == [1.0, 2.0, 4.0]
    long_run = supervisor.STABLE_SECONDS + 1
    assert crash_and_wait(sup, clock, started, "worker 1", run_for=long_run) == 1.0
    assert crash_and_wait(sup, clock, started, "worker 1") == 2.0


def test_the_backoff_is_capped():
    assert [supervisor.backoff(n) for n in (1, 5, 6, 40)] == [1.0, 16.0, 30.0, 30.0]
