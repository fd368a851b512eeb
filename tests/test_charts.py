"""The charts: the brushable monthly chart and the refugee chart's period mark."""

from __future__ import annotations

import pandas as pd

from layers.charts import (
    BRUSH,
    PERIOD_PARAMS,
    brushed_period,
    chart_spec,
    marked_year_ends,
    monthly_chart,
    refugees_chart,
    with_period,
)
from mali_geo.dataset import load_dataset
from mali_geo.displacement import refugees_by_host
from mali_geo.incidents import monthly_counts
from mali_geo.period import month_range


def _ms(day: str) -> float:
    return pd.Timestamp(day).value / 1e6


def test_monthly_chart_has_a_brush_on_the_months() -> None:
    months = month_range("2012-01", "2014-12")
    chart = monthly_chart(monthly_counts(load_dataset().incidents, months), "2013-01", "2013-04")
    spec = chart.to_dict()
    brushes = [p for p in spec["params"] if "select" in p]
    assert [p["name"] for p in brushes] == [BRUSH]
    assert brushes[0]["select"]["encodings"] == ["x"]


def test_the_monthly_charts_period_can_be_changed_on_a_kept_spec() -> None:
    months = month_range("2012-01", "2014-12")
    spec = chart_spec(monthly_chart(monthly_counts(load_dataset().incidents, months), "", ""))
    moved = with_period(spec, "2013-01", "2013-04")
    values = {p["name"]: p.get("value") for p in moved["params"]}
    assert (values[PERIOD_PARAMS[0]], values[PERIOD_PARAMS[1]]) == ("2013-01", "2013-04")
    assert {p["name"]: p.get("value") for p in spec["params"]}[PERIOD_PARAMS[0]] == ""
    test = moved["encoding"]["color"]["condition"]["test"]
    assert all(name in test for name in PERIOD_PARAMS)
    assert "config" not in spec  # no default 300 x 300 view: Streamlit sizes the chart


def test_a_brush_gives_the_months_it_spans() -> None:
    state = {"selection": {BRUSH: {"yearmonth_month_date": [_ms("2013-01-20"), _ms("2012-11-03")]}}}
    assert brushed_period(state, first="2012-01", last="2014-12") == ("2012-11", "2013-01")
    assert brushed_period({"selection": {BRUSH: {}}}, first="2012-01", last="2014-12") is None
    assert brushed_period(None, first="2012-01", last="2014-12") is None
    wide = {"selection": {BRUSH: {"x": [_ms("2011-06-01"), _ms("2012-02-01")]}}}
    assert brushed_period(wide, first="2012-01", last="2014-12") == ("2012-01", "2012-02")


def test_refugee_chart_marks_the_period_or_the_figure_in_force() -> None:
    by_host = refugees_by_host(load_dataset().displacement)
    inside = marked_year_ends(by_host["as_of"], ("2012-06", "2013-12"))
    assert [d.year for d in inside] == [2012, 2013]
    in_force = marked_year_ends(by_host["as_of"], ("2013-01", "2013-04"))
    assert [(d.year, d.month, d.day) for d in in_force] == [(2012, 12, 31)]
    spec = refugees_chart(by_host, period=("2013-01", "2013-04")).to_dict()
    band = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert band == [{"year_end": "end 2012"}]
    assert spec["layer"][0]["mark"]["type"] == "rect"
