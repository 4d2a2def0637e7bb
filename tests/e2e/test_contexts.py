"""The context pool (contexts.py): a context given back and taken again keeps nothing an app
could see, only its HTTP cache; one it cannot clear is not reused."""

from .contexts import ContextPool
from .helpers import wait_idle

SIZE = {"viewport": {"width": 800, "height": 600}}


def test_a_reused_context_keeps_no_cookie_storage_or_page(browser, app_url):
    pool = ContextPool(browser)
    try:
        context = pool.take(**SIZE)
        page = context.new_page()
        page.goto(f"{app_url}/explorer")
        wait_idle(page)
        page.evaluate("() => { localStorage.setItem('left', '1'); document.cookie = 'left=1'; }")
        state = context.storage_state(indexed_db=True)
        assert state["cookies"] and state["origins"]  # the check below can fail
        pool.give_back(context)

        again = pool.take(**SIZE)
        assert again is context and again.pages == []  # reused, and empty
        state = again.storage_state(indexed_db=True)
        assert state["cookies"] == [] and state["origins"] == [], state
        other = pool.take(viewport={"width": 390, "height": 844})
        assert other is not context  # other options: another context
        pool.give_back(other)
        pool.give_back(again)
    finally:
        pool.close()


def test_a_context_that_cannot_be_cleared_is_closed(browser, app_url):
    pool = ContextPool(browser)
    try:
        context = pool.take(**SIZE)
        page = context.new_page()
        page.goto(f"{app_url}/explorer")
        wait_idle(page)
        page.close()  # no page left to clear its origin's storage through
        pool.give_back(context)
        assert pool.take(**SIZE) is not context
    finally:
        pool.close()
