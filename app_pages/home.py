"""Home: what cevis is and what each page teaches."""

import streamlit as st

st.title("cevis: see what cross-entropy does")
st.markdown(
    "Cross-entropy is the loss almost every classifier is trained with. Here you move the "
    "numbers yourself and watch the probabilities, the loss and the gradient answer. Every "
    "number comes from `cevis`, a small numpy package that computes exactly what "
    "`torch.nn.functional.cross_entropy` computes."
)

with st.container(border=True):
    st.page_link("app_pages/explorer.py", label="**Explorer**", icon=":material/tune:")
    st.markdown(
        "Drag the logits of up to ten classes, pick the true class and a temperature. See the "
        "softmax probabilities, the point on the −log p curve, the gradient "
        "softmax(z) − onehot(y) and the formulas with your numbers in them. Presets: uniform, "
        "confidently right, confidently wrong, and the panda/seal/duck example."
    )

st.caption("Every page keeps its settings in the address bar: copy the link to share exactly "
           "what you see.")
