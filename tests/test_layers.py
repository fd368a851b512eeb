"""Folium layers: names, feature counts, bounds inside Mali's area, escaped text, safe links."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from layers import html, rendering
from layers.assets import walk
from layers.basemap import ATTRIBUTION, base_map
from layers.bases import bases_layer, holder_colour
from layers.context import context_layer
from layers.displacement import ORIGIN_LABEL, displacement_layer, flow_width
from layers.geojson import STYLE_FIELD
from layers.incidents import incidents_layer
from layers.key_events import key_events_layer
from layers.map_files import view_html
from layers.regions import region_colour, regions_layer
from layers.towns import MAX_RADIUS, town_radius, towns_layer
from layers.towns import legend_html as towns_legend
from mali_geo.catalogue import build_layers
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.displacement import north_point
from mali_geo.period import make_period
from mali_geo.schema import incidents_gdf
from mali_geo.towns import towns_with_incidents

#: Lat/lon box the data layers must stay in: Mali and its neighbours' camps.
SOUTH, WEST, NORTH, EAST = 4.0, -18.0, 28.0, 16.0
HOSTILE = "<img src=x onerror=alert(1)>\"'&"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def layers_2013(ds: Dataset) -> dict[str, gpd.GeoDataFrame]:
    return build_layers(ds, make_period("2013-01", "2013-12"))


def geojson_features(group: object) -> list[dict]:
    """The features of every GeoJson child of a FeatureGroup."""
    out = []
    for child in walk(group):  # incidents sit in a marker cluster inside the group
        data = getattr(child, "data", None)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            out.extend(data["features"])
    return out


def inside_study_area(bounds: list[list[float | None]]) -> bool:
    (south, west), (north, east) = bounds
    return SOUTH <= south <= north <= NORTH and WEST <= west <= east <= EAST


@pytest.mark.parametrize(
    ("builder", "layer", "name"),
    [
        (regions_layer, "regions", "Regions"),
        (towns_layer, "towns", "Towns with incidents"),
        (incidents_layer, "incidents", "Incidents"),
        (bases_layer, "bases", "Bases"),
        (displacement_layer, "displacement", "Displacement flows"),
        (key_events_layer, "key_events", "Key events"),
    ],
)
def test_each_layer_is_named_complete_and_inside_the_area(
    builder: object, layer: str, name: str, layers_2013: dict[str, gpd.GeoDataFrame]
) -> None:
    gdf = layers_2013[layer]
    group = builder(gdf)
    assert group.layer_name == name
    drawn = gdf.geometry.notna() & ~gdf.geometry.is_empty
    assert len(geojson_features(group)) == int(drawn.sum())
    assert inside_study_area(group.get_bounds())
    for feature in geojson_features(group):
        assert feature["properties"]["layer"] == name
        assert feature["properties"]["_tooltip"]
        assert "Source" in feature["properties"]["_popup"]


def test_regions_are_shaded_by_count(layers_2013: dict[str, gpd.GeoDataFrame]) -> None:
    assert region_colour(0) != region_colour(50)
    group = regions_layer(layers_2013["regions"])
    kidal = next(f for f in geojson_features(group) if "Kidal" in f["properties"]["_tooltip"])
    count = int(layers_2013["regions"].set_index("name").loc["Kidal", "incidents"])
    assert f"{count} incident(s)" in kidal["properties"]["_tooltip"]


def test_town_circles_grow_with_the_count() -> None:
    assert town_radius(1) < town_radius(5) < town_radius(20)
    # Area, not radius, is proportional: 4x the incidents is about 2x the variable radius.
    assert (town_radius(16) - town_radius(0)) == pytest.approx(
        2 * (town_radius(4) - town_radius(0))
    )


def test_flow_width_is_proportional_to_people() -> None:
    assert flow_width(50_000) == pytest.approx(5 * flow_width(10_000))


def test_flows_mark_their_unrecorded_origin(
    ds: Dataset, layers_2013: dict[str, gpd.GeoDataFrame]
) -> None:
    group = displacement_layer(layers_2013["displacement"])
    markers = [c for c in group._children.values() if c._name == "CircleMarker"]
    assert len(markers) == 1
    tooltip = next(c for c in markers[0]._children.values() if c._name == "Tooltip")
    assert tooltip.text == ORIGIN_LABEL
    origin = north_point(ds.regions)
    assert markers[0].location == pytest.approx([origin.y, origin.x])


def test_bases_colour_says_who_held_them() -> None:
    assert holder_colour("Malian army") != holder_colour("MNLA and Ansar Dine")
    assert holder_colour("Islamist armed groups") == holder_colour("MUJAO")
    assert holder_colour(None) == holder_colour("")


def one_incident(**values: object) -> gpd.GeoDataFrame:
    """One normalised incident at Mopti on 10 Jan 2013, with ``values`` in place of defaults."""
    row: dict[str, object] = {
        "incident_id": "X-1",
        "date_start": "2013-01-10",
        "date_end": "2013-01-10",
        "date_precision": "day",
        "place": "Mopti",
        "admin1": "Mopti",
        "lat": 14.9,
        "lon": -3.9,
        "coord_source": "test",
        "event_type": "battle",
        "actors": "",
        "fatalities_low": None,
        "fatalities_high": None,
        "summary": "",
        "source_title": "t",
        "source_url": "https://example.org/a",
        "quote": "",
        "source_url_2": "",
        **values,
    }
    point = Point(float(str(row["lon"])), float(str(row["lat"])))
    return incidents_gdf(gpd.GeoDataFrame({k: [v] for k, v in row.items()}, geometry=[point]))


def test_hostile_text_is_escaped_and_only_http_links_are_links() -> None:
    frame = one_incident(
        place=HOSTILE,
        actors=HOSTILE,
        summary=HOSTILE,
        source_title=HOSTILE,
        source_url="javascript:alert(1)",
        source_url_2="https://example.org/ok",
    )
    props = geojson_features(incidents_layer(frame))[0]["properties"]
    text = props["_tooltip"] + props["_popup"]
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in props["_popup"]
    assert 'href="javascript' not in text
    assert 'href="https://example.org/ok"' in props["_popup"]
    assert "not reported" in props["_popup"]  # unknown toll, never 0


def test_html_helpers() -> None:
    assert html.safe_url("https://example.org/a") == "https://example.org/a"
    assert html.safe_url("javascript:alert(1)") is None
    assert html.safe_url("//evil.example") is None
    assert html.fatalities(None, None) == "not reported"
    assert html.fatalities(3, None) == "at least 3"
    assert html.fatalities(3, 7) == "3–7"
    assert html.fatalities(0, 0) == "0"


def test_base_map_credits_every_source_and_loads_nothing_external(ds: Dataset) -> None:
    m = base_map(context=context_layer(ds.countries, ds.niger, ds.lakes))
    page = m.get_root().render()
    for credit in ("Natural Earth", "GeoNames", "© OpenStreetMap contributors", "UNHCR"):
        assert credit in ATTRIBUTION
    assert json.dumps(ATTRIBUTION)[1:-1] in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_a_layers_script_cannot_end_its_script_element_and_reads_back_the_same() -> None:
    """Popup text holding "</script>" or "<!--" stays inside the map's script, unchanged."""
    frame = one_incident(
        place="Gao</script><script>alert(1)</script>",
        admin1="Gao",
        lat=16.27,
        lon=-0.04,
        actors="<!-- a \u2028 b",
        summary="Ménaka \\u003c/script>",
    )
    group = incidents_layer(frame)
    layer = next(c for c in walk(group) if type(c).__name__ == "LeanGeoJson")
    script = layer._template.module.script(layer)
    assert "</" not in script.split("_add(", 1)[1].split(");", 1)[0]
    assert "<!--" not in script
    assert "\u2028" not in script
    data = json.loads(script.split("_add(", 1)[1].rsplit(");", 1)[0].strip())
    assert data == json.loads(json.dumps(layer.data))  # the same features, read back
    assert "Ménaka" in script  # letters as UTF-8, not six-byte escapes


