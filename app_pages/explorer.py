"""Explorer: move the logits, pick the true class, watch p, the loss and the gradient."""

import streamlit as st

from cevis import InputError
from cevis_app.text import escape
from cevis_app.views.presets import EXPLORER_PRESETS
from cevis_app.widgets import controls
from cevis_app.widgets import present
from cevis_app.widgets import presets
from cevis_app.widgets import room
from cevis_app.widgets import room_follow
from cevis_app.widgets import shared_sample
from cevis_app.widgets import url_values

P = "explorer"  # widget keys and URL parameters start with this
PAGE = "explorer"  # url_path (cevis_app/nav.py): a room's teacher publishes it
EXACT_LABEL = "Exact logits (steps of 0.01 with the arrow keys)"

st.title("Explorer")
st.caption("Cross-entropy of one sample: the logits z go through softmax, the true class y "
           "picks one probability, and the loss is −log of it (log is the natural log, ln).")

controls.start_page(P)
following = room.following()  # a student following the teacher: the view, not the controls
if not following:
    if not present.active():  # presenting: the buttons say what they are
        st.write("**Presets**")
    presets.preset_buttons(P, EXPLORER_PRESETS)
    names, temperature = shared_sample.sidebar_controls(P)


def view(names=None, temperature=None):
    """The preset's lesson, the live view and the controls under it; a session outside a room
    has it as a fragment (``view_alone``)."""
    # the lesson of a preset goes under the buttons, shown while the view still matches it;
    # the live view goes on top, filled once the controls below have given its values
    lesson_box, live_box = st.empty(), st.container()
    left, right = controls.sample_columns()
    if following:
        names, logits, true_index, temperature = shared_sample.followed_sample(left)
    else:
        # the second set of logit controls is for exact values (0.01 steps by keyboard), folded
        # away so that it never shows a second, stale number while a handle above is held
        exact = right.expander(EXACT_LABEL, icon=":material/tune:")
        true_index, logits = shared_sample.column_controls(left, names, logits_box=exact)
    # ---- the live view: drag a logit, the temperature or all logits at once; the class table
    # and the formulas inside it follow the pointer too (every number from cevis's tables); in a
    # room a follower's view alone follows the teacher's moves (a fragment, not the page, reruns)
    with live_box:
        try:
            room_follow.sample_live(PAGE, P, names, logits, true_index, temperature)
        except InputError as err:
            st.error(escape.markdown(err))
            st.stop()
    with left:
        st.caption("Drag a handle above, or use its keys (arrows: 0.1, Page Up/Down: 1, Home/End): "
                   "every number on the page follows the pointer, each one cevis's value for "
                   "that position. Letting go sets the link.")
    controls.show_preset_lesson(lesson_box, P, EXPLORER_PRESETS)


@st.fragment
def view_alone(names, temperature, t_state):
    """``view`` as a fragment (issue 26): a release of the live view, a logit slider or the true
    class reruns this, not the page (~40 % less server CPU: no sidebar, presets, room bar or
    style block), and the sliders in it take the commit, so the link follows too. A commit
    that moved T (its slider is outside, in the sidebar) reruns the page. ``t_state``: T's key
    as the page's run read it (in that run it is unchanged, so the page never loops)."""
    if st.session_state.get(f"{P}.T") != t_state:
        st.rerun(scope="app")
    view(names, temperature)
    st.session_state[url_values.SWITCHED] = False  # the view's arrival shows once, not per rerun


if following:
    view()
elif room.role() is None:
    view_alone(names, temperature, st.session_state.get(f"{P}.T"))
else:  # a room's teacher (whose runs publish what they show) or a student exploring alone
    view(names, temperature)
st.markdown(
    "A gradient-descent step moves every logit against its gradient: the true class's logit "
    "(negative gradient, the bar below zero marked ↑) goes up, every other logit (positive, "
    "above zero, marked ↓) goes down, each in proportion to the probability it took. When p(y) "
    "is near 1 the gradient vanishes; when the model is confidently wrong it is as large as it "
    "gets."
)
