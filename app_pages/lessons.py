"""Lessons: an ordered path through cross-entropy, one step at a time, predicting before seeing."""

import streamlit as st

from cevis_app.widgets import lesson

lesson_index, step_index = lesson.read_position()
with st.sidebar:
    lesson.lesson_picker(lesson_index)
lesson.show_step(lesson_index, step_index)
