"""cevis: the router. Every page lives in app_pages/; this file only frames and routes them.

The folder is not called pages/: Streamlit treats a pages/ folder as a legacy multipage
app until the main script has run once, so a fresh server would open a shared deep link
(/explorer) without this router: no wide layout, no sections, the raw file names.
"""

import streamlit as st

from cevis.ui import tune_process

tune_process()  # once per server process: short garbage collections, no Nagle delays

st.set_page_config(page_title="cevis · cross-entropy explorer", page_icon=":material/functions:",
                   layout="wide")

PAGES = {
    "Start": [
        st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Binary": [
        st.Page("app_pages/binary.py", title="Binary cross-entropy", icon=":material/join:",
                url_path="binary"),
    ],
    "Multiclass": [
        st.Page("app_pages/explorer.py", title="Explorer", icon=":material/tune:",
                url_path="explorer"),
        st.Page("app_pages/batch.py", title="Batch and options", icon=":material/table:",
                url_path="batch"),
    ],
    "Training": [
        st.Page("app_pages/gradients.py", title="Gradients", icon=":material/functions:",
                url_path="gradients"),
        st.Page("app_pages/descent.py", title="Gradient descent", icon=":material/trending_down:",
                url_path="descent"),
        st.Page("app_pages/training.py", title="Training on Iris", icon=":material/local_florist:",
                url_path="training"),
    ],
    "Pitfalls": [
        st.Page("app_pages/stability.py", title="Stability and mistakes", icon=":material/warning:",
                url_path="stability"),
    ],
}

st.navigation(PAGES).run()
