"""The displacement layer as people see it: circles where people were counted, host totals."""

from __future__ import annotations

import folium
import pytest

from layers.displacement import CIRCLES_NAME, displaced_layer, picture_of_layer
from mali_geo.catalogue import SPECS, Layer, build_layers
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.displacement_picture import NOT_LOCATED
from mali_geo.period import make_period
from mali_geo.view import DEFAULT_LAYERS


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_circles_are_shown_by_default_and_the_flows_are_a_toggle() -> None:
    assert "displaced" in DEFAULT_LAYERS
    assert "displacement" not in DEFAULT_LAYERS
    assert SPECS[Layer.DISPLACEMENT].label == "Displacement flows (arrows)"


def test_circles_of_each_host_add_up_to_its_total(dataset: Dataset) -> None:
    built = build_layers(dataset, make_period("2013-01", "2013-12"), layers=["displaced"])
    picture = picture_of_layer(built["displaced"])
    assert not picture.totals.empty
    drawn = picture.circles.groupby(["kind", "host_iso3"])["people"].sum()
    for total in picture.totals.itertuples():
        assert drawn[(total.kind, total.host_iso3)] == total.people_total
    refugees = picture.totals[picture.totals["kind"] == "refugees"]
    assert len(refugees) >= 3  # Mauritania, Burkina Faso, Niger at least
    not_located = picture.circles[picture.circles["placement"] == NOT_LOCATED]
    assert (not_located["people"] > 0).all()


def test_circles_layer_draws_each_circle_with_its_host_total(dataset: Dataset) -> None:
    built = build_layers(dataset, make_period("2013-01", "2013-12"), layers=["displaced"])
    group = displaced_layer(built["displaced"])
    assert group.layer_name == CIRCLES_NAME
    page_map = folium.Map(tiles=None)
    group.add_to(page_map)
    page = page_map.get_root().render()
    assert "Host total" in page
