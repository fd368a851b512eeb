"""Real-world layouts of ACLED and UCDP files: every row accepted or rejected for a true reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mali_geo.importer import ImportResult, import_bytes, import_file

DATA = Path(__file__).parent / "data" / "import"
GAO = ("16.27167", "-0.04472")
KIDAL = ("18.44345", "1.40921")


def _check(result: ImportResult) -> None:
    """The report's arithmetic: read = accepted + rejected, incidents = accepted - merged."""
    assert result.accepted + len(result.rejected) == result.read
    assert len(result.incidents) == result.accepted - result.merged
    report = result.report()
    assert report.lines()[0] == result.summary()
    assert sum(report.reasons.values()) == len(result.rejected)
    assert sum(report.by_year.values()) == len(result.incidents)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _ids(result: ImportResult) -> list[str]:
    return result.incidents["incident_id"].tolist()


def _days(result: ImportResult) -> list[str]:
    return result.incidents["date_start"].dt.strftime("%Y-%m-%d").tolist()


# --- ACLED layouts --------------------------------------------------------------------------


def test_old_upper_case_acled_in_windows_1252_with_day_first_slash_dates() -> None:
    result = import_file(DATA / "acled_old_upper_cp1252.csv")
    _check(result)
    assert result.summary() == "read 3, accepted 3, rejected 0"
    assert _days(result) == ["2015-12-29", "2013-01-09", "1997-02-05"]
    assert result.incidents["admin1"].tolist() == ["Gao", "Ségou", "Tombouctou"]
    assert "“quoted” text in Ségou" in result.incidents["summary"].iloc[1]
    assert "over\nseveral lines" in result.incidents["summary"].iloc[1]
    lines = result.report().lines()
    assert "format: ACLED, CSV (upper-case header)" in lines
    assert "slash dates: day-first (31/01/2013)" in lines
    assert "by year: 1997 1, 2013 1, 2015 1" in lines


def test_battle_without_a_state_force_is_a_clash_between_armed_groups() -> None:
    result = import_file(DATA / "acled_old_upper_cp1252.csv")
    assert result.incidents["event_type"].tolist()[:2] == ["clash_between_armed_groups", "battle"]


@pytest.mark.parametrize(
    ("inter1", "inter2", "interaction", "expected"),
    [
        ("1", "2", "12", "battle"),
        ("2", "1", "", "battle"),
        ("2", "3", "", "clash_between_armed_groups"),
        ("", "", "23", "clash_between_armed_groups"),
        ("", "", "13", "battle"),
        (
            "Rebel group",
            "Identity militia",
            "Rebel group-Identity militia",
            "clash_between_armed_groups",
        ),
        ("State forces", "Rebel group", "", "battle"),
        ("", "", "", "battle"),
    ],
)
def test_acled_battle_sides(inter1: str, inter2: str, interaction: str, expected: str) -> None:
    header = ["event_id_cnty", "event_date", "event_type", "inter1", "inter2", "interaction",
              "country", "latitude", "longitude"]  # fmt: skip
    row = ["B-1", "2013-01-31", "Battles", inter1, inter2, interaction, "Mali", *GAO]
    result = import_bytes(_csv([header, row]), source_name="b.csv")
    assert result.incidents["event_type"].tolist() == [expected]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2013-01-31", "2013-01-31"),
        ("31 January 2013", "2013-01-31"),
        ("31-Jan-13", "2013-01-31"),
        ("12-September-22", "2022-09-12"),
        ("29/12/2015", "2015-12-29"),
        ("9/1/13", "2013-01-09"),
        ("1/2/2013", "2013-02-01"),
    ],
)
def test_acled_date_styles(text: str, day: str) -> None:
    header = ["event_id_cnty", "event_date", "latitude", "longitude"]
    result = import_bytes(_csv([header, ["D-1", text, *GAO]]), source_name="d.csv")
    assert _days(result) == [day]


def test_acled_slash_date_with_month_above_12_is_not_a_date() -> None:
    header = ["event_id_cnty", "event_date", "latitude", "longitude"]
    result = import_bytes(_csv([header, ["D-1", "12/29/2015", *GAO]]), source_name="d.csv")
    assert result.rejected["reason"].tolist() == [
        "bad date: '12/29/2015' is not a date (read day-first)"
    ]


def test_monadic_rows_merge_and_a_different_event_is_still_a_duplicate() -> None:
    result = import_file(DATA / "acled_monadic_pandas.csv")
    _check(result)
    assert result.summary() == "read 6, accepted 5, rejected 1"
    assert result.merged == 2
    assert _ids(result) == ["FAKE-MON-1", "FAKE-MON-2", "FAKE-MON-3"]
    assert result.incidents["actors"].tolist()[:2] == [
        "Fake Army Unit; Fake Rebel Group",
        "Fake Rebel Group; Fake Militia",
    ]
    assert result.rejected.to_dict("records")[0]["reason"] == (
        "duplicate id: FAKE-MON-2 (first seen on line 4)"
    )
    lines = result.report().lines()
    assert "2 monadic rows merged: 5 accepted rows - 2 merged = 3 incidents" in lines
    assert "rejected: duplicate id 1" in lines
    assert "by year: 2013 1, 2014 1, 2022 1" in lines


