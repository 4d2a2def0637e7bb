"""The server tuning: TCP_NODELAY on Streamlit's sockets, and the frozen start-up heap."""

import gc
import socket

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
