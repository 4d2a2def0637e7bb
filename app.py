"""cevis: the router. Every page lives in app_pages/; the page table is cevis_app/nav.py.

The folder is not called pages/: Streamlit treats a pages/ folder as a legacy multipage
app until the main script has run once, so a fresh server would open a shared deep link
(/explorer) without this router: no wide layout, no sections, the raw file names.
"""

import streamlit as st

from cevis_app.widgets import identity
from cevis_app.widgets import navigation
from cevis_app.widgets import present
from cevis_app.widgets import room_gate
from cevis_app.widgets.room_bar import room_bar
from cevis_app.widgets.room_publish import publish
from cevis_app.widgets.startup import once_per_process

once_per_process()  # server tuning (short garbage collections, no Nagle delays), rerun bound

st.set_page_config(page_title="cevis · cross-entropy explorer", page_icon=":material/functions:",
                   layout="wide")
# one flat list: Streamlit draws sections as <div>s inside its <ul> (axe-core's "list" and
# "listitem" rules fail on every page); the order still follows nav.SECTIONS
page = st.navigation(navigation.pages())  # made once per process
identity.mount(page.url_path)  # the browser's device cookie: rooms know browsers, not sessions
with room_gate.turn():  # a room's wave of page runs goes one at a time
    bar = room_bar(page.url_path)  # a classroom room, if this browser is in one: follow
    present.setup()  # every page: the presentation toggle (?present=1), the app's style block
    try:
        page.run()
    finally:  # a teacher publishes what this run showed, if it changed (a stopped run too)
        publish(page.url_path, bar)
