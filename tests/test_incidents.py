"""Incidents above the point limit: the grid the map shows instead of one point per incident."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from layers.assets import walk
from layers.drawing import legends_html
from layers.incidents import GRID_NAME, NAME, grid_colour, incidents_layer, legend_html
from mali_geo.catalogue import build_layers
from mali_geo.dataset import Dataset, load_dataset, with_incidents
from mali_geo.incidents import (
    GRID_COLUMNS,
    MAX_GRID_CELLS,
    MAX_POINTS,
    incidents_grid,
    incidents_in_period,
    is_aggregated,
    located,
)
from mali_geo.period import make_period
from mali_geo.schema import incidents_gdf

#: Four clusters of incidents (lon, lat): around Gao, Kidal, Tombouctou and Mopti.
CLUSTERS = ((0.04, 16.27), (1.41, 18.44), (-3.0, 16.77), (-4.2, 14.5))


def synthetic_incidents(n: int, *, seed: int = 1, unlocated: int = 0) -> gpd.GeoDataFrame:
    """``n`` incidents in 2013 spread around four towns, the last ``unlocated`` without a point."""
    rng = np.random.default_rng(seed)
    centre = np.array(CLUSTERS)[np.arange(n) % len(CLUSTERS)]
    lon, lat = centre[:, 0] + rng.normal(0, 0.3, n), centre[:, 1] + rng.normal(0, 0.3, n)
    lat[n - unlocated :] = np.nan
    lon[n - unlocated :] = np.nan
    days = pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    low = pd.array(np.where(np.arange(n) % 3 == 0, None, np.arange(n) % 5), dtype="Int64")
    frame = pd.DataFrame(
        {
            "incident_id": [f"SYN-{i}" for i in range(n)],
            "date_start": days,
            "date_end": days,
            "date_precision": "day",
            "place": [f"place {i % 40}" for i in range(n)],
            "admin1": "Gao",
            "lat": lat,
            "lon": lon,
            "coord_source": "synthetic",
            "event_type": np.where(np.arange(n) % 4 == 0, "battle", "armed_attack"),
            "actors": "a; b",
            "fatalities_low": low,
            "fatalities_high": low,
            "summary": "synthetic",
            "source_title": "test",
            "source_url": "https://example.org/",
            "quote": "",
            "source_url_2": None,
        }
    )
    return incidents_gdf(frame)


@pytest.fixture(scope="module")
def many() -> gpd.GeoDataFrame:
    return synthetic_incidents(MAX_POINTS + 500, unlocated=100)


def test_the_layer_shows_grid_cells_above_the_point_limit(many: gpd.GeoDataFrame) -> None:
    assert is_aggregated(many)
    group = incidents_layer(many)
    assert group.layer_name == GRID_NAME
    features = _features(group)
    grid = incidents_grid(many)
    assert len(features) == len(grid) <= MAX_GRID_CELLS
    assert all(f["geometry"]["type"] == "Polygon" for f in features)
    assert sum(grid["incidents"]) == len(located(many))  # every located incident, once
    bounds = group.get_bounds()
    assert -6 < bounds[0][1] < bounds[1][1] < 3
    assert 13 < bounds[0][0] < bounds[1][0] < 20


def test_exactly_the_point_limit_is_still_points() -> None:
    frame = synthetic_incidents(MAX_POINTS + 3, unlocated=3)  # 2,000 located
    assert not is_aggregated(frame)
    group = incidents_layer(frame)
    assert group.layer_name == NAME
    assert len(_features(group)) == MAX_POINTS


@pytest.mark.parametrize(
    ("located_at_end", "aggregated"), [(MAX_POINTS, False), (MAX_POINTS + 1, True)]
)
def test_the_point_limit_counts_located_incidents_wherever_they_are(
    located_at_end: int, aggregated: bool
) -> None:
    """Many unlocated incidents first, then the located ones: the whole frame is counted."""
    unlocated = 5 * MAX_POINTS
    frame = synthetic_incidents(unlocated + located_at_end, unlocated=unlocated).iloc[::-1]
    assert is_aggregated(frame) is aggregated


def test_grid_cells_sum_counts_and_keep_unknown_tolls_unknown(many: gpd.GeoDataFrame) -> None:
    grid = incidents_grid(many)
    assert list(grid.columns[:-1]) == list(GRID_COLUMNS)
    assert grid.crs == "EPSG:4326"
    assert list(grid["incidents"]) == sorted(grid["incidents"], reverse=True)
    pts = located(many)
    no_toll = pts["fatalities_low"].isna() & pts["fatalities_high"].isna()
    assert grid["incidents_without_toll"].sum() == no_toll.sum() > 0
    assert grid["fatalities_low"].sum() == pts["fatalities_low"].sum()
    # A cell with an incident of unknown toll has no upper bound.
    with_unknown = grid[grid["incidents_without_toll"] > 0]
    assert with_unknown["fatalities_high"].isna().all()
    assert set(grid["main_event_type"]) <= {"battle", "armed_attack"}


def test_cells_grow_until_they_fit_the_limit(many: gpd.GeoDataFrame) -> None:
    fine = incidents_grid(many, cell_km=1.0, max_cells=50)
    assert len(fine) <= 50
    assert fine["cell_km"].iloc[0] > 1.0
    assert fine["incidents"].sum() == len(located(many))


def test_grid_colours_follow_the_count_classes() -> None:
    assert grid_colour(1) != grid_colour(500)
    assert grid_colour(4) == grid_colour(1)


def test_legend_says_why_incidents_are_aggregated(many: gpd.GeoDataFrame) -> None:
    shown = located(many)
    text = legend_html(shown)
    assert "Incidents per grid cell" in text
    assert f"{len(shown):,} incidents with a coordinate" in text
    assert "Incidents by event type" in legend_html(shown.head(10))


def test_imported_incidents_above_the_limit_reach_the_map_as_a_grid(
    many: gpd.GeoDataFrame,
) -> None:
    ds: Dataset = with_incidents(load_dataset(), many, mode="replace", label="synthetic")
    layers = build_layers(ds, make_period("2013-01", "2013-12"))
    assert len(layers["incidents"]) == len(located(many))  # the download keeps every point
    assert "Incidents per grid cell" in legends_html(layers, ["incidents"])


def _features(group: folium.FeatureGroup) -> list[dict]:
    geojson = next(c for c in walk(group) if isinstance(c, folium.GeoJson))
    return json.loads(json.dumps(geojson.data))["features"]


def test_located_incidents_are_those_with_a_point_whichever_way_asked() -> None:
    """The fast mask (from lat/lon) and the geometry agree, also after an import."""
    from mali_geo.geometry import has_coordinate
    from mali_geo.incidents import has_point
    from mali_geo.load import load_incidents

    shipped = load_incidents()
    assert (~has_point(shipped)).sum() > 0  # some shipped incidents have no coordinate
    assert (has_point(shipped) == has_coordinate(shipped)).all()
    no_columns = shipped.drop(columns=["lat", "lon"])  # as the incidents layer holds them
    assert (has_point(no_columns) == has_coordinate(shipped)).all()


def test_date_ordered_incidents_select_the_same_incidents_as_the_file_order() -> None:
    """Imported incidents are kept in date order; every period selects the same incidents."""
    from mali_geo.dataset import by_date
    from mali_geo.load import load_incidents
    from mali_geo.period import month_range

    shuffled = load_incidents().sample(frac=1, random_state=3)
    ordered = by_date(shuffled)
    assert ordered["date_start"].is_monotonic_increasing
    assert list(ordered.index) == list(range(len(ordered)))
    months = month_range("2012-01", "2014-12")
    for start, end in [(months[0], months[-1]), ("2013-01", "2013-03"), ("2014-06", "2014-06")]:
        period = make_period(start, end)
        a = incidents_in_period(shuffled, period).sort_values("incident_id")
        b = incidents_in_period(ordered, period).sort_values("incident_id")
        assert a["incident_id"].tolist() == b["incident_id"].tolist()
        assert a.geometry.to_wkt().tolist() == b.geometry.to_wkt().tolist()
