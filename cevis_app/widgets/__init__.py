"""Widgets: the streamlit helpers the pages call (controls, tables, editors, caches)."""
