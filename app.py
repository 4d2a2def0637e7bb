"""cevis: the router. Every page lives in pages/; this file only frames and routes them."""

import streamlit as st

st.set_page_config(page_title="cevis · cross-entropy explorer", page_icon=":material/functions:",
                   layout="wide")

PAGES = {
    "Start": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Multiclass": [
        st.Page("pages/explorer.py", title="Explorer", icon=":material/tune:",
                url_path="explorer"),
    ],
}

st.navigation(PAGES).run()
