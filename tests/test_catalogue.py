"""The layer catalogue: every layer is offered, built, drawn, explained and cached from it."""

from __future__ import annotations

import pytest

from layers.drawing import DRAWINGS, drawn_layers, legends_html, map_group
from mali_geo.catalogue import LAYERS, MENU, SPECS, Input, Layer, View, build_layers
from mali_geo.dataset import Dataset
from mali_geo.period import full_period, make_period
from mali_geo.view import DEFAULT_LAYERS, TOGGLES


@pytest.mark.parametrize("layer", list(Layer))
def test_every_layer_has_a_spec_a_drawing_a_legend_and_a_toggle(
    layer: Layer, dataset: Dataset
) -> None:
    built = build_layers(dataset, full_period(), layers=[layer])[layer]
    assert SPECS[layer].layer is layer
    assert DRAWINGS[layer].layer is layer
    assert "<b>" in DRAWINGS[layer].legend(built)
    assert TOGGLES[layer] == SPECS[layer].label
    assert map_group(layer, built).layer_name


def test_files_toggles_and_drawing_orders_are_each_complete() -> None:
    files = ("regions", "displacement", "displaced", "towns", "incidents", "bases", "key_events")
    assert files == LAYERS
    assert [str(x) for x in MENU] == [n for n in TOGGLES if n != "context"]
    orders = [d.draw_order for d in DRAWINGS.values()]
    assert len(set(orders)) == len(Layer)
    # big symbols under small ones: towns under bases, key events (small, rare) on top
    order = drawn_layers(LAYERS, LAYERS)
    assert order.index(Layer.TOWNS) < order.index(Layer.BASES) < order.index(Layer.KEY_EVENTS)
    assert order[-1] is Layer.KEY_EVENTS
    assert "incidents" not in DEFAULT_LAYERS


def test_cache_key_changes_only_with_what_the_layer_depends_on(dataset: Dataset) -> None:
    early, late = View("2013-01", "2013-06"), View("2012-06", "2013-06")
    built = build_layers(dataset, make_period("2013-01", "2013-06"))
    for layer in Layer:
        spec = SPECS[layer]
        same = spec.cache_key(built[layer], early) == spec.cache_key(built[layer], late)
        assert same == (Input.START not in spec.inputs), layer
    typed = View("2013-01", "2013-06", ("battle",))
    towns = SPECS[Layer.TOWNS]
    assert towns.cache_key(built["towns"], early) != towns.cache_key(built["towns"], typed)


def test_legends_follow_the_visible_layers(dataset: Dataset) -> None:
    built = build_layers(dataset, full_period())
    html = legends_html(built, ["bases", "context"])
    assert "Bases: held at the end" in html
    assert "Regions" not in html


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    from mali_geo.dataset import load_dataset

    return load_dataset()
