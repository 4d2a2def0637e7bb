"""The Streamlit hooks the rooms rely on: a browser cannot clear every user's caches, and
widget values of the wrong type are dropped before Streamlit's own code chokes on them."""

import streamlit as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.app_session import AppSession

from cevis_app import streamlit_hooks


def test_a_browsers_clear_cache_message_clears_nothing():
    calls = []

    @st.cache_data
    def counted(x):
        calls.append(x)
        return x

    assert streamlit_hooks.refuse_clear_cache() is True
    assert streamlit_hooks.refuse_clear_cache() is True  # once per process: idempotent
    counted(1)
    AppSession._handle_clear_cache_request(object())  # what a "clear_cache" BackMsg calls
    counted(1)
    assert calls == [1]  # still cached


class _Meta:
    """A widget's metadata as Streamlit keeps it: the field it expects and its serde."""

    def __init__(self, value_type, deserializer, serializer):
        self.value_type, self.deserializer, self.serializer = value_type, deserializer, serializer


def test_a_widget_state_is_sound_only_in_its_own_field_with_a_readable_value():
    choices = ["up", "down"]
    radio = _Meta("string_value", lambda s: s, lambda v: choices[choices.index(v)] if v in choices else 1 / 0)
    assert streamlit_hooks.browser._widget_state_is_sound(WidgetState(id="r", string_value="up"), radio)
    assert not streamlit_hooks.browser._widget_state_is_sound(WidgetState(id="r", string_value="3"), radio)
    assert not streamlit_hooks.browser._widget_state_is_sound(WidgetState(id="r", int_value=1), radio)
    assert streamlit_hooks.browser._widget_state_is_sound(WidgetState(id="r"), radio)  # cleared


def test_the_widget_state_filter_is_installed_once():
    assert streamlit_hooks.drop_unsound_widget_states() is True
    first = AppSession._handle_rerun_script_request
    assert streamlit_hooks.drop_unsound_widget_states() is True
    assert AppSession._handle_rerun_script_request is first


class _Loop:
    """The server's event loop, run at once (the hook hands it the reruns)."""

    def call_soon_threadsafe(self, function):
        function()


class _Pages:
    """A session's pages manager as Streamlit 1.67's: {page_script_hash: page info}."""

    def get_pages(self):
        return {"explorer-hash": {"url_pathname": "explorer"},
                "descent-hash": {"url_pathname": "descent"}}


class _Session:
    """An AppSession as the hook uses it: its loop, its last client state, its fragments."""

    def __init__(self, fragments, query="a=1"):
        from streamlit.proto.ClientState_pb2 import ClientState

        self._event_loop, self._client_state = _Loop(), ClientState(query_string=query,
                                                                    page_script_hash="explorer-hash")
        self.fragments, self.asked = fragments, []
        self._pages_manager = _Pages()

    def has_fragment(self, fragment_id):
        return fragment_id in self.fragments

    def request_rerun(self, client_state):
        self.asked.append((client_state.page_script_hash, client_state.query_string,
                           client_state.fragment_id, len(client_state.widget_states.widgets)))


def test_the_room_rerun_hooks_exist_in_this_streamlit():
    assert streamlit_hooks.can_rerun_sessions() is True
    assert streamlit_hooks.script_session_id() is None  # no script runs on this thread
    assert streamlit_hooks.current_fragment_id() is None
    assert streamlit_hooks.find_session("no-such-session") is None  # no server in this process


def test_a_session_reruns_its_fragment_if_it_still_holds_it_else_its_page():
    holds, lost, page = _Session({"live"}), _Session(set()), _Session({"live"})
    assert streamlit_hooks.rerun_sessions([(holds, "live"), (lost, "live"), (page, None)])
    assert holds.asked == [("explorer-hash", "a=1", "live", 0)]  # no widget state: all keep theirs
    assert lost.asked == [("explorer-hash", "a=1", "", 0)]  # gone (a page run on another page)
    assert page.asked == [("explorer-hash", "a=1", "", 0)]
    assert holds._client_state.fragment_id == ""  # the session's own state is not changed


def test_a_page_switch_the_server_makes_runs_that_page_with_the_query_cleared_but_embed():
    plain, embedded, lost = _Session({"bar"}), _Session(set(), "explorer.z0=2&embed=true"), _Session({"bar"})
    assert streamlit_hooks.rerun_sessions([(plain, None, "descent"), (embedded, "bar", "descent"),
                                           (lost, "bar", "no-such-page")])
    assert plain.asked == [("descent-hash", "", "", 0)]  # the old page's link goes, as switch_page
    assert embedded.asked == [("descent-hash", "embed=true", "", 0)]  # an embed stays embedded
    assert lost.asked == [("explorer-hash", "a=1", "bar", 0)]  # no such page: the fragment, as before
    assert plain._client_state.page_script_hash == "explorer-hash"  # the session's own is unchanged


def test_the_query_is_announced_only_inside_a_script_run():
    assert streamlit_hooks.can_run_pages() is True
    assert streamlit_hooks.announce_query_string() is False  # no script runs on this thread
