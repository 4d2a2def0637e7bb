"""The server tuning: TCP_NODELAY on Streamlit's sockets, and the frozen start-up heap."""

import gc
import pathlib
import socket
import sys

from cevis_app import server
from cevis_app.server import no_delay_on_tcp_sockets


def test_tcp_sockets_get_no_delay_and_accepted_ones_inherit_it():
    # bound as Streamlit 1.67 binds its server socket: protocol 0, so asyncio leaves Nagle on
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    unix = socket.socket(socket.AF_UNIX)
    try:
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert no_delay_on_tcp_sockets([listener, unix, "not a socket"]) == 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()
        unix.close()


def test_freeze_startup_heap_moves_live_objects_out_of_the_collectors_reach():
    keep = [object() for _ in range(10)]  # noqa: F841 (alive across the freeze)
    try:
        server.freeze_startup_heap()
        assert gc.get_freeze_count() > 10
    finally:
        gc.unfreeze()


def test_warm_imports_loads_every_module_on_disk_but_the_optional_redis_ones():
    root = pathlib.Path(server.__file__).resolve().parents[1]
    on_disk = {".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
               for folder in ("cevis", "cevis_app") for p in (root / folder).rglob("*.py")}
    packages = {"cevis", "cevis_app"}  # walk_packages lists what is inside them
    redis = {m for m in on_disk if m.startswith("cevis_app.rooms.redis_")}
    assert redis, "the optional modules moved: update NOT_WARMED"
    assert set(server.app_modules()) == on_disk - packages - redis
    assert server.warm_imports() == len(on_disk - packages - redis)
    assert (on_disk - redis) <= set(sys.modules)
