"""README stays true: CI runs the test command it gives, and its example prints what it says."""

import doctest
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def quickstart_commands():
    block = re.search(r"## Quickstart.*?```(?:bash)?\n(.*?)```", README, re.S).group(1)
    return [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]


def test_quickstart_is_two_commands_and_ci_runs_the_test_one():
    run_app, run_tests = quickstart_commands()
    assert "streamlit run app.py" in run_app
    test_command = run_tests.split("&&")[-1].strip()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1].strip() == test_command


def test_readme_examples_print_what_they_say():
    # The notebook example is written as a doctest session: run it and compare the output.
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4
    assert result.failed == 0


def test_readme_counts_the_lessons_steps_and_questions():
    from cevis_app.views.lessons import LESSONS

    words = {7: "seven"}  # the README spells small counts out
    steps = [step for lesson in LESSONS for step in lesson.steps]
    asking = sum(step.question is not None for step in steps)
    claim = re.search(r"\*\*Lessons\*\*.*?: (\w+) lessons, (\d+) steps.*?(\d+) steps ask first",
                      README, re.S)
    assert claim, "README's Lessons paragraph no longer states the counts"
    assert claim.group(1) == words.get(len(LESSONS), str(len(LESSONS)))
    assert (int(claim.group(2)), int(claim.group(3))) == (len(steps), asking)
