"""What the browser tests share besides fixtures: Chromium's path and flags, a real
`streamlit run` server on a free loopback port, and waiting for a script run to end.

Tests import these from here, not from conftest.py (pytest discourages importing conftest).
"""

import contextlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from fixtures_servers import free_port
from fixtures_servers import stop

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
START_TIMEOUT = 60  # s for the server to answer its health check
SERVER_LOGS = {}  # server URL -> the file its stdout and stderr go to


@contextlib.contextmanager
def streamlit_server(env=None):
    """Start `streamlit run app.py` on a free loopback port (with ``env`` added to the
    environment); yield its URL; stop it."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="cevis-server-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    SERVER_LOGS[url] = pathlib.Path(log.name)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    out = pathlib.Path(log.name).read_text(errors="replace")
                    pytest.fail(f"streamlit did not start on {url}:\n{out}")
                time.sleep(0.2)
        yield url
    finally:
        stop(server)
        log.close()


def wait_idle(page, timeout=20_000):
    """Wait until the script has finished its run (Streamlit's status widget is gone)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def run_async(coroutine):
    """``asyncio.run`` in a thread of its own: Playwright's sync API keeps an event loop running
    in the test thread once a browser test has run, and asyncio.run refuses to nest in it."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def streamlit_slider(page, label, timeout=20_000):
    """Streamlit's own slider labelled ``label`` (the live view's handles are named like them).

    On the Explorer the logit sliders are the exact-value controls, folded under "Exact
    logits" (issue 24): the fold is opened first.
    """
    from playwright.sync_api import expect

    slider = page.get_by_test_id("stSlider").filter(has_text=label)
    fold = page.get_by_test_id("stExpander").filter(has_text="Exact logits")
    expect(slider.or_(fold).first).to_be_visible(timeout=timeout)
    if fold.count() and not fold.locator("details[open]").count():
        fold.locator("summary").click()
        expect(fold.locator("details[open]")).to_have_count(1)
    return slider.get_by_role("slider")
