"""The parts of every run's new_session message that only the config decides, built once.

Streamlit 1.67 starts each script run with a new_session message whose ``config`` and
``custom_theme`` (the [theme] section and its five sub-sections) it fills from the config
options anew: ``app_session._populate_config_msg`` and ``_populate_theme_msg``, each option
read under the config lock, ~0.7 ms a run on the event loop's thread (measured: 2,000 builds,
this machine), about a twentieth of an Explorer run and time in which no other session's
message is sent. They depend on the config alone, so this builds each once per config parse
(Streamlit parses once at start; ``config.on_config_parsed`` clears the copies if it parses
again) and merges the kept bytes into the fresh message, which is the same message.
Fallback when the functions are missing: Streamlit's own, every run.
"""

from __future__ import annotations

from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has

POPULATORS = ("_populate_config_msg", "_populate_theme_msg")  # app_session's, wrapped by `kept`
# (Streamlit's function, its args) -> the message it fills, serialized; a dict's get, set and
# clear are each atomic, and two threads building one entry at once build the same bytes
_built: dict[tuple, bytes] = {}


@capability("run_message_config")
def _populators():
    try:
        from streamlit import config
        from streamlit.runtime import app_session
    except ImportError:
        return None
    if not all(callable(getattr(app_session, n, None)) for n in POPULATORS) \
            or not callable(getattr(config, "on_config_parsed", None)):
        return None
    return app_session, config


def kept(populate):
    """``populate(msg, *args)``, its result built once per distinct args and merged after."""
    def build_once(msg, *args):
        key = (populate, *args)
        data = _built.get(key)
        if data is None:
            fresh = type(msg)()
            populate(fresh, *args)
            data = _built[key] = fresh.SerializeToString(deterministic=True)
        if data:  # (merging nothing would still mark an unset sub-message as set)
            msg.MergeFromString(data)
    build_once.__wrapped__ = populate
    return build_once


def forget() -> None:
    """Drop the built parts (the config was parsed again)."""
    _built.clear()


def keep_config_parts() -> bool:
    """Install the once-built config and theme parts (once per process). False: Streamlit's own."""
    found = _populators() if has("run_message_config") else None
    if found is None:
        _fallback("run_message_config", "each run's new_session reads the config anew")
        return False
    app_session, config = found
    for name in POPULATORS:
        current = getattr(app_session, name)
        if getattr(current, "__wrapped__", None) is None:
            setattr(app_session, name, kept(current))
    config.on_config_parsed(forget, force_connect=True)
    return True
