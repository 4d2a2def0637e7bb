"""Tuning of the server process, done once at start: each measured, named and logged.

1. ``freeze_startup_heap``: Python's full garbage collections scan every tracked object;
   with plotly and pandas loaded that is hundreds of thousands of long-lived objects, and
   a collection landing in a rerun added 30-40 ms to it. Objects alive after start-up are
   frozen (skipped by later collections). Done once: freezing on every rerun would also
   freeze each rerun's garbage, a leak. (``runner.postScriptGC = false`` in config.toml is
   the other half.)
2. ``disable_nagle_on_server_sockets``: Streamlit 1.67 binds its listening socket as
   ``socket.socket(family)``, protocol 0 (streamlit/web/server/starlette/starlette_server.py,
   ``_bind_socket``), and asyncio sets TCP_NODELAY only on sockets whose protocol is
   IPPROTO_TCP. So every websocket had Nagle's algorithm on: a change made right after the
   last one finished waited for the client's delayed ACK (~48 ms instead of ~12). Sockets
   accepted later inherit the option from the listening one (Linux). Delete this when
   Streamlit sets TCP_NODELAY itself: the count logged then stays 0 or the option is already on.
   (uvloop, which Streamlit would run on if it were installed, sets TCP_NODELAY itself:
   bench/RESULTS_class.md, tenth session.)
Tested in tests/app/test_server.py.
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import socket

LOG = logging.getLogger("cevis_app.server")


# Modules left out of the warm-up: they need a package the default install lacks (redis:
# only the multi-worker setup installs it, and imports them only then).
NOT_WARMED = ("cevis_app.rooms.redis_",)


def app_modules() -> list[str]:
    """Every module of cevis and cevis_app, found by walking the packages (none listed by hand)."""
    import cevis
    import cevis_app

    names = []
    for package in (cevis, cevis_app):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith(NOT_WARMED):
                names.append(info.name)
    return sorted(names)


def warm_imports() -> int:
    """Import every module of cevis and cevis_app, so the frozen heap holds them all (a module
    first imported by a page later lands on the unfrozen heap). Returns how many were imported."""
    modules = app_modules()
    for name in modules:
        importlib.import_module(name)
    LOG.info("warmed %d modules", len(modules))
    return len(modules)


def no_delay_on_tcp_sockets(objects) -> int:
    """Set TCP_NODELAY on every open TCP socket among ``objects``; returns how many."""
    count = 0
    for obj in objects:
        if (isinstance(obj, socket.socket) and obj.type == socket.SOCK_STREAM
                and obj.family in (socket.AF_INET, socket.AF_INET6) and obj.fileno() != -1):
            try:
                obj.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
            except OSError:  # closed meanwhile, or not TCP after all: nothing to tune
                pass
    return count


def disable_nagle_on_server_sockets() -> int:
    """TCP_NODELAY on the server's open TCP sockets (found on the heap); returns the count."""
    count = no_delay_on_tcp_sockets(gc.get_objects())
    LOG.info("TCP_NODELAY set on %d server socket(s)", count)
    return count


def freeze_startup_heap() -> None:
    """Collect once, then move every object alive now out of the collector's reach."""
    gc.collect()
    gc.freeze()
    LOG.info("gc.freeze: %d objects frozen", gc.get_freeze_count())


def tune_process() -> None:
    """All of the above, in order (called once per process from app.py)."""
    warm_imports()
    disable_nagle_on_server_sockets()
    freeze_startup_heap()
