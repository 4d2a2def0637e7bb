"""Keep a deployment's processes alive: each part restarted with backoff, given up past a limit.

A part is a named command with a log file. When its process exits, the part is started
again after a delay that doubles with each quick death (BACKOFF_FIRST, 2x, 4x, ... up to
BACKOFF_CAP); a run that lasted STABLE_SECONDS resets the count. After GIVE_UP_AFTER quick
deaths in a row the part is left down with a message naming its log, and the caller
decides what that means (serve.py stops only when nothing can be served any more).
A part's death never touches the other parts. Time comes from an injected clock, so the
policy is tested without sleeping (tests/e2e/test_deploy_supervisor.py).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

BACKOFF_FIRST = 1.0  # s before the first restart: a one-off crash is back almost at once
BACKOFF_CAP = 30.0  # s: a crash loop costs at most one start every 30 s
STABLE_SECONDS = 60.0  # a run this long was not a crash loop: the next death starts the count anew
GIVE_UP_AFTER = 6  # quick deaths in a row (after waits of 1+2+4+8+16 s) before leaving it down
LOG_TAIL_BYTES = 1500  # of a given-up part's log, shown in its message


def backoff(failures: int) -> float:
    """The wait before restarting a part that died `failures` times in a row (failures >= 1).

    >>> [backoff(n) for n in range(1, 8)]
    [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    """
    return min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** (failures - 1))


@dataclass
class Part:
    """One supervised process: `start()` spawns it and returns the Popen."""

    name: str
    start: Callable[[], subprocess.Popen]
    log: pathlib.Path
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # quick deaths in a row
    restart_at: float | None = None  # when a dead part is due to start again
    given_up: bool = False
    restarts: int = field(default=0)  # over the whole run, for the operator's summary


class Supervisor:
    """Restart dead parts with backoff; call `check()` about once a second."""

    def __init__(self, parts: list[Part], clock=time.monotonic, say=print):
        self.parts = parts
        self.clock, self.say = clock, say

    def start_all(self) -> None:
        for part in self.parts:
            self._start(part)

    def _start(self, part: Part) -> None:
        part.proc = part.start()
        part.started_at, part.restart_at = self.clock(), None

    def check(self) -> list[Part]:
        """Notice deaths, schedule and perform restarts; the parts given up on this call."""
        now, gave_up = self.clock(), []
        for part in self.parts:
            if part.given_up:
                continue
            if part.restart_at is None and part.proc is not None and part.proc.poll() is not None:
                code = part.proc.returncode
                reap_group(part.proc)
                part.failures = 1 if now - part.started_at >= STABLE_SECONDS else part.failures + 1
                if part.failures >= GIVE_UP_AFTER:
                    part.given_up = True
                    gave_up.append(part)
                    self.say(f"cevis: {part.name} exited ({code}) {part.failures} times in a row, "
                             f"each within {STABLE_SECONDS:g} s of starting; not restarting it. "
                             f"Its log, {part.log}, ends:\n{log_tail(part.log)}")
                    continue
                delay = backoff(part.failures)
                part.restart_at = now + delay
                self.say(f"cevis: {part.name} exited ({code}); restarting in {delay:g} s "
                         f"(death {part.failures} of {GIVE_UP_AFTER} before giving up; log {part.log})")
            if part.restart_at is not None and now >= part.restart_at:
                part.restarts += 1
                self._start(part)
                self.say(f"cevis: {part.name} restarted (pid {part.proc.pid})")
        return gave_up


def reap_group(proc: subprocess.Popen) -> None:
    """Kill what a dead part left in its process group (nginx's workers outlive a killed
    master and keep its port; a forked redis child may linger)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def log_tail(path: pathlib.Path) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - LOG_TAIL_BYTES))
            return f.read().decode("utf-8", "replace")
    except OSError as err:
        return f"(unreadable: {err})"
