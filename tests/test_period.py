"""Periods (mali_geo.period) and the overlap rule, with tests/data/incidents_small.csv."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from mali_geo.catalogue import LAYERS, build_layers
from mali_geo.dataset import Dataset, load_dataset
from mali_geo.errors import PeriodError
from mali_geo.export import dumps, feature_collection
from mali_geo.incidents import incidents_in_period, monthly_counts
from mali_geo.load import load_incidents
from mali_geo.period import (
    Period,
    data_range,
    full_period,
    incidents_span,
    make_period,
    month_range,
    overlaps,
    parse_month,
)
from mali_geo.schema import INCIDENT_COLUMNS, incidents_gdf

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return load_incidents(DATA / "incidents_small.csv")


@pytest.fixture(scope="module")
def small_dataset(small: pd.DataFrame) -> Dataset:
    """The shipped dataset with the fixture's incidents."""
    return dataclasses.replace(load_dataset(), incidents=small)


def _ids(incidents: pd.DataFrame, start: str, end: str | None = None) -> list[str]:
    selected = incidents_in_period(incidents, make_period(start, end or start))
    return selected["incident_id"].tolist()


def _dates(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[ns]")


# --- the overlap rule at month boundaries ---------------------------------------------------


def test_incident_spanning_a_month_boundary_counts_in_both_months(small: pd.DataFrame) -> None:
    # FX-03 runs 2013-01-31 .. 2013-02-01.
    assert "FX-03" in _ids(small, "2013-01")
    assert "FX-03" in _ids(small, "2013-02")


def test_incident_ending_on_new_years_eve_does_not_count_in_january(small: pd.DataFrame) -> None:
    # FX-02 runs 2012-12-30 .. 2012-12-31.
    assert "FX-02" in _ids(small, "2012-12")
    assert "FX-02" not in _ids(small, "2013-01")


def test_one_day_incident_on_the_last_day_of_a_month_counts_in_that_month_only(
    small: pd.DataFrame,
) -> None:
    # FX-04 is 2013-01-31 only.
    assert "FX-04" in _ids(small, "2013-01")
    assert "FX-04" not in _ids(small, "2013-02")


def test_months_select_exactly_the_overlapping_incidents(small: pd.DataFrame) -> None:
    assert _ids(small, "2012-12") == ["FX-02"]
    assert _ids(small, "2013-01") == ["FX-03", "FX-04"]
    assert _ids(small, "2013-02") == ["FX-03", "FX-05", "FX-06"]
    assert _ids(small, "2013-01", "2013-03") == [f"FX-{i:02d}" for i in range(3, 11)]


def test_leap_day_counts_in_february_2012() -> None:
    start = _dates("2012-02-29", "2012-03-01")
    mask = overlaps(start, start, make_period("2012-02", "2012-02"))
    assert mask.tolist() == [True, False]


def test_missing_date_end_counts_as_date_start() -> None:
    start = _dates("2013-01-31", "2013-02-01")
    end = _dates(None, None)
    assert overlaps(start, end, make_period("2013-01", "2013-01")).tolist() == [True, False]
    assert overlaps(start, end, make_period("2013-02", "2013-02")).tolist() == [False, True]


def test_incident_with_missing_date_end_is_selected_in_its_start_month_only() -> None:
    row = dict.fromkeys(INCIDENT_COLUMNS)
    row.update(
        incident_id="NE-1",
        date_start="2013-01-31",
        place="Gao",
        admin1="Gao",
        event_type="battle",
        source_url="https://example.org/ne-1",
    )
    incidents = incidents_gdf(pd.DataFrame([row]))
    assert _ids(incidents, "2013-01") == ["NE-1"]
    assert _ids(incidents, "2013-02") == []
    counts = monthly_counts(incidents, ["2012-12", "2013-01", "2013-02"])
    assert counts["incidents"].tolist() == [0, 1, 0]


def test_monthly_counts_count_a_two_month_incident_in_each_month(small: pd.DataFrame) -> None:
    counts = monthly_counts(small, ["2012-12", "2013-01", "2013-02", "2013-06"])
    assert counts["month"].tolist() == ["2012-12", "2013-01", "2013-02", "2013-06"]
    assert counts["incidents"].tolist() == [1, 2, 3, 0]


def test_monthly_counts_agree_with_period_selection(small: pd.DataFrame) -> None:
    months = month_range("2012-01", "2014-12")
    counts = monthly_counts(small, months).set_index("month")["incidents"]
    for month in months:
        assert counts[month] == len(_ids(small, month)), month


# --- the whole range -------------------------------------------------------------------------


def test_default_period_is_the_whole_range() -> None:
    period = make_period()
    assert period == full_period() == Period("2012-01", "2014-12")
    assert period.start_date == pd.Timestamp("2012-01-01")
    assert period.end_date == pd.Timestamp("2014-12-31")
    months = period.months()
    assert len(months) == 36
    assert (months[0], months[-1]) == ("2012-01", "2014-12")


def test_whole_range_holds_the_first_and_last_day(small: pd.DataFrame) -> None:
    ids = incidents_in_period(small, full_period())["incident_id"].tolist()
    assert ids == small["incident_id"].tolist()
    assert "FX-01" in _ids(small, "2012-01")  # 2012-01-01
    assert "FX-14" in _ids(small, "2014-12")  # 2014-12-31


def test_whole_range_keeps_all_shipped_incidents() -> None:
    incidents = load_incidents()
    assert len(incidents_in_period(incidents, full_period())) == 465


def test_event_type_filter_keeps_only_those_types(small: pd.DataFrame) -> None:
    selected = incidents_in_period(small, full_period(), event_types=["rocket_shelling"])
    assert selected["incident_id"].tolist() == ["FX-07", "FX-08", "FX-13"]
    assert len(incidents_in_period(small, full_period(), event_types=[])) == 0


# --- empty periods ---------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2012-02", "2013-06"])
def test_period_with_no_incident_gives_empty_layers_not_an_error(
    small_dataset: Dataset, month: str
) -> None:
    period = make_period(month, month)
    layers = build_layers(small_dataset, period)
    assert list(layers) == list(LAYERS)
    assert len(layers["incidents"]) == 0
    assert len(layers["towns"]) == 0
    assert layers["regions"]["incidents"].tolist() == [0] * 9
    for name in ("incidents", "towns"):
        collection = json.loads(dumps(feature_collection(layers[name])))
        assert collection == {"type": "FeatureCollection", "features": []}
    # Every layer still serialises.
    for gdf in layers.values():
        json.loads(dumps(feature_collection(gdf)))


def test_early_period_has_no_displacement_flows_or_key_events(small_dataset: Dataset) -> None:
    layers = build_layers(small_dataset, make_period("2012-02", "2012-02"))
    assert json.loads(dumps(feature_collection(layers["displacement"])))["features"] == []
    assert json.loads(dumps(feature_collection(layers["key_events"])))["features"] == []


# --- malformed and out-of-range periods -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2013-13", "2013-00", "2013-1", "13-01", "2013/01", "January 2013", "2013-01-15", "201301"],
)
def test_malformed_month_is_a_period_error_quoting_it(text: str) -> None:
    with pytest.raises(PeriodError, match="malformed month") as excinfo:
        make_period(text, "2014-12")
    assert repr(text) in str(excinfo.value)
    with pytest.raises(PeriodError):
        make_period("2012-01", text)
    with pytest.raises(PeriodError):
        parse_month(text)


