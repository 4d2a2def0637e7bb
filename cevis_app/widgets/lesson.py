"""A lesson step on screen: its text, the prediction asked first, the reveal, and the way on.

The URL holds the position (``?lesson=3&step=4``, 1-based) and is the one source of
truth: the buttons' callbacks write it, every run reads it. A learner's answer lives in
``st.session_state["lesson.<key>.<step>.answer"]``; "Check my answer" copies it to
``...committed``, and only then is the view drawn, with the answer and the why.
Button keys ``lesson.prev`` / ``lesson.next`` are stable for keyboard shortcuts; on the
last step of the last lesson ``lesson.next`` is *Finish*, which shows a summary.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.text.escape import markdown as plain  # the one escaper: lesson texts never render as markup
from cevis_app.views import lessons as data
from cevis_app.views.lesson_truths import setup
from cevis_app.widgets import present
from cevis_app.widgets.lesson_views import show_preview
from cevis_app.widgets.lesson_views import show_view

FINISHED = "lesson.finished"  # session flag: Finish was pressed on the last step
INPUT_WIDTH = 320  # px: an estimate is a short number; a full-width box reads as a text field

# → and ← step through a lesson: click the page's own "Next step →" / "← Previous" buttons,
# unless a control has the focus (a slider's own arrow keys must keep working). Mounted with
# the buttons only (not on every page: a component costs every run ~0.4 ms); the listener
# stays installed in the window once it is.
KEYS_JS = """
export default function () {
  if (window.__cevisLessonKeys) return;
  window.__cevisLessonKeys = true;
  const LABELS = {ArrowRight: "Next step →", ArrowLeft: "← Previous"};
  const BUSY = "input, textarea, select, [role=slider], [role=listbox], [role=grid], " +
               "[contenteditable=true], [data-testid=stDataFrame], .js-plotly-plot";
  document.addEventListener("keydown", (event) => {
    const label = LABELS[event.key];
    if (!label || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.shiftKey) return;
    const target = event.target;
    if (target && target.closest && target.closest(BUSY)) return;
    const button = [...document.querySelectorAll("button")]
      .find((b) => b.innerText.trim() === label && !b.disabled);
    if (button) { event.preventDefault(); button.click(); }
  });
}
"""
# nothing to see: no gap in the column the buttons are in
_lesson_keys = st.components.v2.component(
    "cevis_lesson_keys", js=KEYS_JS, css=".st-key-cevis-lesson-keys { display: none; }",
    isolate_styles=False)


def read_position() -> tuple[int, int]:
    """The 0-based (lesson, step) of the URL, clamped; a note and a clean URL if it was off."""
    li, si, note = data.position(st.query_params.get("lesson"), st.query_params.get("step"))
    if note:
        st.info(plain(note), icon=":material/info:")
    _point_url(li, si)
    return li, si


def go(li: int, si: int) -> None:
    """Button callback: go to lesson ``li``, step ``si`` (0-based), leaving the finish summary."""
    st.session_state.pop(FINISHED, None)
    _point_url(li, si)


def _point_url(li: int, si: int) -> None:
    """Point the URL at lesson ``li``, step ``si`` (0-based)."""
    for name, value in (("lesson", str(li + 1)), ("step", str(si + 1))):
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def _keys(li: int, si: int) -> tuple[str, str]:
    base = f"lesson.{data.LESSONS[li].key}.{si + 1}"
    return f"{base}.answer", f"{base}.committed"


def _commit(li: int, si: int) -> None:
    answer_key, committed_key = _keys(li, si)
    st.session_state[committed_key] = st.session_state.get(answer_key)


def _retry(li: int, si: int) -> None:
    st.session_state.pop(_keys(li, si)[1], None)


def _pick_lesson(key: str) -> None:
    go(st.session_state[key], 0)


def lesson_picker(li: int) -> None:
    """A select box of every lesson; choosing one opens its first step."""
    key = "lesson.pick"
    st.session_state[key] = li  # follows the URL, which the buttons may have moved
    st.selectbox("Lesson", range(len(data.LESSONS)), key=key, on_change=_pick_lesson,
                 args=(key,), format_func=lambda i: f"{i + 1}. {data.LESSONS[i].title}")
    st.caption("Predict first, then check: the charts and the why appear after you commit. "
               "The address bar keeps the lesson and step, so a link opens exactly here.")


def _ask(li: int, si: int, step: data.Step) -> bool:
    """The question's input and "Check my answer"; True once an answer is committed.

    Once committed, the input gives way to the question in plain text: the result
    message repeats the answer given.
    """
    q = step.question
    answer_key, committed_key = _keys(li, si)
    if st.session_state.get(committed_key) is not None:
        st.markdown(f"**Your prediction:** {plain(q.prompt)}")
        st.button("Try another answer", key=f"{answer_key}.retry", on_click=_retry,
                  args=(li, si), icon=":material/undo:")
        return True
    if q.kind == "choice":
        labels = data.options(step)
        st.radio(q.prompt, range(len(labels)), index=None, format_func=lambda i: labels[i],
                 key=answer_key)
    else:
        step_size, fmt = data.input_step(q)
        if q.slider:
            st.slider(q.prompt, float(q.low), float(q.high), float(q.low + q.high) / 2, step_size,
                      format=fmt, key=answer_key)
        else:
            st.number_input(q.prompt, float(q.low), float(q.high), None, step_size, format=fmt,
                            key=answer_key, placeholder="your estimate", width=INPUT_WIDTH)
    st.button("Check my answer", key=f"{answer_key}.check", type="primary", on_click=_commit,
              args=(li, si), icon=":material/check:")
    if committed_key in st.session_state:  # Check was pressed with nothing chosen
        st.warning("Pick an option first." if q.kind == "choice" else
                   f"Enter a number between {q.low:g} and {q.high:g} first.")
    return False


def _reveal(li: int, si: int, step: data.Step) -> None:
    ok, message = data.check(step, st.session_state[_keys(li, si)[1]])
    (st.success if ok else st.error)(plain(message), icon=":material/check_circle:" if ok
                                     else ":material/cancel:")
    if step.why:
        st.markdown(f"**Why:** {plain(step.why)}")


def _finish() -> None:
    st.session_state[FINISHED] = True


def _nav(li: int, si: int) -> None:
    last_step = si == len(data.LESSONS[li].steps) - 1
    prev = (li, si - 1) if si > 0 else (li - 1, len(data.LESSONS[li - 1].steps) - 1) if li else None
    nxt = (li, si + 1) if not last_step else (li + 1, 0) if li + 1 < len(data.LESSONS) else None
    # a horizontal container stays one row on a phone, where st.columns would stack
    row = st.container(horizontal=True, wrap=False, key="lesson.nav")
    _lesson_keys(key="cevis-lesson-keys")
    row.button("← Previous", key="lesson.prev", on_click=go, args=prev or (li, si),
              disabled=prev is None, width="stretch")
    if nxt is None:  # the end of the last lesson: a way to finish, not a disabled button
        row.button("Finish", key="lesson.next", on_click=_finish, type="primary",
                   icon=":material/flag:", width="stretch")
        if st.session_state.get(FINISHED):
            _finished()
        return
    row.button("Next lesson →" if last_step else "Next step →", key="lesson.next",
               on_click=go, args=nxt, type="primary", width="stretch")


def _score() -> tuple[int, int, int]:
    """(questions, answered, right) over every lesson, from this session's committed answers."""
    asked = answered = right = 0
    for li, lesson in enumerate(data.LESSONS):
        for si, step in enumerate(lesson.steps):
            if step.question is None:
                continue
            asked += 1
            given = st.session_state.get(_keys(li, si)[1])
            if given is not None:
                answered += 1
                right += data.check(step, given)[0]
    return asked, answered, right


