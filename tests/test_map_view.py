"""The map's own parts: popups, sources, dates in words, event groups, density, view update."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
from app_helpers import map_args
from streamlit.testing.v1 import AppTest

from layers import html
from layers.assets import walk
from layers.drawing import map_group, map_legend_html
from layers.geojson import POPUP_OPTIONS
from layers.incidents import EVENT_COLOURS, GROUP_COLOURS, event_group, legend_html
from layers.mapview import ViewUpdate, view_group
from layers.regions import legend_html as regions_legend
from layers.regions import regions_layer
from mali_geo.catalogue import Layer, build_layers
from mali_geo.config import EVENT_GROUPS, PROJECT_DIR, REGION_DENSITIES
from mali_geo.dataset import load_dataset
from mali_geo.period import make_period
from mali_geo.regions import DENSITY_COLUMNS, density_column
from mali_geo.schema import EVENT_TYPES

APP = str(PROJECT_DIR / "app.py")
MAP_HEIGHT = 620


@pytest.fixture(scope="module")
def built() -> dict[str, gpd.GeoDataFrame]:
    return build_layers(load_dataset(), make_period("2012-01", "2014-12"))


def popups(group: object) -> list[str]:
    return [
        f["properties"]["_popup"]
        for child in walk(group)
        if isinstance(getattr(child, "data", None), dict)
        for f in child.data.get("features", [])
    ]


def test_popups_are_sized_for_the_map() -> None:
    assert 260 <= POPUP_OPTIONS["min_width"] <= POPUP_OPTIONS["max_width"] <= 360
    # The content scrolls above its max height, which leaves room for the frame and tip.
    assert POPUP_OPTIONS["max_height"] + 80 < MAP_HEIGHT


@pytest.mark.parametrize("layer", [Layer.TOWNS, Layer.INCIDENTS, Layer.BASES, Layer.KEY_EVENTS])
def test_popups_are_fact_tables_with_named_sources_last(
    layer: Layer, built: dict[str, gpd.GeoDataFrame]
) -> None:
    texts = popups(map_group(layer, built[layer]))
    assert texts
    for text in texts:
        assert "<table>" in text
        assert "<th>" in text
        table_end, sources = text.index("</table>"), text.index('class="source"')
        assert table_end < sources  # sources after the facts, outside the table
        for label in re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', text[sources:]):
            assert not re.fullmatch(r"[\w.-]+\.[a-z]{2,}", label), label  # never a bare domain


def test_outlets_are_named() -> None:
    assert html.outlet("http://in.reuters.com/article/x") == "Reuters"
    assert html.outlet("https://en.wikipedia.org/wiki/Gao") == "Wikipedia"
    assert html.outlet("https://news.abamako.com/h/1.html") == "aBamako"
    assert html.outlet("https://townhall.com/news/1") == "Townhall"
    assert html.outlet("https://www.bbc.co.uk/news/1") == "BBC"


def test_dates_and_periods_are_written_in_words() -> None:
    assert html.period("2013-01", "2013-04") == "Jan 2013 – Apr 2013"
    assert html.period("2013-01", "2013-01") == "Jan 2013"
    assert html.day("2012-01-17") == "17 Jan 2012"
    assert html.day("2012-01-01", "month") == "Jan 2012"
    assert html.day(None) == html.MISSING


def test_event_types_fall_into_at_most_seven_colour_groups() -> None:
    grouped = [t for types in EVENT_GROUPS.values() for t in types]
    assert sorted(grouped) == sorted(EVENT_TYPES)  # each type in exactly one group
    assert len(EVENT_GROUPS) <= 7
    assert set(GROUP_COLOURS) == set(EVENT_GROUPS)
    assert len(set(GROUP_COLOURS.values())) == len(GROUP_COLOURS)
    assert event_group("air_strike") == "Explosions and remote violence"
    assert event_group("kidnapping") == "Violence against civilians"
    assert event_group("not a type") == "Other"


def _deuteranopia(colour: str) -> tuple[float, float, float]:
    """A colour as seen with deuteranopia (Viénot, Brettel & Mollon 1999, in linear RGB)."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    r, g, b = lin
    return (0.29275 * r + 0.70725 * g, 0.29275 * r + 0.70725 * g, -0.02234 * r + 0.02234 * g + b)


def test_battles_and_protests_differ_under_deuteranopia() -> None:
    battle = _deuteranopia(EVENT_COLOURS["battle"])
    protest = _deuteranopia(EVENT_COLOURS["riot_protest"])
    distance = sum((a - b) ** 2 for a, b in zip(battle, protest, strict=True)) ** 0.5
    assert distance > 0.15


def test_incident_legend_lists_groups_and_the_cluster_symbol(
    built: dict[str, gpd.GeoDataFrame],
) -> None:
    text = legend_html(built[Layer.INCIDENTS])
    assert "Battles and clashes" in text
    assert "battle" not in text.lower().replace("battles", "")
    assert "mali-cluster-key" in text


def test_regions_shade_by_area_or_by_people(built: dict[str, gpd.GeoDataFrame]) -> None:
    regions = built[Layer.REGIONS]
    assert set(DENSITY_COLUMNS) == set(REGION_DENSITIES)
    assert regions["incidents_per_100000_people"].notna().all()

    def shading(density: str) -> dict[str, str]:
        (layer,) = [c for c in walk(regions_layer(regions, density=density)) if hasattr(c, "data")]
        return {
            f["properties"]["_tooltip"][:20]: f["properties"]["_k"] for f in layer.data["features"]
        }

    assert shading("area") != shading("people")
    assert "per 10,000 km²" in regions_legend(regions)
    assert "per 100,000 people" in regions_legend(regions, density="people")
    with pytest.raises(ValueError, match="unknown region density"):
        density_column("per camel")


def test_map_legend_has_an_entry_for_every_symbol(built: dict[str, gpd.GeoDataFrame]) -> None:
    text = map_legend_html(built, [*built, "context"], highlights=True)
    for title in ("Regions", "Towns", "Incidents", "Bases", "Key events", "Flow origin", "Story"):
        assert title in text, title


def test_the_view_update_carries_stamp_and_legend_safely() -> None:
    update = ViewUpdate(period="Jan 2013", legend="<b>x</b></script>", tiles="", context=False)
    group = view_group(update)
    m = folium.Map(tiles=None)
    group.add_to(m)
    page = m.get_root().render()
    call = re.search(r"maliView\((\{.*?\})\);", page)
    assert call is not None
    assert "</script>" not in call.group(1)
    assert json.loads(call.group(1).replace("<\\/", "</")) == {
        "period": "Jan 2013",
        "legend": "<b>x</b></script>",
        "tiles": "",
        "context": False,
    }


def test_basemap_and_context_switch_without_changing_the_base_map() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["start"] = "2013-01"
    at.query_params["end"] = "2013-01"
    at.run()
    first = map_args(at)
    assert '"period": "Jan 2013"' in first["feature_group"]
    at.radio(key="basemap").set_value(at.radio(key="basemap").options[1]).run()
    switched = map_args(at)
    assert switched["script"] == first["script"]  # the same map: no remount, zoom kept
    assert '"tiles": ""' not in switched["feature_group"]
    assert '"tiles": ""' in first["feature_group"]
