"""Suite-wide settings, and the shared real-server fixtures (see fixtures_servers.py)."""

import shutil

import pytest
from fixtures_servers import missing
from fixtures_servers import redis_server


@pytest.fixture(scope="session")
def redis_url():
    """The URL of a real redis-server on a free loopback port, for the whole session."""
    try:
        import redis  # noqa: F401 - the store needs it; checked here for a clear message
    except ImportError:
        missing("redis-py is not installed (pip install redis)")
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed (apt-get install redis-server)")
    with redis_server() as url:
        yield url
