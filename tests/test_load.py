"""Loaders (mali_geo.load): the real geodata/ files, and tiny broken fixtures in tests/data/broken.

Every broken fixture must raise DataError whose message names the file, the row (its line number
in the file, the header being line 1) where a row is at fault, and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from pyproj import CRS

from mali_geo import load
from mali_geo.errors import DataError, MaliGeoError
from mali_geo.schema import INCIDENT_COLUMNS

PROJECT_DIR = Path(__file__).resolve().parent.parent
GEODATA = PROJECT_DIR / "geodata"
DATA = Path(__file__).resolve().parent / "data"
BROKEN = DATA / "broken"

REGIONS_2012 = {
    "Kayes",
    "Koulikoro",
    "Sikasso",
    "Ségou",
    "Mopti",
    "Tombouctou",
    "Gao",
    "Kidal",
    "Bamako",
}


def _raw_csv(name: str) -> pd.DataFrame:
    """A geodata CSV read as plain text, independently of the loaders."""
    return pd.read_csv(GEODATA / name, dtype=str, keep_default_na=False)


def _is_wgs84(crs: object) -> bool:
    return crs is not None and CRS(crs).equals(CRS("EPSG:4326"))


# --- the real files ------------------------------------------------------------------------


def test_load_regions_gives_the_nine_2012_regions_as_polygons_in_wgs84() -> None:
    regions = load.load_regions()
    assert list(regions.columns) == ["name", "name_en", "iso_3166_2", "geometry"]
    assert _is_wgs84(regions.crs)
    assert len(regions) == 9
    assert set(regions["name"]) == REGIONS_2012
    assert set(regions.geom_type) <= {"Polygon", "MultiPolygon"}
    assert regions.is_valid.all()


def test_load_countries_has_mali_as_focus_and_its_seven_neighbours() -> None:
    countries = load.load_countries()
    assert list(countries.columns) == ["adm0_a3", "name_en", "role", "geometry"]
    assert _is_wgs84(countries.crs)
    assert len(countries) == 23
    assert countries.loc[countries["role"] == "focus", "adm0_a3"].tolist() == ["MLI"]
    neighbours = set(countries.loc[countries["role"] == "neighbour", "adm0_a3"])
    assert neighbours == {"MRT", "DZA", "NER", "BFA", "SEN", "GIN", "CIV"}


def test_load_niger_is_one_line_feature_named_niger() -> None:
    niger = load.load_niger()
    assert _is_wgs84(niger.crs)
    assert niger["name"].tolist() == ["Niger"]
    assert set(niger.geom_type) <= {"LineString", "MultiLineString"}


def test_load_lakes_has_lac_debo_spelled_for_display() -> None:
    lakes = load.load_lakes()
    assert _is_wgs84(lakes.crs)
    assert len(lakes) == 9
    assert set(lakes.geom_type) <= {"Polygon", "MultiPolygon"}
    assert "Lac Débo" in set(lakes["name_display"])


def test_load_places_keeps_the_two_camps_without_coordinate_as_missing() -> None:
    places = load.load_places()
    raw = _raw_csv("places.csv")
    assert list(places.columns) == [
        "name",
        "country",
        "category",
        "lat",
        "lon",
        "source",
        "source_id",
        "license",
    ]
    assert places["name"].tolist() == raw["name"].tolist()
    assert len(places) == 47
    missing = places[places["lat"].isna()]
    assert set(missing["name"]) == {"Tabareybarey", "Intikan"}
    assert missing["lon"].isna().all()
    sevare = places.set_index("name").loc["Sévaré"]
    assert (sevare["lat"], sevare["lon"]) == (14.517357, -4.09441)


def test_load_incidents_gives_465_incidents_in_the_normalised_schema() -> None:
    incidents = load.load_incidents()
    raw = _raw_csv("incidents_mali_2012_2014.csv")
    assert list(incidents.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert _is_wgs84(incidents.crs)
    assert incidents["incident_id"].tolist() == raw["incident_id"].tolist()
    assert len(incidents) == 465
    assert str(incidents["date_start"].dtype) == "datetime64[ns]"
    assert str(incidents["date_end"].dtype) == "datetime64[ns]"
    assert str(incidents["fatalities_low"].dtype) == "Int64"
    assert str(incidents["fatalities_high"].dtype) == "Int64"
    assert str(incidents["location_precision"].dtype) == "Int64"
    assert set(incidents["location_precision"].dropna()) <= {1, 2, 3}
    assert str(incidents["toll_included_in"].dtype) == "string"
    # The recorded 2012 region is kept under the schema's name.
    assert incidents["admin1"].tolist() == raw["admin1_2012"].tolist()


def test_load_incidents_leaves_the_121_without_coordinate_unplaced() -> None:
    incidents = load.load_incidents()
    no_point = incidents.geometry.isna() | incidents.geometry.is_empty
    assert int(no_point.sum()) == 121
    assert incidents.loc[no_point.to_numpy(), "lat"].isna().all()
    placed = incidents[~no_point.to_numpy()]
    assert (placed.geometry.x == placed["lon"]).all()
    assert (placed.geometry.y == placed["lat"]).all()


def test_load_incidents_keeps_unknown_fatalities_missing_not_zero() -> None:
    incidents = load.load_incidents()
    raw = _raw_csv("incidents_mali_2012_2014.csv")
    assert incidents["fatalities_low"].isna().tolist() == raw["fatalities_low"].eq("").tolist()
    assert incidents["fatalities_high"].isna().tolist() == raw["fatalities_high"].eq("").tolist()


def test_load_key_events_parses_day_and_month_dates() -> None:
    events = load.load_key_events()
    assert len(events) == 38
    assert list(events.columns) == [
        "date",
        "date_precision",
        "place",
        "lat",
        "lon",
        "event",
        "source_url",
        "source_quote",
    ]
    assert str(events["date"].dtype) == "datetime64[ns]"
    coup = events[events["event"].str.startswith("Military coup")]
    assert coup["date"].tolist() == [pd.Timestamp("2012-03-22")]
    # A month-precision date is the first day of its month.
    month_rows = events[events["date_precision"] == "month"]
    assert len(month_rows) > 0
    assert (month_rows["date"].dt.day == 1).all()


def test_load_displacement_gives_one_integer_figure_per_row() -> None:
    displacement = load.load_displacement()
    raw = _raw_csv("displacement_mali_2012_2014.csv")
    assert len(displacement) == 771
    assert str(displacement["value"].dtype) == "int64"
    assert str(displacement["ref_date"].dtype) == "datetime64[ns]"
    assert displacement["value"].tolist() == raw["value"].astype(int).tolist()


def test_load_displacement_situation_gives_dated_figures_without_derived_rows() -> None:
    situation = load.load_displacement_situation()
    raw = _raw_csv("displacement_situation_2012_2014.csv")
    assert len(situation) == len(raw) == 126
    assert list(situation.columns)[:3] == ["as_of", "as_of_precision", "published"]
    assert str(situation["as_of"].dtype) == "datetime64[ns]"
    assert str(situation["people"].dtype) == "int64"
    assert situation["as_of"].is_monotonic_increasing
    assert situation["as_of_precision"].value_counts().to_dict() == {
        "day": 122,
        "month": 3,
        "year": 1,
    }
    # Sums a document did not print are left out; IDMC's year-only peak keeps its precision.
    assert not raw["note"].str.contains("DERIVED").any()
    peak = situation[situation["as_of_precision"] == "year"].iloc[0]
    assert (peak["as_of"], peak["people"]) == (pd.Timestamp("2013-01-01"), 350_000)
    assert set(situation.loc[situation["population"] == "idps", "host"]) == {"Mali"}


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("as_of", "31/05/2013", "as_of '31/05/2013' is not a YYYY-MM-DD, YYYY-MM or YYYY date"),
        ("people", "about 5000", "people 'about 5000' is not a whole number"),
        ("host", "Niger", "population 'idps' with host 'Niger'"),
    ],
)
def test_load_displacement_situation_names_a_bad_row(
    tmp_path: Path, field: str, value: str, problem: str
) -> None:
    raw = _raw_csv("displacement_situation_2012_2014.csv")
    row = raw.index[raw["population"].eq("idps")][0]
    raw.loc[row, field] = value
    path = tmp_path / "situation.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataError, match=rf"^situation\.csv: row {row + 2}: {re.escape(problem)}"):
        load.load_displacement_situation(path)


def test_load_bases_gives_seven_bases_sorted_by_date_and_all_cited() -> None:
    bases = load.load_bases()
    assert len(bases) == 36
    assert bases["base_id"].nunique() == 7
    for _, group in bases.groupby("base_id"):
        assert group["date"].is_monotonic_increasing
    assert bases["source_url"].str.match(r"https?://").all()


def test_load_census_adds_up_to_the_2009_national_total() -> None:
    census = load.load_census()
    assert set(census["name"]) == REGIONS_2012
    assert int(census["population_2009"].sum()) == 14_517_176


def test_load_incidents_on_the_small_fixture() -> None:
    incidents = load.load_incidents(DATA / "incidents_small.csv")
    assert len(incidents) == 14
    by_id = incidents.set_index("incident_id")
    assert by_id.loc["FX-06"].geometry is None
    assert pd.isna(by_id.loc["FX-04", "fatalities_high"])
    assert by_id.loc["FX-09", "fatalities_low"] == 0
    # The fixture predates the two columns: both load as empty.
    assert incidents["location_precision"].isna().all()
    assert incidents["toll_included_in"].isna().all()


def test_load_incidents_keeps_the_toll_links_of_contained_incidents() -> None:
    by_id = load.load_incidents().set_index("incident_id")
    # Lt Boiteux's death and the 7 executed soldiers are inside the Konna battle toll.
    assert by_id.loc["MLI-0043", "toll_included_in"] == "MLI-0040"
    assert by_id.loc["MLI-2002", "toll_included_in"] == "MLI-0040"
    assert pd.isna(by_id.loc["MLI-0040", "toll_included_in"])


# --- broken fixtures -----------------------------------------------------------------------

Loader = Callable[[Path], object]

# (loader, fixture file, fragments the message must contain besides the file name)
BROKEN_CASES: list[tuple[Loader, str, tuple[str, ...]]] = [
    (load.load_incidents, "incidents_missing_column.csv", ("missing column", "event_type")),
    (load.load_incidents, "incidents_bad_date.csv", ("row 3", "date_start", "2013-02-30")),
    (
        load.load_incidents,
        "incidents_coordinate_out_of_range.csv",
        ("row 4", "lat=95.0", "outside"),
    ),
    (load.load_incidents, "incidents_half_coordinate.csv", ("row 3", "coordinate incomplete")),
    (load.load_incidents, "incidents_bad_lat.csv", ("row 2", "lat", "14,94414", "not a number")),
    (load.load_incidents, "incidents_end_before_start.csv", ("row 2", "date_end", "before")),
    (load.load_incidents, "incidents_duplicate_id.csv", ("row 3", "duplicate", "FX-01")),
    (load.load_incidents, "incidents_bad_fatalities.csv", ("row 2", "fatalities_low", "about 11")),
    (load.load_incidents, "incidents_missing_source_url.csv", ("row 2", "source_url", "empty")),
    (load.load_incidents, "incidents_bad_precision.csv", ("row 3", "location_precision", "'4'")),
    (
        load.load_incidents,
        "incidents_precision_missing.csv",
        ("row 3", "location_precision is empty", "coordinate"),
    ),
    (load.load_incidents, "incidents_toll_link_unknown.csv", ("row 3", "FX-09", "another")),
    (
        load.load_incidents,
        "incidents_toll_link_cycle.csv",
        ("row 2", "cycle", "FX-01 -> FX-03 -> FX-02 -> FX-01"),
    ),
    (load.load_places, "places_missing_column.csv", ("missing column", "license")),
    (load.load_places, "places_coordinate_out_of_range.csv", ("row 3", "201.40921", "outside")),
    (load.load_places, "places_half_coordinate.csv", ("row 4", "coordinate incomplete")),
    (load.load_places, "places_duplicate_name.csv", ("row 4", "duplicate", "Gao")),
    (load.load_key_events, "key_events_bad_date.csv", ("row 3", "date", "17 Jan 2012")),
    (load.load_key_events, "key_events_coordinate_out_of_range.csv", ("row 3", "-16.5", "outside")),
    (load.load_displacement, "displacement_missing_column.csv", ("missing", "population_type")),
    (load.load_displacement, "displacement_bad_date.csv", ("row 2", "ref_date", "31/12/2013")),
    (load.load_displacement, "displacement_bad_value.csv", ("row 3", "value", "7 724")),
    (load.load_displacement, "displacement_negative_value.csv", ("row 3", "value", "-7724")),
    (load.load_bases, "bases_missing_column.csv", ("missing column", "held_by")),
    (load.load_bases, "bases_bad_date.csv", ("row 3", "date", "2013-01-32")),
    (load.load_bases, "bases_missing_source_url.csv", ("row 3", "source_url", "empty")),
    (load.load_census, "census_unknown_region.csv", ("unknown region", "Ménaka")),
    (load.load_census, "census_bad_population.csv", ("row 3", "population_2009", "67 638")),
    (load.load_regions, "regions_wrong_crs.geojson", ("CRS", "32630", "4326")),
    (load.load_regions, "regions_unknown_name.geojson", ("unknown region", "Ménaka")),
    (load.load_regions, "regions_missing_property.geojson", ("missing property", "iso_3166_2")),
    (load.load_regions, "regions_point_geometry.geojson", ("feature 2", "Point")),
    (load.load_regions, "regions_truncated.geojson", ("cannot be read",)),
    (load.load_countries, "countries_wrong_crs.geojson", ("CRS", "3857", "4326")),
    (load.load_lakes, "lakes_line_geometry.geojson", ("feature 1", "LineString")),
    (load.load_niger, "niger_missing_property.geojson", ("missing property", "name")),
]


@pytest.mark.parametrize(
    ("loader", "fixture", "fragments"),
    BROKEN_CASES,
    ids=[case[1] for case in BROKEN_CASES],
)
def test_broken_fixture_raises_data_error_naming_file_row_and_problem(
    loader: Loader, fixture: str, fragments: tuple[str, ...]
) -> None:
    with pytest.raises(DataError) as excinfo:
        loader(BROKEN / fixture)
    message = str(excinfo.value)
    assert message.startswith(f"{fixture}: ")
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message


def test_vector_loader_refuses_coordinates_outside_lon_lat_range() -> None:
    # Projected metres written without a crs member (RFC 7946 files have none) are read as
    # EPSG:4326; the loader must notice that they are not degrees.
    fixture = "regions_projected_coordinates.geojson"
    with pytest.raises(DataError) as excinfo:
        load.load_regions(BROKEN / fixture)
    assert str(excinfo.value).startswith(f"{fixture}: ")


def test_bad_row_after_a_multiline_field_is_named_by_its_line_in_the_file() -> None:
    # FX-01's summary spans lines 2-3 (a quoted newline), so the bad FX-02 row is on line 4.
    fixture = "incidents_multiline_bad_date.csv"
    with pytest.raises(DataError) as excinfo:
        load.load_incidents(BROKEN / fixture)
    message = str(excinfo.value)
    assert message.startswith(f"{fixture}: ")
    assert "2013-02-30" in message
    assert "row 4" in message


@pytest.mark.parametrize(
    "loader",
    [
        load.load_regions,
        load.load_countries,
        load.load_niger,
        load.load_lakes,
        load.load_places,
        load.load_incidents,
        load.load_key_events,
        load.load_displacement,
        load.load_displacement_situation,
        load.load_bases,
        load.load_census,
    ],
)
def test_missing_file_is_a_data_error_naming_the_file(loader: Loader, tmp_path: Path) -> None:
    path = tmp_path / "no_such_file.csv"
    with pytest.raises(MaliGeoError, match=r"^no_such_file\.csv: file not found"):
        loader(path)
