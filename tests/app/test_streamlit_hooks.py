"""cevis_app/streamlit_hooks/: which Streamlit internals the pinned version has, each hook's
effect, each named fallback, and no patch applied by importing a module.

On a Streamlit upgrade, test_the_pinned_streamlit_has_every_capability shows at once which
hook lost its footing; the app itself then takes that hook's fallback and keeps working.
"""

import json
import logging
import pathlib
import subprocess
import sys

import pytest
import streamlit
from streamlit.elements.widgets.data_editor import DataEditorSerde

from cevis_app import streamlit_hooks

ROOT = pathlib.Path(__file__).resolve().parents[2]
PINNED = "1.67.0"  # requirements.txt
PRESENT_IN_PINNED = {  # every capability streamlit_hooks checks, and whether 1.67 has it
    "coalesce_widget_states": True,
    "component_asset_dir": True,
    "data_editor_serde": True,
    "figure_json_once": True,
    "push_element": True,
    "remove_bound_query_param": True,
    "rerun_request_hook": True,
    "run_message_config": True,
    "run_page_of_app": True,
}


def test_the_pinned_streamlit_has_every_capability():
    assert streamlit.__version__ == PINNED
    assert streamlit_hooks.capabilities() == PRESENT_IN_PINNED  # a new hook is listed above too


@pytest.fixture(autouse=True)
def _warn_again():
    streamlit_hooks.registry._fallback.cache_clear()  # each test sees its own fallback's warning
    yield
    streamlit_hooks.registry._fallback.cache_clear()


def test_importing_the_app_patches_nothing():
    # Hooks are installed at start-up (widgets/startup.py), never as a side effect of an
    # import: a fresh interpreter imports every module and finds Streamlit's own methods.
    probe = """
import json
from cevis_app import server
server.warm_imports()
from streamlit.elements.widgets.data_editor import DataEditorSerde
from streamlit.runtime.app_session import AppSession
print(json.dumps([DataEditorSerde.deserialize.__module__,
                  AppSession._handle_rerun_script_request.__module__]))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "streamlit.elements.widgets.data_editor", "streamlit.runtime.app_session"]


@pytest.mark.parametrize("state", ['{"edited_rows": {"x": {"0": 1}}}', "[1, 2]", "not json", "{"])
def test_an_undecodable_editor_state_reads_as_no_edits(state):
    streamlits_own = getattr(DataEditorSerde.deserialize, "__wrapped__", DataEditorSerde.deserialize)
    with pytest.raises((ValueError, TypeError, AttributeError)):
        streamlits_own(DataEditorSerde(), state)  # Streamlit's own decoder refuses it
    assert streamlit_hooks.tolerate_undecodable_editor_states()
    assert streamlit_hooks.tolerate_undecodable_editor_states()  # twice: wrapped once
    assert not hasattr(DataEditorSerde.deserialize.__wrapped__, "__wrapped__")
    decoded = DataEditorSerde().deserialize(state)
    assert (decoded["edited_rows"], decoded["added_rows"], decoded["deleted_rows"]) == ({}, [], [])


def test_a_decodable_editor_state_passes_through():
    assert streamlit_hooks.tolerate_undecodable_editor_states()
    decoded = DataEditorSerde().deserialize('{"edited_rows": {"2": {"p": 0.5}}, "deleted_rows": [1]}')
    assert decoded["edited_rows"] == {2: {"p": 0.5}} and decoded["deleted_rows"] == [1]


def test_widget_states_coalesce_with_streamlit_and_without_it(monkeypatch, caplog):
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    older, newer = WidgetStates(), WidgetStates()
    older.widgets.add(id="go").trigger_value = True
    newer.widgets.add(id="z").double_value = 2.0
    merged = streamlit_hooks.coalesce_widget_states(older, newer)
    assert {w.id for w in merged.widgets} == {"go", "z"}  # Streamlit's merge keeps the press

    monkeypatch.setattr(streamlit_hooks.browser, "_widget_state_coalescer", lambda: None)
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.coalesce_widget_states(older, newer) is newer  # the fallback
    assert "an older button press is dropped" in caplog.text


def test_without_the_rerun_hook_nothing_is_wrapped(monkeypatch, caplog):
    monkeypatch.setattr(streamlit_hooks.browser, "_rerun_request_method", lambda: None)
    calls = []
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.wrap_rerun_requests(lambda original: calls.append(original)) is False
    assert calls == [] and "reruns are not rate-bounded" in caplog.text


def test_without_the_editor_hook_nothing_is_installed(monkeypatch, caplog):
    monkeypatch.setattr(streamlit_hooks.browser, "_data_editor_serde", lambda: None)
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.tolerate_undecodable_editor_states() is False
    assert "undecodable editor state raises" in caplog.text


def test_a_bound_parameter_is_dropped_only_inside_a_script_run(monkeypatch):
    assert streamlit_hooks.drop_bound_query_param("explorer.T") is False  # no script run here
    monkeypatch.setattr(streamlit_hooks.browser, "_bound_param_remover", lambda: None)
    assert streamlit_hooks.drop_bound_query_param("explorer.T") is False  # the fallback


def test_component_files_go_inline_without_a_runtime_or_the_hook(monkeypatch, caplog):
    files = {"x.js": "export default () => {}"}
    assert streamlit_hooks.serve_files("cevis", "probe", files) is False  # no Runtime here
    monkeypatch.setattr(streamlit_hooks.components, "_manifest_types", lambda: None)
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.serve_files("cevis", "probe", files) is False
    assert "JS and CSS go inline" in caplog.text


def _new_session_parts(app_session) -> bytes:
    """A new_session message's config and custom theme, filled as Streamlit 1.67 fills them."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    app_session._populate_config_msg(msg.new_session.config)
    theme = msg.new_session.custom_theme
    app_session._populate_theme_msg(theme)
    for section in ("light", "dark", "sidebar", "light.sidebar", "dark.sidebar"):
        target = theme
        for part in section.split("."):
            target = getattr(target, part)
        app_session._populate_theme_msg(target, f"theme.{section}")
    return msg.SerializeToString(deterministic=True)


