"""Regions layer: Mali's 2012 regions shaded by incidents in the period, with a legend."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd

from layers import html
from layers.geojson import Feature, geojson_group, style_key

NAME = "Regions"
#: Upper bounds of the incident-count classes; the last class is open-ended.
BINS: tuple[int, ...] = (0, 4, 9, 19, 39)
COLOURS: tuple[str, ...] = ("#f7f7f7", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
OUTLINE = "#555555"
STYLE: dict[str, Any] = {"fillOpacity": 0.65, "color": OUTLINE, "weight": 1}
#: What a region with no incident in the period says instead of a toll: the incidents are a
#: sample, so none recorded is not a toll of 0.
NO_INCIDENT = "no incident in the sample"


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
    features = [_feature(r) for r in regions.itertuples()]
    return geojson_group(regions, features, name=NAME, style=_style)


def legend_html(_regions: gpd.GeoDataFrame) -> str:
    """Legend of the region shading."""
    items = []
    low = 0
    for bound, colour in zip(BINS, COLOURS, strict=False):
        items.append((_class_label(low, bound), colour))
        low = bound + 1
    items.append((f"{low}+", COLOURS[-1]))
    swatch = f"width:14px;height:14px;background:{{colour}};border:1px solid {OUTLINE}"
    return html.categorical_legend("Regions: incidents in the period", items, swatch=swatch)


def _class_label(low: int, bound: int) -> str:
    """A legend label: "0 (no incident in the sample)", "5" or "5–9"."""
    if bound == 0:
        return f"0 ({NO_INCIDENT})"
    return f"{low}" if low == bound else f"{low}–{bound}"


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return {"fillColor": style_key(feature), **STYLE}


def _feature(r: Any) -> Feature:
    figure = f"{r.incidents} incident(s) recorded in the period"
    return html.tooltip(r.name, figure), _popup(r), region_colour(r.incidents)


def _fatalities(r: Any) -> str:
    """The region's fatality range, or :data:`NO_INCIDENT` when it has no incident."""
    return (
        NO_INCIDENT
        if int(r.incidents) == 0
        else html.fatalities(r.fatalities_low, r.fatalities_high)
    )


def _popup(r: Any) -> str:
    rows = [
        ("Region (2012)", html.text(r.name)),
        ("Area", f"{int(r.area_km2):,} km² (equal-area CRS)"),
        ("Incidents recorded", html.text(r.incidents)),
        ("Incidents per 10,000 km²", f"{float(r.incidents_per_10000_km2):.1f}"),
        ("Fatalities reported", _fatalities(r)),
        (
            "Counts from",
            "the period's incidents by their recorded 2012 region; each incident "
            "links its own source (Incidents layer, downloads)",
        ),
    ]
    return html.popup(r.name, rows, ["https://www.naturalearthdata.com/"])
