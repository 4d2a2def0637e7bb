"""The process-wide room store: Redis if CEVIS_REDIS_URL is set, else in this process."""

from __future__ import annotations

import os
import threading

from cevis_app.rooms.memory import MemoryStore

REDIS_URL_VARIABLE = "CEVIS_REDIS_URL"  # e.g. redis://127.0.0.1:6379/0 (deploy/ sets it)
PREFIX_VARIABLE = "CEVIS_ROOM_PREFIX"  # the Redis keys' prefix (tests give each server its own)

_lock = threading.Lock()
_stores: dict = {}  # url ("" for in-process) -> store, one per server process


def get_store(environ=os.environ):
    """The shared store: every session of this process gets the same one."""
    url = environ.get(REDIS_URL_VARIABLE, "").strip()
    with _lock:
        if url not in _stores:
            if url:
                from cevis_app.rooms.redis_store import RedisStore  # redis-py only when asked for

                prefix = environ.get(PREFIX_VARIABLE, "").strip()
                _stores[url] = RedisStore(url, **({"prefix": prefix} if prefix else {}))
            else:
                _stores[url] = MemoryStore()
        return _stores[url]
