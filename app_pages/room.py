"""Room: a teacher opens a room and shows its code; students join, follow and answer."""

import streamlit as st

from cevis_app.widgets import room
from cevis_app.widgets import room_panels

room.join_from_link()  # ?room=CODE: the link (or QR code) a teacher shows

if room.role() == "teacher":
    room_panels.teacher_panel()  # the projector: no title, the code goes on top
elif room.role() == "student":
    room_panels.student_panel()
else:
    st.title("Room")
    st.caption("A class follows the teacher's view on their own devices and answers a question "
               "before the teacher reveals it.")
    room_panels.lobby()
