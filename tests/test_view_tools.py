"""The URL form of the analyst tools: actor groups and compared periods."""

from __future__ import annotations

from mali_geo.catalogue import SPECS, Input, Layer, View, build_layers
from mali_geo.dataset import load_dataset
from mali_geo.period import make_period
from mali_geo.view import ViewState, state_from_query, state_to_query


def test_actor_groups_round_trip_through_the_url() -> None:
    state = state_from_query({"actors": "AQIM, mnla"})
    assert state.actors == ("mnla", "aqim")
    assert state.built_for.actors == ("mnla", "aqim")
    assert state_to_query(state, all_types=[])["actors"] == "mnla,aqim"
    assert "actors" not in state_to_query(ViewState(), all_types=[])


def test_unknown_actor_groups_are_reported() -> None:
    state = state_from_query({"actors": "mnla,nobody"})
    assert state.actors == ("mnla",)
    assert state.problems == ("actor group nobody",)


def test_compare_round_trips_and_bad_values_are_reported() -> None:
    state = state_from_query({"compare": "2012-04..2012-12,2013-01..2013-04"})
    assert state.compare == (make_period("2012-04", "2012-12"), make_period("2013-01", "2013-04"))
    query = state_to_query(state, all_types=[])
    assert query["compare"] == "2012-04..2012-12,2013-01..2013-04"
    bad = state_from_query({"compare": "2013-05..2013-01"})
    assert bad.compare is None
    assert bad.problems == ("compare=2013-05..2013-01",)


def test_actor_groups_key_the_layers_built_from_incidents() -> None:
    built = build_layers(load_dataset(), make_period("2013-01", "2013-06"))
    every, mnla = View("2013-01", "2013-06"), View("2013-01", "2013-06", None, ("mnla",))
    for layer in Layer:
        spec = SPECS[layer]
        same = spec.cache_key(built[layer], every) == spec.cache_key(built[layer], mnla)
        assert same == (Input.ACTORS not in spec.inputs), layer
    assert Input.ACTORS in SPECS[Layer.TOWNS].inputs