def test_pandas_index_column_and_2022_date_are_read() -> None:
    result = import_file(DATA / "acled_monadic_pandas.csv")
    assert _days(result)[-1] == "2022-09-12"


def test_r_index_column_no_break_space_and_swapped_point() -> None:
    result = import_file(DATA / "acled_r_index.csv")
    _check(result)
    assert _ids(result) == ["FAKE-R-1", "FAKE-R-2"]
    assert result.incidents["lat"].iloc[0] == pytest.approx(16.27167)
    assert (
        result.rejected["reason"]
        .iloc[0]
        .startswith("outside study area: latitude and longitude look swapped")
    )


def test_hxl_row_is_skipped_not_read_and_reported_once() -> None:
    result = import_file(DATA / "acled_hdx_hxl.csv")
    _check(result)
    assert result.summary() == "read 2, accepted 2, rejected 0"
    assert result.hxl_line == 2
    assert result.incidents["date_start"].notna().all()
    hxl = [line for line in result.report().lines() if "HXL" in line]
    assert hxl == ["HXL tag row skipped (line 2; not counted as read)"]


def test_trailing_empty_columns_are_not_malformed() -> None:
    data = (
        b"id,date,lat,lon\nP-1,2013-01-31,16.27167,-0.04472,,\nP-2,2013-02-01,16.27167,-0.04472\n"
    )
    result = import_bytes(data, source_name="t.csv")
    assert result.summary() == "read 2, accepted 2, rejected 0"
    padded = b"id,date,lat,lon,,\nP-1,2013-01-31,16.27167,-0.04472\n"
    assert import_bytes(padded, source_name="t.csv").summary() == "read 1, accepted 1, rejected 0"


# --- UCDP GED -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("ged_19_1_with_header.csv", "UCDP GED, CSV"),
        ("ged_19_1_without_header.csv", "UCDP GED, CSV without header"),
        ("ged_with_header.csv", "UCDP GED, CSV"),
        ("ged_without_header.csv", "UCDP GED, CSV without header"),
    ],
)
def test_ged_layouts(name: str, layout: str) -> None:
    result = import_file(DATA / name)
    _check(result)
    assert result.rejected.empty
    assert f"format: {layout}" in result.report().lines()


def test_ged_19_1_mapping() -> None:
    result = import_file(DATA / "ged_19_1_without_header.csv")
    assert _ids(result) == ["900101", "900102"]
    assert result.incidents["event_type"].tolist() == ["battle", "violence_against_civilians"]
    assert result.incidents["admin1"].tolist() == ["Gao", "Tombouctou"]
    assert result.incidents["date_precision"].tolist() == ["day", "month"]
    assert result.incidents["source_url"].tolist()[1] == "https://example.org/fake-ged-19"


@pytest.mark.parametrize(
    ("name", "layout"),
    [("ged_api_result.json", 'JSON {"Result": [...]}'), ("ged_api_array.json", "JSON array")],
)
def test_ucdp_api_json(name: str, layout: str) -> None:
    result = import_file(DATA / name)
    _check(result)
    assert _ids(result) == ["900201", "900202"]
    assert result.incidents["event_type"].tolist() == ["clash_between_armed_groups", "battle"]
    assert _days(result) == ["2013-05-02", "2013-05-03"]
    assert result.incidents["fatalities_high"].tolist() == [3, 5]
    assert f"format: UCDP GED, {layout}" in result.report().lines()


def test_acled_api_json_merges_monadic_rows() -> None:
    result = import_file(DATA / "acled_api_data.json")
    _check(result)
    assert result.summary() == "read 3, accepted 3, rejected 0"
    assert _ids(result) == ["FAKE-MON-1", "FAKE-API-3"]
    assert result.incidents["event_type"].tolist() == ["battle", "ied_landmine"]
    assert 'format: ACLED, JSON {"data": [...]}' in result.report().lines()


def test_json_is_detected_by_parsing_not_by_first_character() -> None:
    rows = [{"date": "2013-01-31", "lat": 16.27167, "lon": -0.04472}, 7]
    result = import_bytes(("\n\n  " + json.dumps(rows)).encode(), source_name="rows.txt")
    _check(result)
    assert result.summary() == "read 2, accepted 1, rejected 1"
    assert result.rejected["reason"].tolist() == ["malformed row: a JSON int, not an object"]
    # a CSV whose first header cell starts with "[" is still a CSV
    table = b"[id],date,lat,lon\nP-1,2013-01-31,16.27167,-0.04472\n"
    assert import_bytes(table, source_name="t.csv").summary() == "read 1, accepted 1, rejected 0"


# --- plain CSV slash dates, numbers, swapped points -------------------------------------------


