"""Story highlights: a ring around each place a story chapter points at."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.assets import make_offline
from mali_geo.geometry import has_coordinate

NAME = "Story highlights"
COLOUR = "#00bcd4"
RADIUS = 16
WEIGHT = 4


def highlight_layer(points: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Rings at the chapter's highlighted places, each with its name always shown.

    One ``CircleMarker`` per point is fine here: a chapter highlights a handful of places,
    far below the ~1,000 points where per-marker layers get slow.

    Parameters
    ----------
    points
        ``name`` and point ``geometry`` in EPSG:4326, e.g. from
        :func:`mali_geo.story.highlight_points`.

    Returns
    -------
    folium.FeatureGroup
        Named :data:`NAME`, already passed through :func:`layers.assets.make_offline`.
    """
    group = folium.FeatureGroup(name=NAME, show=True)
    has_point = has_coordinate(points)
    for name, point in zip(points["name"][has_point], points.geometry[has_point], strict=True):
        folium.CircleMarker(
            location=(point.y, point.x),
            radius=RADIUS,
            color=COLOUR,
            weight=WEIGHT,
            fill=False,
            # A permanent label names the place without a hover, which a story needs.
            tooltip=folium.Tooltip(_label(name), permanent=True, direction="top", sticky=False),
        ).add_to(group)
    return make_offline(group)


def _label(name: object) -> str:
    """The escaped name, also safe inside the JavaScript template literal folium writes it to."""
    # A backslash could escape the literal's closing backtick, "${" would start an expression.
    escaped = html.text(name)
    for char, entity in (("\\", "&#92;"), ("`", "&#96;"), ("$", "&#36;")):
        escaped = escaped.replace(char, entity)
    return escaped
