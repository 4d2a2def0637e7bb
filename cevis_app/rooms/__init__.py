"""Classroom rooms: a teacher publishes a view state, students follow and answer.

`get_store()` is the store every page uses: Redis when CEVIS_REDIS_URL is set (several
server processes share rooms), else one in-process store per server process.
"""

from cevis_app.rooms.factory import get_store
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import RoomStore
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.rooms.store import Snapshot
from cevis_app.rooms.store import Tally

__all__ = [
    "RoomError",
    "RoomStore",
    "RoomUnavailable",
    "Snapshot",
    "Tally",
    "get_store",
]
