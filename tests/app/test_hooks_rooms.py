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
    assert streamlit_hooks._widget_state_is_sound(WidgetState(id="r", string_value="up"), radio)
    assert not streamlit_hooks._widget_state_is_sound(WidgetState(id="r", string_value="3"), radio)
    assert not streamlit_hooks._widget_state_is_sound(WidgetState(id="r", int_value=1), radio)
    assert streamlit_hooks._widget_state_is_sound(WidgetState(id="r"), radio)  # cleared


def test_the_widget_state_filter_is_installed_once():
    assert streamlit_hooks.drop_unsound_widget_states() is True
    first = AppSession._handle_rerun_script_request
    assert streamlit_hooks.drop_unsound_widget_states() is True
    assert AppSession._handle_rerun_script_request is first
