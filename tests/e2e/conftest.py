"""A real `streamlit run` server on a free loopback port, and Debian's Chromium driven by Playwright.

In CI (CI=true) a missing Chromium or Playwright fails the browser tests; elsewhere they
skip with the reason, so the package tests still run on a machine without a browser.
What tests import (the server, wait_idle, ROOT) is in helpers.py.
"""

import os

import pytest
from fixtures_servers import missing

from .helpers import CHROMIUM
from .helpers import FLAGS
from .helpers import streamlit_server
from .serve_cluster import serve


@pytest.fixture(scope="session")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def faults_cluster(tmp_path_factory):
    """`deploy/serve.py --workers 2 --expose-upstream`, whose parts the fault tests kill, stall
    and fill (test_deploy_faults.py, then test_room_failover.py): each leaves it recovered,
    as the next one checks, so one start serves both files."""
    pytest.importorskip("redis")
    with serve(tmp_path_factory.mktemp("faults"), "--workers", "2", "--expose-upstream") as served:
        yield served


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    if not os.path.exists(CHROMIUM):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
