"""Lessons: an ordered path through cross-entropy, one step at a time, predicting before seeing."""

import streamlit as st

from cevis_app.widgets import lesson

st.title("Lessons")
st.caption("Seven short lessons, in order. Most steps ask you to predict first: answer, press "
           "“Check my answer”, then see the charts and why. The address bar keeps the lesson "
           "and step, so a link opens exactly here.")

lesson_index, step_index = lesson.read_position()
lesson.lesson_picker(lesson_index)
lesson.show_step(lesson_index, step_index)
