"""The Streamlit parts of the page that app.py wires: state, sidebar, cached data, map, panels."""
