"""Home: what cevis is and what each page teaches."""

import streamlit as st

from cevis_app.nav import all_pages

st.title("cevis: see what cross-entropy does")
with st.container(border=True):
    st.page_link("app_pages/lessons.py", label="**Start here: the lessons**", icon=":material/school:")
    st.markdown("Seven short lessons in order, from why the loss is −log p to training. Predict "
                "first, then see the answer and why.")
st.markdown(
    "Cross-entropy is the loss almost every classifier is trained with. Here you move the "
    "numbers yourself and watch the probabilities, the loss and the gradient answer. Every "
    "number comes from `cevis`, a small numpy package that computes exactly what "
    "`torch.nn.functional.cross_entropy` computes."
)
for page in all_pages():
    if page.blurb:
        with st.container(border=True):
            st.page_link(page.file, label=f"**{page.title}**", icon=page.icon)
            st.markdown(page.blurb)
st.caption("Every page keeps its settings in the address bar: copy the link to share exactly "
           "what you see.")
