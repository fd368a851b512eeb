"""Folium layers for the Mali crisis map: one module per layer, no Streamlit."""
