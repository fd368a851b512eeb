"""Mali 2012–2014 crisis map: data -> validated GeoDataFrames -> periods, aggregates, GeoJSON.

This package never imports streamlit or folium: everything a user can download or a test can
check is computed here, so it works the same from the CLI, the app and the tests.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