@pytest.fixture
def app_session(monkeypatch):
    """Streamlit's app_session module, its two populate functions restored after the test."""
    from streamlit.runtime import app_session as module

    for name in ("_populate_config_msg", "_populate_theme_msg"):
        monkeypatch.setattr(module, name, getattr(module, name))
    streamlit_hooks.run_messages.forget()
    yield module
    streamlit_hooks.run_messages.forget()


@pytest.fixture
def primary_color():
    """Sets the config's theme.primaryColor (as a config file would); restored after."""
    from streamlit import config

    old = config.get_option("theme.primaryColor")
    yield lambda value: config.set_option("theme.primaryColor", value)
    config.set_option("theme.primaryColor", old)


def test_the_config_parts_built_once_are_streamlits_own(app_session, primary_color):
    primary_color("#123456")
    streamlits_own = _new_session_parts(app_session)
    assert b"#123456" in streamlits_own
    assert streamlit_hooks.keep_config_parts()
    assert streamlit_hooks.keep_config_parts()  # twice: wrapped once
    assert not hasattr(app_session._populate_theme_msg.__wrapped__, "__wrapped__")
    assert _new_session_parts(app_session) == streamlits_own  # built, then merged from the copy
    assert _new_session_parts(app_session) == streamlits_own


def test_a_config_parsed_again_is_read_again(app_session, primary_color):
    primary_color("#123456")
    assert streamlit_hooks.keep_config_parts()
    assert b"#123456" in _new_session_parts(app_session)
    primary_color("#654321")
    assert b"#123456" in _new_session_parts(app_session)  # kept: the config was not parsed
    streamlit_hooks.run_messages.forget()  # what config.on_config_parsed calls
    assert b"#654321" in _new_session_parts(app_session)


def test_without_the_config_hook_streamlit_builds_each_run(app_session, monkeypatch, caplog):
    own = app_session._populate_theme_msg
    monkeypatch.setattr(streamlit_hooks.run_messages, "_populators", lambda: None)
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.keep_config_parts() is False
    assert app_session._populate_theme_msg is own and "reads the config anew" in caplog.text


