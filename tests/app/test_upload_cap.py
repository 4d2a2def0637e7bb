"""The per-session upload cap (cevis_app/streamlit_hooks/) on Streamlit 1.67's own manager.

Files are counted by hand here: which ids a session still holds, and their bytes, against
what was uploaded in which order (the real-server test is tests/e2e/test_deploy_uploads.py).
"""

from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from cevis_app import streamlit_hooks


def rec(file_id: str, size: int) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name=f"{file_id}.csv", type="text/csv", data=b"x" * size)


def held(manager, session: str) -> list[str]:
    return list(manager.file_storage.get(session, {}))


def capped(max_files=3, max_bytes=1000) -> MemoryUploadedFileManager:
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    assert streamlit_hooks.cap_session_uploads(manager, max_files=max_files, max_bytes=max_bytes)
    return manager


def test_the_pinned_streamlit_has_what_the_cap_needs():
    assert streamlit_hooks.can_cap_uploads(MemoryUploadedFileManager("/x"))
    assert not streamlit_hooks.can_cap_uploads(object())


def test_a_session_keeps_its_newest_files_the_oldest_go_first():
    manager = capped(max_files=3)
    for k in range(7):
        manager.add_file("s", rec(f"f{k}", 10))
    assert held(manager, "s") == ["f4", "f5", "f6"]
    assert [r.file_id for r in manager.get_files("s", ["f0", "f6"])] == ["f6"]


def test_bytes_are_capped_too_and_the_managers_own_totals_follow():
    manager = capped(max_files=10, max_bytes=1000)
    for k, size in enumerate([400, 400, 300, 500]):  # 1600 bytes uploaded in all
        manager.add_file("s", rec(f"f{k}", size))
    assert held(manager, "s") == ["f2", "f3"]  # 800 bytes: dropping f0 alone left 1200
    stats = manager.get_stats()["cache_memory_bytes"][0]
    assert stats.byte_length == 800  # the manager's own count (its /_stcore/metrics)


def test_sessions_are_capped_apart_and_a_replaced_file_is_not_counted_twice():
    manager = capped(max_files=2)
    for session in ("a", "b"):
        manager.add_file(session, rec("one", 10))
        manager.add_file(session, rec("two", 10))
    manager.add_file("a", rec("one", 20))  # the same id again: a replacement, still 2 files
    assert held(manager, "a") == ["one", "two"] and held(manager, "b") == ["one", "two"]
    manager.add_file("a", rec("three", 10))
    assert held(manager, "a") == ["two", "three"] and held(manager, "b") == ["one", "two"]


def test_installing_twice_wraps_once_and_no_runtime_is_a_logged_fallback(caplog):
    manager = capped(max_files=1)
    assert streamlit_hooks.cap_session_uploads(manager, max_files=1)
    manager.add_file("s", rec("a", 1))
    manager.add_file("s", rec("b", 1))
    assert held(manager, "s") == ["b"]
    assert streamlit_hooks.upload_manager() is None  # no Runtime in a plain test process
    assert not streamlit_hooks.cap_session_uploads()
    assert "not capped" in caplog.text
