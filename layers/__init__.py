"""Folium layers for the Mali crisis map: one module per layer, no Streamlit."""

from layers import rendering

# Macro elements keep their rendered parts as text (see layers.rendering): installed once.
rendering.use()
