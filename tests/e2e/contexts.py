"""Browser contexts that keep their HTTP cache from test to test, and nothing else.

A new Playwright context starts with an empty cache: each one downloads and compiles
Streamlit's ~60 scripts again, and plotly's 3.5 MB on the first page with a chart, about
a second per context on a busy 2-core machine. The browser tests open ~150 of them.

`ContextPool.take(**options)` gives a context made with these options; `give_back(context)`
clears the storage of every origin its pages visited (localStorage, where Streamlit keeps
its theme and sidebar state, IndexedDB, service workers, Cache Storage), closes its pages
and clears its cookies and permissions, then keeps it for the next `take` with the same
options; a context it cannot clear so (no page left open to clear through, or an error) is
closed instead. So to the app a taken context is a new browser (a new device: no
cevis_device cookie, no Streamlit session, nothing stored); only the HTTP cache remains,
which holds Streamlit's static files (Cache-Control: immutable), as a returning visitor's
browser does. Tests that change a context beyond its options (init scripts, routes) make
their own.
"""

from __future__ import annotations

import contextlib
import urllib.parse

STORAGE = ("local_storage,indexeddb,websql,service_workers,cache_storage,file_systems,"
           "shared_storage,storage_buckets")  # everything an origin keeps but the HTTP cache


class ContextPool:
    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[str, list] = {}  # repr of the options -> contexts ready to take
        self.keys: dict[int, str] = {}  # id(context) -> its options' key
        self.origins: dict[int, tuple] = {}  # id(context) -> (origins its pages went to, listener)

    def take(self, **options):
        key = repr(sorted(options.items()))
        idle = self.idle.get(key)
        context = idle.pop() if idle else self.browser.new_context(**options)
        self.keys[id(context)] = key
        origins = set()

        def went(frame):
            url = urllib.parse.urlsplit(frame.url)
            if url.scheme in ("http", "https"):
                origins.add(f"{url.scheme}://{url.netloc}")

        def listener(page):
            page.on("framenavigated", went)

        context.on("page", listener)
        self.origins[id(context)] = (origins, listener)
        return context

    def give_back(self, context) -> None:
        key, (origins, listener) = self.keys.pop(id(context)), self.origins.pop(id(context))
        try:
            context.remove_listener("page", listener)
            if origins:
                cdp = context.new_cdp_session(context.pages[0])  # IndexError: no page to clear through
                for origin in origins:
                    cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE})
                cdp.detach()
            for page in list(context.pages):
                page.close()
            context.clear_cookies()
            context.clear_permissions()
        except Exception:  # nothing to clear through, or a context the test broke: not reused
            with contextlib.suppress(Exception):
                context.close()
            return
        self.idle.setdefault(key, []).append(context)

    @contextlib.contextmanager
    def fresh(self, **options):
        """``with pool.fresh(viewport=...) as context:`` a context, given back at the end."""
        context = self.take(**options)
        try:
            yield context
        finally:
            self.give_back(context)

    def close(self) -> None:
        for contexts in self.idle.values():
            for context in contexts:
                with contextlib.suppress(Exception):
                    context.close()
        self.idle.clear()
