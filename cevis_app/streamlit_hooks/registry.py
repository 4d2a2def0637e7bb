"""The capability registry of streamlit_hooks: each hook's check, run once, and its fallback's
one warning. Every submodule registers its checks here with ``@capability``."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

LOG = logging.getLogger("cevis_app.streamlit_hooks")
_LOG = LOG
CAPABILITIES: dict[str, Callable[[], object]] = {}  # name -> check (a truthy result: present)


def capability(name: str):
    """Register a check under ``name``: called at most once per process (its result is kept)."""
    def register(check):
        cached = functools.cache(check)
        CAPABILITIES[name] = cached
        return cached
    return register


def has(name: str) -> bool:
    """Whether capability ``name`` is present (checked once per process)."""
    return bool(CAPABILITIES[name]())


def capabilities() -> dict[str, bool]:
    """``{name: present}`` for every capability this module checks, in name order."""
    return {name: bool(check()) for name, check in sorted(CAPABILITIES.items())}


@functools.cache
def _fallback(name: str, fallback: str) -> None:
    """Say once per process that a capability is missing and which fallback is taken."""
    LOG.warning("cevis: this Streamlit lacks %s; fallback: %s", name, fallback)