def test_start_after_end_is_a_period_error_naming_both() -> None:
    with pytest.raises(PeriodError) as excinfo:
        make_period("2013-05", "2013-02")
    assert "2013-05" in str(excinfo.value)
    assert "2013-02" in str(excinfo.value)


@pytest.mark.parametrize(
    ("start", "end", "outside"),
    [("2011-12", "2012-06", "2011-12"), ("2014-06", "2015-01", "2015-01")],
)
def test_month_outside_2012_2014_is_a_period_error(start: str, end: str, outside: str) -> None:
    with pytest.raises(PeriodError, match="outside") as excinfo:
        make_period(start, end)
    assert outside in str(excinfo.value)


def test_one_month_period_covers_that_whole_month() -> None:
    period = make_period("2013-02", "2013-02")
    assert period.start_date == pd.Timestamp("2013-02-01")
    assert period.end_date == pd.Timestamp("2013-02-28")
    assert period.label == "2013-02_2013-02"


@pytest.mark.parametrize(
    "text", ["2013-\u0660\u0661", "\uff12\uff10\uff11\uff13-01", "2013-1\u0662"]
)
def test_months_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_month(text)


def test_the_timeline_covers_the_shipped_months_widened_by_imported_dates() -> None:
    starts = pd.Series(pd.to_datetime(["2013-03-05", "1997-01-15", None]))
    ends = pd.Series(pd.to_datetime([None, "1997-02-01", None]))
    ends.iloc[0] = pd.Timestamp("2026-10-03")
    assert incidents_span(starts, ends) == ("1997-01", "2026-10")
    assert data_range(("1997-01", "2026-10")) == ("1997-01", "2026-10")
    assert data_range(("2013-03", "2013-05")) == ("2012-01", "2014-12")
    assert data_range(None) == ("2012-01", "2014-12")
    assert incidents_span(pd.Series([pd.NaT]), pd.Series([pd.NaT])) is None
