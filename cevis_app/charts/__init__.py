"""Charts: plotly figure builders (plain dicts; no streamlit)."""
