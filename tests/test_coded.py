"""Coded incidents (mali_geo.coded): the dataset's arrays give the same layers and figures.

Towns, regions and the headline read a period's rows of arrays coded once per dataset
(a million incidents: no text coded per period). These tests check that what a user sees is
the same as when the selection is coded on its own, for periods that select one block of
rows or scattered rows, with event-type filters, with incidents spanning months and tolls
counted in another incident; and that a frame which is not a selection of the dataset is
never read through the dataset's arrays.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from mali_geo.catalogue import Layer, build_layers, select_incidents
from mali_geo.coded import coded_selection, grid_input_of
from mali_geo.dataset import Dataset, by_date, load_dataset, selection_grid, with_incidents
from mali_geo.incidents import counted_tolls, fatality_range, incidents_grid
from mali_geo.period import Period
from mali_geo.regions import regions_with_incidents
from mali_geo.summary import headline
from mali_geo.towns import towns_with_incidents

VIEWS = [
    (Period("2012-01", "2014-12"), None),
    (Period("2013-01", "2013-03"), None),
    (Period("2012-03", "2012-04"), ("battle", "armed_attack")),
    (Period("2013-01", "2013-01"), ("air_strike",)),
    (Period("2014-05", "2014-05"), ("battle",)),
]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def doubled(shipped: Dataset) -> Dataset:
    """The shipped incidents added again under other ids: a dataset put in date order."""
    extra = shipped.incidents.copy()
    extra["incident_id"] = "COPY-" + extra["incident_id"].astype(str)
    return with_incidents(shipped, extra, mode="add", label="copies", key="copies")


@pytest.mark.parametrize(("period", "types"), VIEWS)
@pytest.mark.parametrize("which", ["shipped", "doubled"])
def test_towns_and_regions_from_the_dataset_arrays_equal_those_coded_alone(
    which: str, period: Period, types: tuple[str, ...] | None, request: pytest.FixtureRequest
) -> None:
    ds: Dataset = request.getfixturevalue(which)
    sel = select_incidents(ds, period, types)
    coded = ds.coded_rows(sel)
    assert coded is not None
    assert len(coded) == len(sel)
    pd.testing.assert_frame_equal(
        towns_with_incidents(sel, points=ds.place_points, coded=coded),
        towns_with_incidents(sel, points=ds.place_points),
    )
    pd.testing.assert_frame_equal(
        regions_with_incidents(ds.regions, sel, coded=coded),
        regions_with_incidents(ds.regions, sel),
    )


@pytest.mark.parametrize(("period", "types"), VIEWS)
@pytest.mark.parametrize("cell_km", [25.0, 200.0])
def test_grid_cells_from_the_dataset_arrays_equal_those_of_the_incidents_layer(
    doubled: Dataset, period: Period, types: tuple[str, ...] | None, cell_km: float
) -> None:
    """The map's grid (read from the coded incidents) is the grid of the layer as built."""
    sel = select_incidents(doubled, period, types)
    coded = doubled.coded_rows(sel)
    assert coded is not None
    layer = build_layers(doubled, period, layers=[Layer.INCIDENTS], event_types=types)
    pd.testing.assert_frame_equal(
        incidents_grid(grid_input_of(coded), cell_km=cell_km, max_cells=40),
        incidents_grid(layer[Layer.INCIDENTS], cell_km=cell_km, max_cells=40),
    )
    pd.testing.assert_frame_equal(  # what the map draws
        selection_grid(doubled, sel), incidents_grid(layer[Layer.INCIDENTS])
    )


@pytest.mark.parametrize(("period", "types"), VIEWS)
def test_headline_figures_from_the_arrays_equal_those_of_the_rows(
    doubled: Dataset, period: Period, types: tuple[str, ...] | None
) -> None:
    sel = select_incidents(doubled, period, types)
    assert doubled.coded_rows(sel) is not None
    shown = headline(doubled, period, selected=sel)
    low, high = counted_tolls(sel)
    assert (shown.fatalities_low, shown.fatalities_high) == fatality_range(low, high)
    assert shown.without_toll == int((low.isna() & high.isna()).sum())
    assert shown.located == int((sel["lat"].notna() & sel["lon"].notna()).sum())
    assert shown.incidents == len(sel)


def test_rows_in_another_order_are_read_in_that_order(doubled: Dataset) -> None:
    sel = select_incidents(doubled, Period("2013-01", "2013-02"))
    shuffled = sel.sample(frac=1.0, random_state=5)
    coded = doubled.coded_rows(shuffled)
    assert coded is not None
    places = [coded.place.values[c] if c >= 0 else None for c in coded.place.codes]
    assert places == [None if pd.isna(p) else p for p in shuffled["place"]]


def test_the_layers_count_every_selected_incident_once(doubled: Dataset) -> None:
    period = Period("2013-01", "2013-06")
    layers = build_layers(doubled, period, layers=[Layer.TOWNS, Layer.REGIONS])
    sel = select_incidents(doubled, period)
    located_with_place = sel["place"].notna() & sel["lat"].notna() & sel["lon"].notna()
    assert layers[Layer.TOWNS]["incidents"].sum() == located_with_place.sum()
    assert layers[Layer.REGIONS]["incidents"].sum() == sel["admin1"].notna().sum()


def test_a_frame_that_is_not_a_selection_of_the_dataset_is_coded_on_its_own(
    shipped: Dataset,
) -> None:
    renumbered = shipped.incidents.iloc[10:20].reset_index(drop=True)
    assert shipped.coded_rows(renumbered) is None  # its index names other rows
    renamed = shipped.incidents.copy()
    renamed["incident_id"] = "X-" + renamed["incident_id"].astype(str)
    assert coded_selection(shipped.coded, shipped.incidents, renamed) is None
    assert shipped.coded_rows(shipped.incidents.iloc[10:20]) is not None


def test_a_dataset_keeps_each_text_column_in_one_chunk_with_its_type(shipped: Dataset) -> None:
    """Incidents read in row groups are combined once: taking rows is then cheap."""
    chunked = shipped.incidents.copy()
    for name in ("place", "summary"):
        values = chunked[name]
        parts = [pa.array(values.iloc[:200].tolist()), pa.array(values.iloc[200:].tolist())]
        chunked[name] = pd.Series(pd.array(pa.chunked_array(parts), dtype=values.dtype))
        assert chunked[name].array.__arrow_array__().num_chunks == 2
    ds = with_incidents(shipped, chunked, mode="replace", label="chunked", key="chunked")
    for name in ("place", "summary"):
        assert ds.incidents[name].dtype == shipped.incidents[name].dtype
        assert ds.incidents[name].array.__arrow_array__().num_chunks == 1
        assert ds.incidents[name].tolist() == by_date(shipped.incidents)[name].tolist()
