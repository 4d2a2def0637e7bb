"""Room changes across server processes: one Redis pub/sub channel, "<CODE> <kind>" per change.

`RedisStore` announces each publish, ask and reveal here after its write succeeded;
every process that listens (one thread per process, started by the first
`listen`) passes each announcement to its callbacks, its own announcements
included. Pub/sub is fire-and-forget: a process that is reconnecting misses
announcements, so readers still poll now and then (cevis_app/widgets/room.py).
"""

from __future__ import annotations

import logging
import threading

import redis

from cevis_app.rooms.store import CHANGE_ENDED
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import normalize_code

RETRY_FIRST, RETRY_CAP = 0.25, 8.0  # s between the listener's reconnects: doubling, capped
CONNECT_TIMEOUT = 2.0  # s; the listener's reads have none: it waits for announcements
KINDS = (CHANGE_VIEW, CHANGE_QUESTION, CHANGE_ENDED)
_LOG = logging.getLogger(__name__)


def next_delay(delay: float) -> float:
    """The wait before the next reconnect: double the last, at most RETRY_CAP.

    >>> [d := 0.25] + [d := next_delay(d) for _ in range(6)]
    [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    """
    return min(RETRY_CAP, 2 * delay)


def parse(message) -> tuple[str, str] | None:
    """(code, kind) from an announcement, or None if it is not one of ours.

    >>> parse("K7PQ2M view"), parse("K7PQ2M drop tables"), parse(b"x")
    (('K7PQ2M', 'view'), None, None)
    """
    if not isinstance(message, str) or len(message) > 64:
        return None
    code, _, kind = message.partition(" ")
    try:
        code = normalize_code(code)
    except RoomError:
        return None
    return (code, kind) if kind in KINDS else None


class ChangeFeed:
    """Announce room changes on `channel` and call listeners for everyone's announcements."""

    def __init__(self, url: str, channel: str, client: redis.Redis):
        self.url, self.channel, self.client = url, channel, client
        self._callbacks: list = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def announce(self, code: str, kind: str) -> None:
        """Tell every listening process; a failure only costs the class its next poll."""
        try:
            self.client.publish(self.channel, f"{code} {kind}")
        except redis.exceptions.RedisError:
            _LOG.warning("cevis: could not announce a change of room %s; students catch up "
                         "at their next poll", code)

    def listen(self, callback) -> None:
        with self._lock:
            self._callbacks.append(callback)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="cevis-room-changes",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        listener = redis.Redis.from_url(self.url, decode_responses=True,
                                        socket_connect_timeout=CONNECT_TIMEOUT)
        stop = threading.Event()  # never set: the thread lives as long as the process
        lost = False  # warn once per outage, not once per retry
        delay = RETRY_FIRST
        while True:
            try:
                with listener.pubsub(ignore_subscribe_messages=True) as pubsub:
                    pubsub.subscribe(self.channel)
                    if lost:
                        _LOG.warning("cevis: room change feed is back")
                    lost, delay = False, RETRY_FIRST
                    for message in pubsub.listen():
                        self._deliver(message.get("data"))
            except redis.exceptions.RedisError as err:
                if not lost:
                    _LOG.warning("cevis: room change feed lost Redis (%s); retrying with backoff "
                                 "(%g s doubling to %g s)", err, RETRY_FIRST, RETRY_CAP)
                lost = True
            stop.wait(delay)
            delay = next_delay(delay)

    def _deliver(self, data) -> None:
        change = parse(data)
        if change is None:
            return
        for callback in list(self._callbacks):
            try:
                callback(*change)
            except Exception:  # one listener's bug must not stop the feed
                _LOG.exception("cevis: room change listener failed")
