"""Streamlit sections of the page, called by app.py: rendering only, the logic is below."""