@pytest.mark.parametrize(
    ("name", "days", "convention", "rejected"),
    [
        ("plain_slash_day_first.csv", ["2013-04-03", "2013-04-25"], "day-first", []),
        ("plain_slash_month_first.csv", ["2013-03-04", "2013-04-25"], "month-first", []),
        (
            "plain_slash_undecided.csv",
            ["2013-05-05"],
            "undecided",
            [
                "bad date: '03/04/2013' is ambiguous, day or month first "
                "(no date in the file has a day above 12)"
            ],
        ),
    ],
)
def test_plain_slash_dates_are_decided_per_file(
    name: str, days: list[str], convention: str, rejected: list[str]
) -> None:
    result = import_file(DATA / name)
    _check(result)
    assert _days(result) == days
    assert result.date_convention == convention
    assert result.rejected["reason"].tolist() == rejected
    assert any(line.startswith(f"slash dates: {convention}") for line in result.report().lines())


def test_mixed_slash_dates_reject_only_the_ambiguous_rows() -> None:
    rows = [["id", "date", "lat", "lon"]] + [
        [f"M-{i}", day, *GAO] for i, day in enumerate(["25/04/2013", "04/26/2013", "03/04/2013"])
    ]
    result = import_bytes(_csv(rows), source_name="m.csv")
    assert result.date_convention == "mixed"
    assert _days(result) == ["2013-04-25", "2013-04-26"]
    assert "both day-first and month-first" in result.rejected["reason"].iloc[0]


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f", "\u3000", "\t"])
def test_numbers_may_carry_unicode_white_space(space: str) -> None:
    rows = [["id", "date", "lat", "lon", "fatalities"],
            ["N-1", "2013-01-31", space + GAO[0], GAO[1] + space, space + "3"]]  # fmt: skip
    result = import_bytes(_csv(rows), source_name="n.csv")
    assert result.summary() == "read 1, accepted 1, rejected 0"
    assert result.incidents["fatalities_low"].tolist() == [3]


@pytest.mark.parametrize(
    ("country", "lat", "lon", "swapped"),
    [
        ("Mali", GAO[1], GAO[0], True),
        ("Niger", "2.1", "13.5", True),
        ("Democratic Republic of Congo", "-4.3", "15.3", False),
        ("Sudan", "13.6", "25.3", False),
        ("Angola", "-8.8", "13.2", False),
        ("", "-4.3", "15.3", False),
        ("Mali", "48.85", "2.35", False),
    ],
)
def test_swapped_only_where_the_point_is_implausible_for_the_row(
    country: str, lat: str, lon: str, swapped: bool
) -> None:
    rows = [["id", "date", "lat", "lon", "country"], ["S-1", "2013-01-31", lat, lon, country]]
    result = import_bytes(_csv(rows), source_name="s.csv")
    reason = result.rejected["reason"].iloc[0]
    assert reason.startswith("outside study area:")
    assert ("look swapped" in reason) is swapped


def test_admin1_in_mali_makes_a_swap_likely() -> None:
    rows = [
        ["id", "date", "lat", "lon", "admin1"],
        ["S-1", "2013-01-31", KIDAL[1], KIDAL[0], "Kidal"],
    ]
    result = import_bytes(_csv(rows), source_name="s.csv")
    assert "look swapped" in result.rejected["reason"].iloc[0]


def test_dates_far_from_the_study_period_are_accepted() -> None:
    rows = [["id", "date", "lat", "lon"], ["Y-1", "1997-01-01", *GAO], ["Y-2", "2026-01-01", *GAO]]
    result = import_bytes(_csv(rows), source_name="y.csv")
    assert result.summary() == "read 2, accepted 2, rejected 0"
    assert result.report().date_span == ("1997-01-01", "2026-01-01")


def test_pandas_unnamed_index_column_is_ignored() -> None:
    rows = [["Unnamed: 0", "event_id_cnty", "event_date", "latitude", "longitude"],
            ["0", "U-1", "2013-01-31", *GAO], ["1", "U-2", "2013-02-01", *KIDAL]]  # fmt: skip
    result = import_bytes(_csv(rows), source_name="u.csv")
    assert _ids(result) == ["U-1", "U-2"]


def test_rows_differing_in_more_than_actors_are_not_merged() -> None:
    header = ["event_id_cnty", "event_date", "actor1", "fatalities", "latitude", "longitude"]
    rows = [
        header,
        ["F-1", "2013-01-31", "Fake A", "2", *GAO],
        ["F-1", "2013-01-31", "Fake B", "5", *GAO],
    ]
    result = import_bytes(_csv(rows), source_name="f.csv")
    _check(result)
    assert result.merged == 0
    assert result.rejected["reason"].tolist() == ["duplicate id: F-1 (first seen on line 2)"]


def test_report_as_data() -> None:
    report = import_file(DATA / "acled_monadic_pandas.csv").report()
    assert (report.read, report.accepted, report.rejected) == (6, 5, 1)
    assert (report.merged, report.incidents) == (2, 3)
    assert report.format == "ACLED, CSV"
    assert report.date_convention is None
    assert report.date_span == ("2013-01-31", "2022-09-12")
    assert report.by_region == {"Gao": 2, "Kidal": 1}
    assert report.reasons == {"duplicate id": 1}
    assert report.hxl_line is None
