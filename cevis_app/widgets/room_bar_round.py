"""The round from any page: the teacher asks, locks and reveals from the room bar, and the
class answers on the page it is on (the lesson view stays on every phone).

widgets/room.py's room_bar calls these two; the Room page has the same round in full.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.widgets import room


def teacher_popover(bar) -> None:
    """An "Ask the class" popover in the teacher's bar: the round's controls and, once
    revealed, the class's answers."""
    from cevis_app.widgets import room_panels
    from cevis_app.widgets import room_round

    with bar.popover("Ask the class", icon=":material/quiz:"):
        question, _ = room_panels.next_question()
        room_round.teacher_round(question, compact=True)
        room_round.results()


def student_question(page: str) -> None:
    """The teacher's open (or just revealed) question above a student's page (not the Room
    page, which shows it itself)."""
    from cevis_app.widgets import room_answer

    if page == room.ROOM_PAGE:
        return
    question = (st.session_state.get(room.SNAPSHOT) or {}).get("question")
    if question:
        room_answer.student_question(question, page)