def test_a_towns_popup_links_its_first_sources_and_counts_the_others() -> None:
    urls = ["javascript:alert(1)", *(f"https://example.org/{i}" for i in range(9))]
    incidents = gpd.GeoDataFrame(
        pd.concat(
            [one_incident(incident_id=f"X-{i}", source_url=url) for i, url in enumerate(urls)],
            ignore_index=True,
        ),
        geometry="geometry",
        crs="EPSG:4326",
    )
    town = towns_with_incidents(incidents)
    popup = geojson_features(towns_layer(town))[0]["properties"]["_popup"]
    assert re.findall(r'href="([^"]+)"', popup) == [f"https://example.org/{i}" for i in range(5)]
    assert 'href="javascript' not in popup
    # Six of the ten sources were read to find five links; the other four are counted.
    assert "and 4 more (every source is in the download)" in popup


def test_rendering_parts_once_writes_the_same_page_as_branca(ds: Dataset) -> None:
    """Macro elements keep their parts as text (layers.rendering): the page is unchanged."""
    built = build_layers(ds, make_period("2013-01", "2013-04"))
    visible = [*built, "context"]
    context = (ds.countries, ds.niger, ds.lakes)

    def page() -> str:
        html_page = view_html(built, visible, period_label="Jan 2013 – Apr 2013", context=context)
        return re.sub(r"[0-9a-f]{32}", "ID", html_page.decode("utf-8"))

    ours = page()
    rendering.use(rendering.BRANCA_RENDER)
    try:
        branca = page()
    finally:
        rendering.use()
    assert ours == branca
    assert "L.featureGroup" in ours
    assert "bindPopup" in ours


def test_a_big_import_s_town_circles_stay_within_the_largest_size(
    layers_2013: dict[str, gpd.GeoDataFrame],
) -> None:
    """Thousands of incidents a town (a region-wide import) never cover the map."""
    towns = layers_2013["towns"].copy()
    shipped_radii = sorted(
        f["properties"][STYLE_FIELD] for f in geojson_features(towns_layer(towns))
    )
    assert shipped_radii[-1] == town_radius(int(towns["incidents"].max()))  # the usual scale
    towns["incidents"] = towns["incidents"] * 5_000
    features = geojson_features(towns_layer(towns))
    radii = {f["properties"]["_tooltip"]: f["properties"][STYLE_FIELD] for f in features}
    most = int(towns["incidents"].max())
    assert max(radii.values()) == pytest.approx(MAX_RADIUS, abs=0.1)
    by_count = towns.sort_values("incidents")
    sizes = [radii[next(t for t in radii if t.startswith(f"<b>{n}</b>"))] for n in by_count["name"]]
    assert sizes == sorted(sizes)  # still larger for more incidents
    legend = towns_legend(towns)
    assert f"{most:,}" in legend
    assert "scaled to the busiest town" in legend
