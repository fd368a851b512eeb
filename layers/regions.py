"""Regions layer: Mali's 2012 regions shaded by incident density in the period, with a legend.

The shading is a rate, not a count (a count mostly shows how big a region is): incidents per
10,000 km² by default, or per 100,000 people (2009 census); see
:data:`mali_geo.config.REGION_DENSITIES`. The palette is light, so the points drawn above it
stay readable.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from layers import html
from layers.geojson import Feature, geojson_group, style_key
from mali_geo.config import DEFAULT_REGION_DENSITY, REGION_DENSITIES
from mali_geo.regions import density_column

NAME = "Regions"
#: Per density option: lower bounds of the classes above "none" (the last is open-ended).
BINS: dict[str, tuple[float, ...]] = {
    "area": (0.01, 0.5, 1, 2, 5),
    "people": (0.01, 0.5, 1, 5, 20),
}
#: A light sand-to-brown sequential palette: the first colour is "no incident".
COLOURS: tuple[str, ...] = ("#f7f4ee", "#eee3cf", "#e0cba6", "#cdae7c", "#b48d58", "#94703e")
OUTLINE = "#555555"
STYLE: dict[str, Any] = {"fillOpacity": 0.6, "color": OUTLINE, "weight": 1}
#: What a region with no incident in the period says instead of a toll: the incidents are a
#: sample, so none recorded is not a toll of 0.
NO_INCIDENT = "no incident in the sample"


def region_colour(value: float, density: str = DEFAULT_REGION_DENSITY) -> str:
    """The fill colour of a region with this density (incidents per unit of the option)."""
    colour = COLOURS[0]
    for bound, candidate in zip(BINS[density], COLOURS[1:], strict=True):
        if value >= bound:
            colour = candidate
    return colour


def regions_layer(
    regions: gpd.GeoDataFrame, *, density: str = DEFAULT_REGION_DENSITY
) -> folium.FeatureGroup:
    """Regions shaded by incident density, with tooltip and popup.

    Parameters
    ----------
    regions
        From :func:`mali_geo.regions.regions_with_incidents`.
    density
        ``"area"`` (incidents per 10,000 km², the default) or ``"people"`` (per 100,000
        people): a key of :data:`mali_geo.config.REGION_DENSITIES`.
    """
    column = density_column(density)
    features = [_feature(r, density, column) for r in regions.itertuples()]
    return geojson_group(regions, features, name=NAME, style=_style)


def legend_html(_regions: gpd.GeoDataFrame, *, density: str = DEFAULT_REGION_DENSITY) -> str:
    """Legend of the region shading, naming the rate it shows."""
    bounds = BINS[density]
    items = [(f"none ({NO_INCIDENT})", COLOURS[0])]
    for low, high, colour in zip(bounds, [*bounds[1:], None], COLOURS[1:], strict=True):
        if high is None:
            label = f"{low:g}+"
        else:
            label = f"&lt; {high:g}" if low == bounds[0] else f"{low:g}–{high:g}"
        items.append((label, colour))
    swatch = f"width:14px;height:14px;background:{{colour}};border:1px solid {OUTLINE}"
    title = f"Regions: {REGION_DENSITIES[density]}"
    return html.categorical_legend(title, items, swatch=swatch)


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return {"fillColor": style_key(feature), **STYLE}


def _feature(r: Any, density: str, column: str) -> Feature:
    value = getattr(r, column)
    rate = "not known" if pd.isna(value) else f"{float(value):,.2f}"
    figure = f"{r.incidents} incident(s) in the period · {rate} {REGION_DENSITIES[density]}"
    colour = COLOURS[0] if rate == "not known" else region_colour(float(value), density)
    return html.tooltip(r.name, figure), _popup(r), colour


def _fatalities(r: Any) -> str:
    """The region's fatality range, or :data:`NO_INCIDENT` when it has no incident."""
    return (
        NO_INCIDENT
        if int(r.incidents) == 0
        else html.fatalities(r.fatalities_low, r.fatalities_high)
    )


def _popup(r: Any) -> str:
    people = getattr(r, "population_2009", pd.NA)
    rate = getattr(r, "incidents_per_100000_people", pd.NA)
    rows = [
        ("Area", f"{int(r.area_km2):,} km² (equal-area CRS)"),
        ("Population", "not known" if pd.isna(people) else f"{int(people):,} (2009 census)"),
        ("Incidents", html.text(r.incidents)),
        ("Per 10,000 km²", f"{float(r.incidents_per_10000_km2):,.2f}"),
        ("Per 100,000 people", "not known" if pd.isna(rate) else f"{float(rate):,.2f}"),
        ("Fatalities", _fatalities(r)),
        ("Counted by", "the incident's recorded 2012 region (each links its own source)"),
    ]
    return html.popup(f"{r.name} region (2012)", rows, ["https://www.naturalearthdata.com/"])
