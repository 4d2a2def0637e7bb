"""View-models: pure numpy (no plotly, no streamlit); what each page section shows."""
