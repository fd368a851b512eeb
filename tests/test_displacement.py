"""Displacement (mali_geo.displacement via mali_geo.dataset.flows_for): flows and headline figures.

Expected refugee totals are computed in the tests from the CSV's ``country_total`` rows, read
with pandas, never through the package.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from mali_geo.dataset import Dataset, flows_for, load_dataset
from mali_geo.displacement import (
    COMBINED_COLUMNS,
    FLOW_COLUMNS,
    combined_totals,
    latest_figure,
    situation_figure,
)
from mali_geo.load import load_displacement, load_displacement_situation
from mali_geo.period import make_period

PROJECT_DIR = Path(__file__).resolve().parent.parent
GEODATA = PROJECT_DIR / "geodata"
DATA = Path(__file__).resolve().parent / "data"

HOSTS = {"MRT": "Mauritania", "NER": "Niger", "BFA": "Burkina Faso"}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(GEODATA / "displacement_mali_2012_2014.csv", parse_dates=["ref_date"])


@pytest.fixture(scope="module")
def small_dataset(dataset: Dataset) -> Dataset:
    return dataclasses.replace(
        dataset, displacement=load_displacement(DATA / "displacement_small.csv")
    )


def _lines(dataset: Dataset, end: str) -> pd.DataFrame:
    return flows_for(dataset, make_period("2012-01", end)).lines


def _unhcr_year_end_total(raw: pd.DataFrame, iso3: str, year: int) -> int:
    rows = raw[
        (raw["location_level"] == "country_total")
        & (raw["population_type"] == "refugees")
        & (raw["host_iso3"] == iso3)
        & (raw["ref_date"] == pd.Timestamp(f"{year}-12-31"))
        & raw["source"].str.startswith("UNHCR")
    ]
    return int(rows["value"].sum())


# --- refugee flows ---------------------------------------------------------------------------


def test_end_2013_expected_totals_from_the_csv(raw: pd.DataFrame) -> None:
    # The figures the issue quotes, recomputed from the file.
    got = {iso3: _unhcr_year_end_total(raw, iso3, 2013) for iso3 in HOSTS}
    assert got == {"MRT": 66_393, "NER": 48_928, "BFA": 28_684}


@pytest.mark.parametrize("year", [2012, 2013, 2014])
def test_refugee_flows_add_up_to_unhcr_year_end_totals(
    dataset: Dataset, raw: pd.DataFrame, year: int
) -> None:
    lines = _lines(dataset, f"{year}-12")
    refugees = lines[lines["kind"] == "refugees"]
    for iso3, name in HOSTS.items():
        flows = refugees[refugees["destination_country"] == name]
        assert int(flows["people"].sum()) == _unhcr_year_end_total(raw, iso3, year), (year, name)
        assert set(flows["as_of"]) == {pd.Timestamp(f"{year}-12-31")}


@pytest.mark.parametrize("year", [2012, 2013, 2014])
def test_no_destination_twice_per_host(dataset: Dataset, year: int) -> None:
    lines = _lines(dataset, f"{year}-12")
    refugees = lines[lines["kind"] == "refugees"]
    assert not refugees.duplicated(["destination_country", "destination"]).any()


def test_flows_have_the_documented_columns_in_wgs84(dataset: Dataset) -> None:
    lines = _lines(dataset, "2014-12")
    assert list(lines.columns) == [*FLOW_COLUMNS, "geometry"]
    assert lines.crs == "EPSG:4326"
    assert set(lines.geom_type.dropna()) == {"LineString"}
    assert (lines["people"] > 0).all()


def test_mbera_is_one_located_flow_with_all_of_mauritania(dataset: Dataset) -> None:
    lines = _lines(dataset, "2013-12")
    mrt = lines[lines["destination_country"] == "Mauritania"]
    assert mrt["destination"].tolist() == ["Mbera"]
    assert mrt["people"].tolist() == [66_393]
    assert mrt["destination_located"].tolist() == [True]
    end = mrt.geometry.iloc[0].coords[-1]
    assert end == pytest.approx((-5.79067, 15.85615))


def test_flows_without_coordinate_have_no_geometry(dataset: Dataset) -> None:
    flows = flows_for(dataset, make_period("2013-12", "2013-12"))
    lines = flows.lines
    unlocated = lines[~lines["destination_located"].astype(bool)]
    assert unlocated.geometry.isna().all()
    # The two Niger camps no gazetteer has (places.csv: Tabareybarey, Intikan).
    niger = set(unlocated.loc[unlocated["destination_country"] == "Niger", "destination"])
    assert {"Tabareybarey", "Intikane"} <= niger
    # Located ones all have a line ending at the camp.
    located = lines[lines["destination_located"].astype(bool)]
    assert located.geometry.notna().all()
    # The unplaced table lists exactly the unlocated flows.
    assert sorted(flows.unplaced["site"]) == sorted(unlocated["destination"])
    assert int(flows.unplaced["people"].sum()) == int(unlocated["people"].sum())


def test_all_refugee_flows_start_at_the_same_northern_origin(dataset: Dataset) -> None:
    lines = _lines(dataset, "2013-12")
    starts = {line.coords[0] for line in lines.geometry.dropna()}
    assert len(starts) == 1
    (lon, lat) = starts.pop()
    assert -4.5 < lon < 4.5
    assert 16 < lat < 23


def test_ayourou_and_ayourou_ville_are_one_flow_to_ayorou(small_dataset: Dataset) -> None:
    lines = _lines(small_dataset, "2013-12")
    ayorou = lines[lines["destination"] == "Ayorou"]
    assert len(ayorou) == 1
    row = ayorou.iloc[0]
    assert row["people"] == 640
    assert row["destination_located"]
    assert set(row["sites"].split(", ")) == {"Ayourou", "Ayourou Ville"}


def test_fixture_flows_add_up_to_the_country_total(small_dataset: Dataset) -> None:
    lines = _lines(small_dataset, "2013-12")
    assert int(lines.loc[lines["destination_country"] == "Niger", "people"].sum()) == 8_740


def test_unlocated_camp_reported_in_two_rows_is_one_flow(small_dataset: Dataset) -> None:
    # UNHCR splits a site by accommodation type; Tabareybarey has no coordinate.
    lines = _lines(small_dataset, "2013-12")
    niger = lines[lines["destination_country"] == "Niger"]
    assert niger["destination"].is_unique
    tab = niger[niger["destination"] == "Tabareybarey"]
    assert tab["people"].tolist() == [8_000]


def test_period_ending_mid_2013_uses_end_2012_figures(dataset: Dataset, raw: pd.DataFrame) -> None:
    lines = _lines(dataset, "2013-06")
    refugees = lines[lines["kind"] == "refugees"]
    assert set(refugees["as_of"]) == {pd.Timestamp("2012-12-31")}
    for iso3, name in HOSTS.items():
        people = refugees.loc[refugees["destination_country"] == name, "people"].sum()
        assert int(people) == _unhcr_year_end_total(raw, iso3, 2012)


def test_period_ending_before_the_first_camp_figures_has_no_flows(dataset: Dataset) -> None:
    flows = flows_for(dataset, make_period("2012-01", "2012-11"))
    assert len(flows.lines) == 0
    assert len(flows.unplaced) == 0


# --- IDP flows -------------------------------------------------------------------------------


def test_idp_flows_appear_only_from_february_2014(dataset: Dataset) -> None:
    for end in ("2012-12", "2013-12", "2014-01"):
        lines = _lines(dataset, end)
        assert (lines["kind"] != "idps").all(), end
    lines = _lines(dataset, "2014-02")
    idps = lines[lines["kind"] == "idps"]
    assert len(idps) == 6
    assert set(idps["as_of"]) == {pd.Timestamp("2014-02-28")}
    assert set(idps["destination_country"]) == {"Mali"}
    assert idps.set_index("destination")["people"].to_dict() == {
        "Bamako region": 46_143,
        "Tombouctou region": 43_959,
        "Kidal region": 34_092,
        "Gao region": 29_326,
        "Koulikoro region": 19_101,
        "Ségou region": 12_139,
    }


def test_idp_flows_at_end_2014_use_the_december_figures(dataset: Dataset) -> None:
    lines = _lines(dataset, "2014-12")
    idps = lines[lines["kind"] == "idps"]
    assert set(idps["as_of"]) == {pd.Timestamp("2014-12-31")}
    assert int(idps["people"].sum()) == 14_386 + 11_990 + 10_456 + 10_348 + 7_245 + 2_106
    assert idps.geometry.notna().all()


# --- headline figures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "people", "as_of"),
    [
        # PROVENANCE-events.md: all hosts, UNHCR year-end.
        ("2012-12", 149_930, "2012-12-31"),
        ("2013-06", 149_930, "2012-12-31"),
        ("2013-12", 152_812, "2013-12-31"),
        ("2014-12", 139_249, "2014-12-31"),
    ],
)
def test_latest_refugee_figure(dataset: Dataset, end: str, people: int, as_of: str) -> None:
    figure = latest_figure(dataset.displacement, make_period("2012-01", end), kind="refugees")
    assert figure is not None
    assert figure["people"] == people
    assert figure["as_of"] == pd.Timestamp(as_of)
    assert figure["source"].startswith("UNHCR")


@pytest.mark.parametrize(
    ("end", "people", "as_of", "source"),
    [
        ("2012-10", 203_843, "2012-10-31", "Commission on Population Movements"),
        ("2013-10", 283_726, "2013-10-31", "IOM"),
        ("2014-02", 199_575, "2014-02-28", "IOM"),
        ("2014-03", 186_884, "2014-03-31", "IOM"),
        # Same date as IDMC (62,000) and UNHCR (99,816): IOM is preferred.
        ("2014-12", 61_621, "2014-12-31", "IOM"),
    ],
)
def test_latest_idp_figure(
    dataset: Dataset, end: str, people: int, as_of: str, source: str
) -> None:
    figure = latest_figure(dataset.displacement, make_period("2012-01", end), kind="idps")
    assert figure is not None
    assert figure["people"] == people
    assert figure["as_of"] == pd.Timestamp(as_of)
    assert figure["source"].startswith(source)
    assert figure["source_ref"]


def test_no_idp_figure_before_the_first_one(dataset: Dataset) -> None:
    assert (
        latest_figure(dataset.displacement, make_period("2012-01", "2012-05"), kind="idps") is None
    )


# --- Mali-situation totals ---------------------------------------------------------------------


def test_combined_totals_pair_one_documents_figures_only() -> None:
    situation = load_displacement_situation()
    totals = combined_totals(situation)
    assert list(totals.columns) == list(COMBINED_COLUMNS)
    assert (totals["total"] == totals["refugees"] + totals["idps"]).all()
    gaps = (totals["refugees_as_of"] - totals["idps_as_of"]).abs()
    assert (gaps <= pd.Timedelta(days=31)).all()
    # Every pair comes from one document: its URL holds both figures.
    for row in totals.itertuples():
        doc = situation[situation["source_url"] == row.source_url]
        assert row.refugees in set(doc.loc[doc["population"] == "refugees", "people"])
        assert row.idps in set(doc.loc[doc["population"] == "idps", "people"])


def test_unhcr_same_date_peak_is_update_19() -> None:
    totals = combined_totals(load_displacement_situation())
    unhcr = totals[totals["source_title"].str.startswith("UNHCR")]
    peak = unhcr.loc[unhcr["total"].idxmax()]
    assert peak["total"] == 478_013
    assert (peak["refugees"], peak["idps"]) == (176_986, 301_027)
    assert peak["refugees_as_of"] == pd.Timestamp("2013-05-31")
    assert peak["idps_as_of"] == pd.Timestamp("2013-05-21")
    assert totals["total"].max() == 527_849  # OCHA, 5 July 2013


def test_idmc_peak_is_in_no_combined_total() -> None:
    totals = combined_totals(load_displacement_situation())
    assert 350_000 not in set(totals["idps"])


def test_situation_figure_needs_exactly_one_row() -> None:
    situation = load_displacement_situation()
    cmp = situation_figure(situation, "idps", "2013-12-31", counted_by="CMP")
    assert cmp["people"] == 218_000
    with pytest.raises(KeyError, match="2 idps figures by IOM DTM"):
        situation_figure(situation, "idps", "2014-12-31", counted_by="IOM DTM")