def _finished() -> None:
    """The summary after Finish: what was covered, how the predictions went, where to go next."""
    asked, answered, right = _score()
    steps = sum(len(lesson.steps) for lesson in data.LESSONS)
    with st.container(border=True, key="lesson.finish"):
        st.subheader("You have finished the lessons")
        st.markdown(f"{len(data.LESSONS)} lessons, {steps} steps, {asked} predictions asked. "
                    f"You committed {answered} of them and {right} were right.")
        st.button("Start again from lesson 1", key="lesson.restart", on_click=go, args=(0, 0),
                  icon=":material/restart_alt:")
        st.page_link("app_pages/explorer.py", label="Open the Explorer and try it yourself",
                     icon=":material/tune:")


def show_step(li: int, si: int) -> None:
    """Lesson ``li``, step ``si`` (0-based): progress, text, question, answer, way on, view."""
    lesson = data.LESSONS[li]
    step = lesson.steps[si]
    n = len(lesson.steps)
    key = f"lesson.{lesson.key}.{si + 1}"
    where = f"Lesson {li + 1} of {len(data.LESSONS)}"
    if not present.active():  # presenting: one line less, the progress bar says it
        st.caption(where)
    st.header(lesson.title)
    st.progress((si + 1) / n, text=f"Step {si + 1} of {n}" + (f" · {where.lower()}"
                                                             if present.active() else ""))
    # presenting: the view beside the text, so a reveal and its chart share one screen
    text, view = (st.columns([2, 3], gap="medium") if present.active()
                  else (st.container(), st.container()))
    view = view.container(key="lesson-view")
    text.markdown(plain(step.text))
    if step.question is None:
        with text:
            _nav(li, si)
        with view:
            show_view(step.view, key)
        return
    lines = setup(step.view)
    with text:
        if lines:
            st.caption("  \n".join(plain(line) for line in lines))
        committed = st.session_state.get(_keys(li, si)[1])
        if committed is None:
            with view if present.active() else text:  # presenting: beside the question
                show_preview(step.view, key)
        revealed = _ask(li, si, step)
        if revealed:
            _reveal(li, si, step)
        _nav(li, si)
    if revealed:
        with view:
            show_view(step.view, key, guess=committed if step.question.kind == "estimate" else None)