@pytest.fixture
def plotly_to_json(monkeypatch):
    """plotly.io.to_json as plotly has it (a hook an app run installed is undone meanwhile)."""
    import plotly.io as pio

    own = pio.to_json
    while getattr(own, "__wrapped__", None) is not None:
        own = own.__wrapped__
    monkeypatch.setattr(pio, "to_json", own)
    return own


def _runs_figure(title="t"):
    import numpy as np

    from cevis_app import charts

    return charts.make_runs_figure({"a": np.linspace(0, 1, 31)}, title=title, y_title="y")


def test_a_frozen_figure_is_encoded_once_and_as_plotly_encodes_it(plotly_to_json):
    import plotly.io as pio

    from cevis_app.charts import frozen
    from cevis_app.charts._unvalidated import is_frozen

    fig = frozen(_runs_figure())
    assert streamlit_hooks.encode_figures_once(is_frozen)
    assert streamlit_hooks.encode_figures_once(is_frozen)  # twice: wrapped once
    assert pio.to_json.__wrapped__ is plotly_to_json
    first = pio.to_json(fig, validate=False)  # as st.plotly_chart calls it
    assert first == plotly_to_json(_runs_figure(), validate=False)  # an equal figure, not frozen
    assert pio.to_json(fig, validate=False) is first  # the kept text
    pretty = pio.to_json(fig, validate=False, pretty=True)  # other arguments: encoded anew
    assert pretty == plotly_to_json(_runs_figure(), validate=False, pretty=True) != first


def test_st_plotly_chart_encodes_a_frozen_figure_once(plotly_to_json, monkeypatch):
    """Through Streamlit's own call: st.plotly_chart encodes the figure's to_dict(), not the
    figure (the hook once missed that and encoded every run)."""
    import plotly.io as pio
    import streamlit as st

    from cevis_app.charts import frozen
    from cevis_app.charts._unvalidated import is_frozen

    encoded = []

    def counting(fig, *args, **kwargs):
        encoded.append(type(fig).__name__)
        return plotly_to_json(fig, *args, **kwargs)

    monkeypatch.setattr(pio, "to_json", counting)
    assert streamlit_hooks.encode_figures_once(is_frozen)
    shared, other = frozen(_runs_figure()), _runs_figure()
    for _ in range(3):
        st.plotly_chart(shared)
        st.plotly_chart(other)
    assert encoded.count("FrozenDict") == 1  # the shared figure: its first run only
    assert len(encoded) == 4  # the other: every run
    assert pio.to_json(shared.to_dict(), validate=False) == plotly_to_json(
        _runs_figure(), validate=False)


def test_a_figure_that_may_change_is_encoded_every_time(plotly_to_json):
    import plotly.io as pio

    from cevis_app.charts._unvalidated import is_frozen

    fig = _runs_figure()  # not frozen
    assert streamlit_hooks.encode_figures_once(is_frozen)
    before = pio.to_json(fig, validate=False)
    fig.update_layout(title_text="changed")  # a plotly API call: a real figure, changed
    after = pio.to_json(fig, validate=False)
    assert "changed" in after and "changed" not in before
    assert not is_frozen(fig)


def test_another_default_template_encodes_a_frozen_figure_anew(plotly_to_json, monkeypatch):
    import plotly.io as pio

    from cevis_app.charts import frozen
    from cevis_app.charts._unvalidated import is_frozen

    fig = frozen(_runs_figure())
    assert streamlit_hooks.encode_figures_once(is_frozen)
    first = pio.to_json(fig, validate=False)
    monkeypatch.setattr(pio.templates, "default", "plotly_dark")
    dark = pio.to_json(fig, validate=False)
    assert dark != first and dark == plotly_to_json(_runs_figure(), validate=False)


def test_without_plotly_io_to_json_every_run_encodes(plotly_to_json, monkeypatch, caplog):
    import plotly.io as pio

    from cevis_app.charts._unvalidated import is_frozen

    monkeypatch.setattr(streamlit_hooks.figures, "_plotly_io", lambda: None)
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.encode_figures_once(is_frozen) is False
    assert pio.to_json is plotly_to_json and "each run encodes every figure" in caplog.text
