"""Uploads held per session, and memory given back (Streamlit 1.67 internals)."""

from __future__ import annotations

import ctypes

from cevis_app.streamlit_hooks.registry import LOG

# ---------------------------------------------------------------- uploads held per session
# Streamlit keeps every file a session uploads in its UploadedFileManager until the session
# is purged (streamlit/runtime/memory_uploaded_file_manager.py): one client could make a
# worker hold hundreds of MB in seconds. The app's uploads are small CSV tables, one per
# uploader, so a session keeps its newest few; the oldest go first.
MAX_UPLOAD_FILES = 4  # per session: the Binary and Batch pages hold one file each, with slack
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # per session: two files at server.maxUploadSize (1 MB)
TRIM_AFTER_BYTES = 256 * 1024  # dropped this much at once: ask malloc to give memory back


def upload_manager():
    """The running server's UploadedFileManager, or None (no Runtime: AppTest, bare mode)."""
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance().uploaded_file_mgr if Runtime.exists() else None
    except (ImportError, AttributeError, RuntimeError):
        return None


def can_cap_uploads(manager) -> bool:
    """The manager is 1.67's in-memory one: add_file/remove_file and a per-session dict."""
    return (callable(getattr(manager, "add_file", None))
            and callable(getattr(manager, "remove_file", None))
            and isinstance(getattr(manager, "file_storage", None), dict))


def cap_session_uploads(manager=None, max_files: int = MAX_UPLOAD_FILES,
                        max_bytes: int = MAX_UPLOAD_BYTES) -> bool:
    """Wrap ``manager.add_file`` so a session holds at most ``max_files`` files and
    ``max_bytes`` bytes, dropping its oldest files first; True if installed (or already).

    Fallback (a Streamlit whose manager differs, or no Runtime): uploads stay uncapped,
    bounded only by server.maxUploadSize per file and the session's lifetime; logged once.
    """
    manager = manager if manager is not None else upload_manager()
    if not can_cap_uploads(manager):
        LOG.warning("cevis: uploads per session are not capped: this Streamlit has no "
                    "in-memory UploadedFileManager with add_file/remove_file/file_storage")
        return False
    if getattr(manager.add_file, "cevis_capped", False):
        return True
    original = manager.add_file

    def add_file(session_id, file):
        original(session_id, file)
        dropped = _drop_oldest(manager, session_id, file.file_id, max_files, max_bytes)
        if dropped >= TRIM_AFTER_BYTES:
            give_memory_back()

    add_file.cevis_capped = True
    manager.add_file = add_file
    LOG.info("cevis: uploads capped at %d files, %d bytes per session", max_files, max_bytes)
    return True


def _drop_oldest(manager, session_id, newest: str, max_files: int, max_bytes: int) -> int:
    """Remove the session's oldest files (never ``newest``) until both caps hold; bytes dropped."""
    held = list(manager.file_storage.get(session_id, {}).items())  # insertion order: oldest first
    count, total, dropped = len(held), sum(len(rec.data) for _, rec in held), 0
    for file_id, rec in held:
        if count <= max_files and total <= max_bytes:
            break
        if file_id == newest:
            continue
        manager.remove_file(session_id, file_id)
        count, total, dropped = count - 1, total - len(rec.data), dropped + len(rec.data)
    return dropped


def give_memory_back() -> bool:
    """glibc's malloc_trim(0): freed heap pages go back to the system instead of staying at
    the peak. Fallback (not glibc): nothing; the freed memory is reused by later uploads."""
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False

