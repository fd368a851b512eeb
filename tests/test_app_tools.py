"""The analyst tools on the page, run headless with AppTest: actor filter, compare, map files."""

from __future__ import annotations

import pytest
from app_helpers import map_features, metrics, run_app, warnings
from streamlit.testing.v1 import AppTest

from mali_geo.actors import filter_by_actor_groups
from mali_geo.catalogue import build_layers
from mali_geo.dataset import load_dataset
from mali_geo.incidents import incidents_in_period
from mali_geo.period import make_period


@pytest.fixture(scope="module")
def mnla() -> AppTest:
    return run_app(actors="mnla", layers="towns,incidents")


def test_actor_filter_from_the_url_sets_the_control_and_the_headline(mnla: AppTest) -> None:
    assert not mnla.exception
    assert mnla.multiselect(key="actors").value == ["mnla"]
    ds = load_dataset()
    expected = filter_by_actor_groups(incidents_in_period(ds.incidents, make_period()), ["mnla"])
    assert 0 < len(expected) < len(ds.incidents)
    assert metrics(mnla)["Incidents"] == f"{len(expected):,}"


def test_actor_filter_applies_to_the_map_layers(mnla: AppTest) -> None:
    expected = build_layers(load_dataset(), make_period(), actor_groups=["mnla"])
    layers = map_features(mnla)
    assert len(layers["Towns with incidents"]) == len(expected["towns"])
    everything = build_layers(load_dataset(), make_period())
    assert len(expected["towns"]) < len(everything["towns"])


def test_choosing_actor_groups_writes_them_in_the_url() -> None:
    at = run_app()
    assert "actors" not in at.query_params
    at.multiselect(key="actors").set_value(["aqim", "mnla"]).run()
    assert at.query_params["actors"] == "mnla,aqim"
    everything = metrics(run_app())["Incidents"]
    assert int(metrics(at)["Incidents"].replace(",", "")) < int(everything.replace(",", ""))


def test_unknown_actor_group_in_the_url_is_warned_and_ignored() -> None:
    at = run_app(actors="mnla,martians")
    assert at.multiselect(key="actors").value == ["mnla"]
    assert any("actor group martians" in w for w in warnings(at))


def test_feed_lists_the_period_filtered_like_the_map(mnla: AppTest) -> None:
    feeds = [d for d in mnla.dataframe if "summary" in d.value.columns]
    assert len(feeds) == 1
    rows = feeds[0].value
    assert list(rows.columns) == ["date", "place", "type", "toll", "summary", "source_url"]
    ds = load_dataset()
    expected = filter_by_actor_groups(incidents_in_period(ds.incidents, make_period()), ["mnla"])
    assert len(rows) == min(len(expected), 200)
    assert any(f"Incidents in the period ({len(expected):,})" in s.value for s in mnla.subheader)


def test_feed_of_the_whole_range_is_capped_with_a_note() -> None:
    at = run_app()
    captions = [c.value for c in at.caption]
    assert any("265 more in the download" in c for c in captions), captions
    labels = [e.proto.label for e in at.get("download_button")]
    assert "Download map (PNG)" in labels
    assert "Download map (HTML)" in labels


def test_compare_from_the_url_shows_both_periods_and_their_change() -> None:
    at = run_app(compare="2012-04..2012-12,2013-01..2013-04")
    assert not at.exception
    assert at.toggle(key="compare_on").value
    assert at.select_slider(key="compare_a_1").value == ("2012-04", "2012-12")
    assert at.select_slider(key="compare_b_1").value == ("2013-01", "2013-04")
    assert any("A Apr 2012 – Dec 2012 · B Jan 2013 – Apr 2013" in s.value for s in at.subheader), [
        s.value for s in at.subheader
    ]
    shown = metrics(at)
    ds = load_dataset()
    a = incidents_in_period(ds.incidents, make_period("2012-04", "2012-12"))
    b = incidents_in_period(ds.incidents, make_period("2013-01", "2013-04"))
    assert shown["Incidents (B)"] == f"{len(b):,}"
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["Incidents (B)"] == f"{len(b) - len(a):+,}"
    captions = [str(img.proto.imgs[0].caption) for img in at.get("image")]
    assert captions == ["Period A: Apr 2012 – Dec 2012", "Period B: Jan 2013 – Apr 2013"]
    assert at.query_params["compare"] == "2012-04..2012-12,2013-01..2013-04"


def test_compare_mode_is_switched_on_and_off_in_the_sidebar() -> None:
    at = run_app()
    assert "compare" not in at.query_params
    at.toggle(key="compare_on").set_value(True).run()
    assert not at.exception
    assert at.query_params["compare"] == "2012-01..2014-12,2012-01..2014-12"
    at.select_slider(key="compare_a_0").set_value(("2013-01", "2013-02")).run()
    assert at.query_params["compare"].startswith("2013-01..2013-02,")
    at.toggle(key="compare_on").set_value(False).run()
    assert "compare" not in at.query_params
