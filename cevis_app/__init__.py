"""cevis_app: everything only the Streamlit app needs (it imports cevis, never the reverse).

views/   pure numpy view-models        text/    parsing, formulas, codegen, formatting
charts/  plotly figures (no streamlit) widgets/ the streamlit helpers pages call
live/    the live drag component       rooms/   the classroom room store
"""
