"""Regions layer: Mali's 2012 regions shaded by incidents in the period, with a legend."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers import html
from layers.base import geojson_group, style_from_property

NAME = "Regions"
#: Upper bounds of the incident-count classes; the last class is open-ended.
BINS: tuple[int, ...] = (0, 4, 9, 19, 39)
COLOURS: tuple[str, ...] = ("#f7f7f7", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
OUTLINE = "#555555"


def region_colour(incidents: int) -> str:
    """The fill colour of a region with this many incidents."""
    for bound, colour in zip(BINS, COLOURS, strict=False):
        if incidents <= bound:
            return colour
    return COLOURS[-1]


def regions_layer(regions: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Regions shaded by incident count, with tooltip and popup.

    Parameters
    ----------
    regions
        From :func:`mali_geo.regions.regions_with_incidents`.
    """
    gdf = regions.copy()
    gdf["_tooltip"] = [
        html.tooltip(r.name, f"{r.incidents} incident(s) recorded in the period")
        for r in regions.itertuples()
    ]
    gdf["_popup"] = [_popup(r) for r in regions.itertuples()]
    gdf["_style"] = [
        {"fillColor": region_colour(n), "fillOpacity": 0.65, "color": OUTLINE, "weight": 1}
        for n in regions["incidents"]
    ]
    return geojson_group(gdf, name=NAME, style=style_from_property)


def legend_html() -> str:
    """Legend of the region shading, as a small HTML block."""
    labels = []
    low = 0
    for bound, colour in zip(BINS, COLOURS, strict=False):
        label = f"{low}" if low == bound else f"{low}–{bound}"
        labels.append((colour, label))
        low = bound + 1
    labels.append((COLOURS[-1], f"{low}+"))
    items = "".join(
        f'<span style="display:inline-block;margin-right:8px">'
        f'<span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'border:1px solid {OUTLINE};vertical-align:middle"></span> {label}</span>'
        for c, label in labels
    )
    return f"<div><b>Regions: incidents in the period</b><br>{items}</div>"


def _popup(r: object) -> str:
    rows = [
        ("Region (2012)", html.text(r.name)),
        ("Area", f"{int(r.area_km2):,} km² (equal-area CRS)"),
        ("Incidents recorded", html.text(r.incidents)),
        ("Incidents per 10,000 km²", f"{float(r.incidents_per_10000_km2):.1f}"),
        ("Fatalities reported", html.fatalities(r.fatalities_low, r.fatalities_high)),
        (
            "Counts from",
            "the period's incidents by their recorded 2012 region; each incident "
            "links its own source (Incidents layer, downloads)",
        ),
    ]
    return html.popup(r.name, rows, ["https://www.naturalearthdata.com/"])
