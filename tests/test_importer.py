"""Tests for mali_geo.importer: formats, row rejections, whole-file errors, safety, round trips."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mali_geo.errors import ImportFileError
from mali_geo.importer import (
    GED_COLUMNS,
    MAX_IMPORT_BYTES,
    ImportResult,
    import_bytes,
    import_file,
    write_import,
)
from mali_geo.schema import EVENT_TYPES, INCIDENT_COLUMNS

DATA = Path(__file__).parent / "data" / "import"

GAO = ("16.27167", "-0.04472")
KIDAL = ("18.44345", "1.40921")
TIMBUKTU = ("16.77348", "-3.00742")

PLAIN_HEADER = ["id", "date", "date_end", "lat", "lon", "place", "fatalities", "source"]
ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]
HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _csv(header: list[str] | None, rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _plain_row(**cells: str) -> list[str]:
    row = {
        "id": "P-1",
        "date": "2013-01-11",
        "date_end": "",
        "lat": GAO[0],
        "lon": GAO[1],
        "place": "Gao",
        "fatalities": "2",
        "source": "Invented Wire",
    }
    row.update(cells)
    return [row[c] for c in PLAIN_HEADER]


def _acled_row(**cells: str) -> list[str]:
    row = dict.fromkeys(ACLED_HEADER, "")
    row.update(
        event_id_cnty="FAKE-1",
        event_date="2013-01-31",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Fake Army",
        admin1="Gao",
        location="Gao",
        latitude=GAO[0],
        longitude=GAO[1],
        geo_precision="1",
        source="Invented Wire",
        fatalities="1",
    )
    row.update(cells)
    return [row[c] for c in ACLED_HEADER]


def _assert_invariant(result: ImportResult) -> None:
    assert result.accepted + len(result.rejected) == result.read
    assert len(result.incidents) == result.accepted - result.merged
    assert list(result.rejected.columns) == ["line", "reason", "raw"]
    assert list(result.incidents.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert result.incidents.crs == "EPSG:4326"


def _ints(values: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in values]


# --- each format round-trips ----------------------------------------------------------------

ACLED_EXPECTED = {
    "ids": ["FAKE-MLI-001", "FAKE-MLI-002", "FAKE-MLI-003"],
    "start": ["2013-01-31", "2013-02-01", "2013-02-14"],
    "end": ["2013-01-31", "2013-02-01", "2013-02-14"],
    "lonlat": [(-0.04472, 16.27167), (1.40921, 18.44345), (-3.00742, 16.77348)],
    "low": [3, 0, 12],
    "high": [3, 0, 12],
}
GED_EXPECTED = {
    "ids": ["900001", "900002", "900003"],
    "start": ["2013-01-12", "2013-02-02", "2013-03-01"],
    "end": ["2013-01-12", "2013-02-05", "2013-03-31"],
    "lonlat": [(-0.04472, 16.27167), (1.40921, 18.44345), (2.39609, 15.91985)],
    "low": [4, 10, 1],
    "high": [7, 10, 3],
}
PLAIN_EXPECTED = {
    "ids": ["P-1", "P-2", "P-3"],
    "start": ["2013-01-11", "2013-01-20", "2013-03-02"],
    "end": ["2013-01-11", "2013-01-20", "2013-03-02"],
    "lonlat": [(-3.890387, 14.94414), (-6.25947, 13.44032), (-3.00742, 16.77348)],
    "low": [11, None, 0],
    "high": [11, None, 0],
}
GEOJSON_EXPECTED = {
    "ids": ["G-1", "G-2"],
    "start": ["2013-01-26", "2013-01-30"],
    "end": ["2013-01-26", "2013-02-02"],
    "lonlat": [(-0.04472, 16.27167), (1.40921, 18.44345)],
    "low": [2, None],
    "high": [2, None],
}
ROUND_TRIPS = [
    ("acled_iso_dates.csv", "acled", ACLED_EXPECTED),
    ("acled_long_dates.csv", "acled", ACLED_EXPECTED),
    ("acled_short_dates.csv", "acled", ACLED_EXPECTED),
    ("ged_with_header.csv", "ucdp_ged", GED_EXPECTED),
    ("ged_without_header.csv", "ucdp_ged", GED_EXPECTED),
    ("plain_comma.csv", "plain_csv", PLAIN_EXPECTED),
    ("plain_semicolon.csv", "plain_csv", PLAIN_EXPECTED),
    ("plain_tab.tsv", "plain_csv", PLAIN_EXPECTED),
    ("plain_latin1.csv", "plain_csv", PLAIN_EXPECTED),
    ("plain_utf8_bom.csv", "plain_csv", PLAIN_EXPECTED),
    ("points.geojson", "geojson", GEOJSON_EXPECTED),
]


@pytest.mark.parametrize(("name", "fmt", "expected"), ROUND_TRIPS)
def test_valid_file_round_trips_through_geojson(
    name: str, fmt: str, expected: dict, tmp_path: Path
) -> None:
    result = import_file(DATA / name)
    _assert_invariant(result)
    assert (result.format, result.source_name) == (fmt, name)
    assert result.rejected.empty, result.rejected.to_dict("records")
    assert result.read == len(expected["ids"])

    geojson_path, csv_path = write_import(result, tmp_path / "out")
    back = gpd.read_file(geojson_path)
    for frame in (result.incidents, back):
        assert frame["incident_id"].tolist() == expected["ids"]
        starts = pd.to_datetime(frame["date_start"]).dt.strftime("%Y-%m-%d").tolist()
        ends = pd.to_datetime(frame["date_end"]).dt.strftime("%Y-%m-%d").tolist()
        assert (starts, ends) == (expected["start"], expected["end"])
        lonlat = np.column_stack([frame.geometry.x, frame.geometry.y])
        np.testing.assert_allclose(lonlat, expected["lonlat"], atol=1e-9)
        assert _ints(frame["fatalities_low"]) == expected["low"]
        assert _ints(frame["fatalities_high"]) == expected["high"]
    assert back.crs == "EPSG:4326"
    assert pd.read_csv(csv_path).empty


def test_headerless_ged_reads_like_ged_with_header() -> None:
    with_header = import_file(DATA / "ged_with_header.csv").incidents
    without = import_file(DATA / "ged_without_header.csv").incidents
    pd.testing.assert_frame_equal(
        pd.DataFrame(with_header.drop(columns="geometry")),
        pd.DataFrame(without.drop(columns="geometry")),
    )
    assert len(GED_COLUMNS) == 49


def test_ged_mapping() -> None:
    gdf = import_file(DATA / "ged_with_header.csv").incidents
    assert gdf["event_type"].tolist() == [
        "battle",
        "clash_between_armed_groups",
        "violence_against_civilians",
    ]
    assert gdf["admin1"].tolist() == ["Gao", "Kidal", "Gao"]  # "Gao region", "Kidal", "Ménaka"
    assert gdf["date_precision"].tolist() == ["day", "week", "month"]
    assert gdf["actors"].iloc[0] == "Government of Fakeland; Fake Movement"
    assert gdf["coord_source"].iloc[0] == "UCDP GED where_prec 1"
    assert gdf["place"].iloc[2] == "Ménaka town"
    assert gdf["summary"].iloc[0] == "Invented headline one"
    assert gdf["source_url"].tolist() == ["", "https://example.org/fake-ged-2", ""]
    assert gdf["source_title"].iloc[0] == "Invented Agency; Invented Agency, 2013-01-12"


def test_acled_mapping() -> None:
    gdf = import_file(DATA / "acled_iso_dates.csv").incidents
    assert gdf["event_type"].tolist() == ["battle", "air_strike", "kidnapping"]
    assert gdf["date_precision"].tolist() == ["day", "week", "month"]
    assert gdf["admin1"].tolist() == ["Gao", "Kidal", "Tombouctou"]
    assert gdf["place"].tolist() == ["Gao", "Kidal", "Timbuktu"]
    assert gdf["actors"].tolist() == [
        "Fake Army Unit; Fake Rebel Group",
        "Fake Air Force",
        "Fake Armed Group; Civilians (Mali)",
    ]
    assert gdf["coord_source"].tolist() == [f"ACLED geo_precision {p}" for p in (1, 2, 1)]
    assert gdf["source_url"].tolist() == ["", "https://example.org/fake-report", ""]
    assert gdf["source_title"].tolist() == ["Invented Wire", "", "Invented Radio"]
    assert gdf["summary"].iloc[1] == 'Invented note with "quotes", commas; and semicolons.'
    assert gdf["summary"].iloc[2] == "Invented note\nspanning two lines."
    assert (gdf["quote"] == "").all()
    assert (gdf["source_url_2"] == "").all()


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "expected"),
    [
        ("Battles", "Armed clash", "battle"),
        ("Explosions/Remote violence", "Air/drone strike", "air_strike"),
        ("Explosions/Remote violence", "Suicide bomb", "suicide_attack"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ied_landmine"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", "rocket_shelling"),
        ("Explosions/Remote violence", "Grenade", "armed_attack"),
        ("Violence against civilians", "Attack", "violence_against_civilians"),
        ("Violence against civilians", "Abduction/forced disappearance", "kidnapping"),
        ("Protests", "Peaceful protest", "riot_protest"),
        ("Riots", "Mob violence", "riot_protest"),
        ("Strategic developments", "Looting/property destruction", "strategic_development"),
        ("Something new", "", "other"),
    ],
)
def test_acled_event_types(event_type: str, sub_event_type: str, expected: str) -> None:
    data = _csv(ACLED_HEADER, [_acled_row(event_type=event_type, sub_event_type=sub_event_type)])
    result = import_bytes(data, source_name="acled.csv")
    assert result.incidents["event_type"].tolist() == [expected]
    assert expected in EVENT_TYPES


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Timbuktu", "Tombouctou"),
        ("Segou", "Ségou"),
        ("SÉGOU", "Ségou"),
        ("Menaka", "Gao"),
        ("Ménaka", "Gao"),
        ("Taoudeni", "Tombouctou"),
        ("Taoudenit", "Tombouctou"),
        ("Tombouctou Region", "Tombouctou"),
        ("District de Bamako", "Bamako"),
        ("kidal", "Kidal"),
        ("Tillabéri", "Tillabéri"),
        ("", ""),
    ],
)
def test_admin1_maps_to_2012_regions(given: str, expected: str) -> None:
    data = _csv(ACLED_HEADER, [_acled_row(admin1=given)])
    assert import_bytes(data, source_name="a.csv").incidents["admin1"].tolist() == [expected]


def test_plain_event_type_and_sources() -> None:
    gdf = import_file(DATA / "plain_comma.csv").incidents
    assert gdf["event_type"].tolist() == ["battle", "riot_protest", "other"]
    assert gdf["source_url"].tolist() == ["https://example.org/fake-konna", "", ""]
    assert gdf["source_title"].tolist() == ["", "Invented newspaper", "javascript:alert(1)"]
    assert gdf["place"].tolist() == ["Konna", "Ségou", "Tombouctou"]
    assert gdf["coord_source"].unique().tolist() == ["plain CSV lat/lon"]


def test_generated_ids_use_the_line_number() -> None:
    data = _csv(PLAIN_HEADER, [_plain_row(id=""), _plain_row(id="  ")])
    assert import_bytes(data, source_name="p.csv").incidents["incident_id"].tolist() == [
        "IMP-2",
        "IMP-3",
    ]


def test_excel_sep_hint_crlf_and_windows_1252() -> None:
    text = (
        "sep=;\r\nid;date;lat;lon;place\r\n"
        "P-1;2013-01-11;16,27167;-0,04472;L\u2019ancien march\u00e9\r\n"
    )
    result = import_bytes(text.encode("cp1252"), source_name="excel.csv")
    assert result.summary() == "read 1, accepted 1, rejected 0"
    assert result.incidents["place"].tolist() == ["L\u2019ancien march\u00e9"]
    assert result.incidents["lat"].tolist() == [16.27167]


def test_utf16_with_bom() -> None:
    data = _csv(PLAIN_HEADER, [_plain_row(place="Tombouctou")], "\t").decode().encode("utf-16")
    result = import_bytes(data, source_name="u16.txt")
    assert result.incidents["place"].tolist() == ["Tombouctou"]


# --- rejected rows --------------------------------------------------------------------------

BAD_ROWS = [
    pytest.param({"date": "2013-02-30"}, "bad date: '2013-02-30'", id="impossible-day"),
    pytest.param({"date": "yesterday"}, "bad date: 'yesterday'", id="unparseable"),
    pytest.param({"date": ""}, "bad date: missing", id="missing-date"),
    pytest.param({"date": "31 Febuary 2013"}, "bad date:", id="misspelt-month"),
    pytest.param({"date": "2013-02-10", "date_end": "2013-02-01"}, "bad date: end", id="end<start"),
    pytest.param({"date_end": "2013-13-01"}, "bad date: end '2013-13-01'", id="bad-end"),
    pytest.param({"lat": ""}, "missing coordinate", id="missing-lat"),
    pytest.param({"lon": "NA"}, "missing coordinate", id="na-lon"),
    pytest.param({"lat": "16°16'N"}, "non-numeric coordinate: latitude", id="dms-lat"),
    pytest.param({"lon": "abc"}, "non-numeric coordinate: longitude 'abc'", id="text-lon"),
    pytest.param({"lat": "inf"}, "non-numeric coordinate: latitude 'inf'", id="inf-lat"),
    pytest.param(
        {"lat": "48.8566", "lon": "2.3522"}, "outside study area: lat 48.8566", id="paris"
    ),
    pytest.param(
        {"lat": GAO[1], "lon": GAO[0]},
        "outside study area: lat -0.04472, lon 16.27167 is outside",
        id="swap-fits-but-nothing-says-mali",
    ),
    pytest.param({"fatalities": "-3"}, "negative fatalities: '-3'", id="negative"),
    pytest.param({"fatalities": "many"}, "bad fatalities: 'many'", id="text-fatalities"),
    pytest.param({"fatalities": "2.5"}, "bad fatalities: '2.5'", id="fractional-fatalities"),
    pytest.param({"id": "P-0"}, "duplicate id: P-0 (first seen on line 2)", id="duplicate"),
]


@pytest.mark.parametrize(("cells", "reason"), BAD_ROWS)
def test_bad_row_is_rejected_with_reason_and_line(cells: dict[str, str], reason: str) -> None:
    rows = [_plain_row(id="P-0"), _plain_row(**{"id": "P-9", **cells})]
    data = _csv(PLAIN_HEADER, rows)
    result = import_bytes(data, source_name="bad.csv")
    _assert_invariant(result)
    assert result.read == 2
    assert result.incidents["incident_id"].tolist() == ["P-0"]
    rejected = result.rejected.iloc[0]
    assert rejected["reason"].startswith(reason), rejected["reason"]
    assert rejected["line"] == 3
    assert rejected["raw"] == data.decode().splitlines()[2]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("P-9,2013-01-11,,16.27167,-0.04472,Gao,2", "malformed row: expected 8 fields, found 7"),
        (
            "P-9,2013-01-11,,16.27167,-0.04472,Gao,2,s,x",
            "malformed row: expected 8 fields, found 9",
        ),
        ('P-9,"2013-01-11"x,,16.27167,-0.04472,Gao,2,s', "malformed row: ',' expected after '\"'"),
    ],
)
def test_wrong_field_count_is_malformed(line: str, reason: str) -> None:
    data = _csv(PLAIN_HEADER, [_plain_row()]) + line.encode() + b"\n"
    result = import_bytes(data, source_name="bad.csv")
    _assert_invariant(result)
    assert result.rejected.to_dict("records") == [{"line": 3, "reason": reason, "raw": line}]


def test_acled_bad_long_date_and_swapped_coordinates() -> None:
    rows = [
        _acled_row(event_id_cnty="A-1", event_date="30 February 2013"),
        _acled_row(event_id_cnty="A-2", latitude=KIDAL[1], longitude=KIDAL[0]),
        _acled_row(event_id_cnty="A-3", event_date="29-Feb-12"),
    ]
    result = import_bytes(_csv(ACLED_HEADER, rows), source_name="acled.csv")
    assert result.incidents["incident_id"].tolist() == ["A-3"]
    assert result.incidents["date_start"].dt.strftime("%Y-%m-%d").tolist() == ["2012-02-29"]
    assert result.rejected["line"].tolist() == [2, 3]
    assert result.rejected["reason"].iloc[0] == "bad date: '30 February 2013' is not a date"
    assert (
        result.rejected["reason"]
        .iloc[1]
        .startswith("outside study area: latitude and longitude look swapped")
    )


def test_line_numbers_count_blank_lines_and_quoted_newlines() -> None:
    text = (
        "id,date,lat,lon,place\n"
        'P-1,2013-01-01,16.27167,-0.04472,"Gao\nnorth"\n'
        "\n"
        "P-2,2013-02-30,16.27167,-0.04472,Gao\n"
        'P-3,2013-03-01,abc,-0.04472,"two\r\nlines"\n'
    )
    result = import_bytes(text.encode(), source_name="lines.csv")
    assert result.read == 3
    assert result.incidents["place"].tolist() == ["Gao\nnorth"]
    assert result.rejected["line"].tolist() == [5, 6]
    assert result.rejected["raw"].tolist() == [
        "P-2,2013-02-30,16.27167,-0.04472,Gao",
        'P-3,2013-03-01,abc,-0.04472,"two\r\nlines"',
    ]


def test_unclosed_quote_is_one_malformed_row() -> None:
    text = 'id,date,lat,lon,place\nP-1,2013-01-01,16.2,-0.04,"open\nP-2,2013-01-02,16.2,-0.04,x\n'
    result = import_bytes(text.encode(), source_name="q.csv")
    _assert_invariant(result)
    assert result.read == 1
    assert result.rejected.to_dict("records") == [
        {
            "line": 2,
            "reason": "malformed row: unexpected end of data (spans lines 2-3: an unclosed quote?)",
            "raw": text.split("\n", 1)[1].removesuffix("\n"),
        }
    ]


def test_duplicate_of_a_rejected_row_is_kept() -> None:
    rows = [_plain_row(id="D", date="2013-02-30"), _plain_row(id="D"), _plain_row(id="D")]
    result = import_bytes(_csv(PLAIN_HEADER, rows), source_name="d.csv")
    assert result.incidents["incident_id"].tolist() == ["D"]
    assert result.rejected["line"].tolist() == [2, 4]
    assert result.rejected["reason"].tolist()[1] == "duplicate id: D (first seen on line 3)"


def test_geojson_bad_features_use_feature_numbers() -> None:
    def point(lon: object, lat: object) -> dict:
        return {"type": "Point", "coordinates": [lon, lat]}

    def feature(geometry: dict | None, date: object = "2013-01-01") -> dict:
        return {"type": "Feature", "geometry": geometry, "properties": {"date": date}}

    features = [
        feature(point(-0.04472, 16.27167)),
        feature({"type": "LineString", "coordinates": [[0, 16], [1, 17]]}),
        feature(None),
        feature(point("x", 16)),
        ["not", "a", "feature"],
        feature(point(-0.04472, 16.27167), date=2013),
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    result = import_bytes(data, source_name="f.geojson")
    _assert_invariant(result)
    assert result.incidents["incident_id"].tolist() == ["IMP-1"]
    assert result.rejected[["line", "reason"]].to_dict("records") == [
        {"line": 2, "reason": "malformed row: geometry is 'LineString', expected a Point"},
        {"line": 3, "reason": "missing coordinate"},
        {"line": 4, "reason": "non-numeric coordinate: longitude 'x'"},
        {"line": 5, "reason": "malformed row: not a GeoJSON Feature"},
        {"line": 6, "reason": "bad date: '2013' is not a date"},
    ]
    assert json.loads(result.rejected["raw"].iloc[3]) == ["not", "a", "feature"]


# --- whole-file errors ----------------------------------------------------------------------

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b" \r\n\t\n", "empty file", id="whitespace"),
        pytest.param(b"\xef\xbb\xbf", "empty file", id="bom-only"),
        pytest.param(b"id,date,lat,lon\n", None, id="header-only-is-fine"),
        pytest.param(PNG_HEADER, "not a table: binary file (a PNG image)", id="png"),
        pytest.param(b"PK\x03\x04\x14\x00", "not a table: binary file (a ZIP archive", id="xlsx"),
        pytest.param(b"id,date\x00\x01\x02,lat", "not a table: binary file", id="nul-bytes"),
        pytest.param(
            bytes(range(1, 32)) * 20, "not a table: binary file (control characters)", id="ctrl"
        ),
        pytest.param(
            b"The war in Mali began in January 2012.\nFrance intervened in 2013.\n",
            "not a table: no comma, semicolon or tab separated columns",
            id="prose",
        ),
        pytest.param(b'{"type": "Topology"}', "not a table: JSON but not a GeoJSON", id="json"),
        pytest.param(b"[1, 2", "not a table: looks like JSON but cannot be parsed", id="bad-json"),
        pytest.param(b"[" * 100_000, "not a table: looks like JSON", id="deep-json"),
        pytest.param(
            b"name,value\nGao,1\n",
            "no usable columns: missing a date (date, date_start or event_date) and a latitude",
            id="no-columns",
        ),
        pytest.param(
            b"date;lat;place\n2013-01-01;16.2;Gao\n",
            "no usable columns: missing a longitude (lon or longitude) column",
            id="no-longitude",
        ),
        pytest.param(
            b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
            b'"properties":{"when":"2013"}}]}',
            "no usable columns: no feature has a date property",
            id="geojson-no-date",
        ),
    ],
)
def test_whole_file_errors(data: bytes, message: str | None) -> None:
    if message is None:
        assert import_bytes(data, source_name="x.csv").summary() == "read 0, accepted 0, rejected 0"
        return
    with pytest.raises(ImportFileError) as info:
        import_bytes(data, source_name="x.csv")
    text = str(info.value)
    assert text.startswith(f"x.csv: {message}"), text
    assert "\n" not in text


def test_too_large_states_the_limit(tmp_path: Path) -> None:
    data = _csv(PLAIN_HEADER, [_plain_row()])
    with pytest.raises(
        ImportFileError, match=r"file too large \(\d+ bytes\); the limit is 10 bytes"
    ):
        import_bytes(data, source_name="big.csv", max_bytes=10)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=r"^big\.csv: file too large .* limit is 10 bytes$"):
        import_file(path, max_bytes=10)
    with pytest.raises(ImportFileError, match=r"file too large \(50 MB\); the limit is 50 MB"):
        import_bytes(b" " * (MAX_IMPORT_BYTES + 1), source_name="huge.csv")


def test_missing_file_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"^nope\.csv: cannot read the file"):
        import_file(tmp_path / "nope.csv")


# --- text is kept as text, links only when they are http(s) ----------------------------------


def test_script_in_place_name_stays_literal_text(tmp_path: Path) -> None:
    script = "<script>alert(1)</script>"
    rows = [
        _plain_row(id="S-1", place=script, source="javascript:alert(1)"),
        _plain_row(
            id="S-2", place='"quoted" & <b>bold</b>', source="HTTPS://example.org/ok?a=1&b=2"
        ),
        _plain_row(id="S-3", source="https://example.org/a b"),
        _plain_row(id="S-4", source="data:text/html,<script>alert(1)</script>"),
    ]
    result = import_bytes(_csv(PLAIN_HEADER, rows), source_name="xss.csv")
    gdf = result.incidents
    assert gdf["place"].tolist()[:2] == [script, '"quoted" & <b>bold</b>']
    assert gdf["source_url"].tolist() == ["", "HTTPS://example.org/ok?a=1&b=2", "", ""]
    assert gdf["source_title"].tolist() == [
        "javascript:alert(1)",
        "",
        "https://example.org/a b",
        "data:text/html,<script>alert(1)</script>",
    ]
    geojson_path, _ = write_import(result, tmp_path)
    assert script in geojson_path.read_text(encoding="utf-8")
    features = json.loads(geojson_path.read_text(encoding="utf-8"))["features"]
    assert features[0]["properties"]["place"] == script
    assert features[0]["properties"]["source_url"] == ""
    assert gpd.read_file(geojson_path)["place"].iloc[0] == script


def test_geojson_input_keeps_script_and_drops_javascript_url() -> None:
    gdf = import_file(DATA / "points.geojson").incidents
    assert gdf["place"].tolist() == ["<script>alert(1)</script>", "Kidal"]
    assert gdf["source_url"].tolist() == ["https://example.org/fake-gao", ""]
    assert gdf["source_title"].tolist() == ["", "javascript:alert(1)"]
    assert gdf["event_type"].tolist() == ["air_strike", "other"]
    assert gdf["coord_source"].unique().tolist() == ["GeoJSON point"]


# --- what write_import writes -----------------------------------------------------------------


def test_written_geojson_is_rfc7946(tmp_path: Path) -> None:
    rows = [
        _plain_row(id="W-1", lat="16.271674999", lon="-0.044721", fatalities=""),
        _plain_row(id="W-2", date="2013-02-01", date_end="2013-02-03", fatalities="7"),
        _plain_row(id="W-3", lat="nope"),
    ]
    result = import_bytes(_csv(PLAIN_HEADER, rows), source_name="w.csv")
    geojson_path, csv_path = write_import(result, tmp_path / "new" / "dir")
    text = geojson_path.read_text(encoding="utf-8")
    assert "NaN" not in text
    doc = json.loads(text)
    assert set(doc) == {"type", "features"}
    first, second = doc["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [-0.044721, 16.271675]}
    assert first["properties"]["fatalities_low"] is None
    assert second["properties"]["fatalities_high"] == 7
    assert isinstance(second["properties"]["fatalities_high"], int)
    assert (second["properties"]["date_start"], second["properties"]["date_end"]) == (
        "2013-02-01",
        "2013-02-03",
    )
    assert list(first["properties"]) == list(INCIDENT_COLUMNS)
    rejected = pd.read_csv(csv_path, keep_default_na=False)
    assert rejected.to_dict("records") == [
        {
            "line": 4,
            "reason": "non-numeric coordinate: latitude 'nope'",
            "raw": "W-3,2013-01-11,,nope,-0.04472,Gao,2,Invented Wire",
        }
    ]
    assert result.summary() == "read 3, accepted 2, rejected 1"


def test_empty_result_writes_empty_collection(tmp_path: Path) -> None:
    result = import_bytes(b"date,lat,lon\n", source_name="e.csv")
    geojson_path, csv_path = write_import(result, tmp_path)
    assert json.loads(geojson_path.read_text()) == {"type": "FeatureCollection", "features": []}
    assert csv_path.read_text() == "line,reason,raw\n"


def test_many_rows_are_checked_vectorised() -> None:
    n = 5_000
    rows = [
        _plain_row(id=f"V-{i}", fatalities=str(i % 7), lat=GAO[0] if i % 10 else "99")
        for i in range(n)
    ]
    rows.append(_plain_row(id="V-1"))
    result = import_bytes(_csv(PLAIN_HEADER, rows), source_name="many.csv")
    _assert_invariant(result)
    assert result.summary() == f"read {n + 1}, accepted {n - n // 10}, rejected {n // 10 + 1}"
    assert result.rejected["reason"].iloc[-1] == "duplicate id: V-1 (first seen on line 3)"


# --- properties: nothing lost, nothing but ImportFileError escapes --------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from(["\n", "\r", "\t", ",", ";", '"', "'", "<", ">", "&"]),
    max_size=20,
)
NASTY = st.sampled_from(
    ["<script>alert(1)</script>", "javascript:alert(1)", '"', '""', "a,b;c\td", "\r\n", " "]
)
CELL = st.one_of(TEXT, NASTY)
DATES = st.one_of(
    st.sampled_from(["2013-01-31", "31 January 2013", "31-Jan-13", "2013-02-30", "", "x"]),
    st.dates().map(str),
    CELL,
)
COORDS = st.one_of(
    st.sampled_from([*GAO, *KIDAL, *TIMBUKTU, "", "NA", "1e999", "16,5"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    CELL,
)
FATALITIES = st.one_of(st.integers(-5, 10**12).map(str), st.sampled_from(["", "1.0", "x"]), CELL)


@st.composite
def acled_rows(draw: st.DrawFn) -> list[list[str]]:
    count = draw(st.integers(0, 8))
    rows = []
    for i in range(count):
        cells = {c: draw(CELL) for c in ACLED_HEADER}
        cells.update(
            event_id_cnty=f"H-{i}",
            event_date=draw(DATES),
            latitude=draw(COORDS),
            longitude=draw(COORDS),
            fatalities=draw(FATALITIES),
        )
        rows.append([cells[c] for c in ACLED_HEADER])
    return rows


@HYPOTHESIS
@given(rows=acled_rows(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_acled_rows_keep_the_invariant_and_text(
    rows: list[list[str]], delimiter: str
) -> None:
    result = import_bytes(_csv(ACLED_HEADER, rows, delimiter), source_name="h.csv")
    _assert_invariant(result)
    assert result.read == len(rows)
    assert result.format == "acled"
    location = {row[0]: row[ACLED_HEADER.index("location")] for row in rows}
    accepted = result.incidents
    for incident_id, place in zip(accepted["incident_id"], accepted["place"], strict=True):
        assert place == location[incident_id]
    for url in result.incidents["source_url"]:
        assert url == "" or url.lower().startswith(("http://", "https://"))


@HYPOTHESIS
@given(
    rows=st.lists(st.lists(CELL, min_size=6, max_size=9), max_size=8),
    header=st.permutations(["date", "lat", "lon", "place", "event_type", "fatalities"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_plain_rows_keep_the_invariant(
    rows: list[list[str]], header: list[str], delimiter: str
) -> None:
    result = _import_or_file_error(_csv(list(header), rows, delimiter))
    assert result is not None
    assert result.read == sum(1 for row in rows if len(row) > 1 or row[0].strip())


@HYPOTHESIS
@given(data=st.binary(max_size=600))
def test_random_bytes_raise_only_import_errors(data: bytes) -> None:
    _import_or_file_error(data)


@HYPOTHESIS
@given(
    body=st.text(max_size=300),
    header=st.sampled_from(["", "id,date,lat,lon\n", "date\tlat\tlon\n"]),
)
def test_random_text_raises_only_import_errors(body: str, header: str) -> None:
    _import_or_file_error((header + body).encode("utf-8", "surrogatepass"))


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
FEATURE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature"]),
        "geometry": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"type": st.sampled_from(["Point", "Polygon"]), "coordinates": JSON}
            ),
            st.builds(
                lambda lon, lat: {"type": "Point", "coordinates": [lon, lat]},
                st.floats(-20, 20) | JSON,
                st.floats(0, 30) | JSON,
            ),
        ),
        "properties": st.one_of(
            st.none(),
            st.fixed_dictionaries({"date": DATES | JSON}, optional={"id": JSON, "place": JSON}),
            JSON,
        ),
    }
)


@HYPOTHESIS
@given(features=st.lists(FEATURE | JSON, max_size=6))
def test_random_geojson_keeps_the_invariant(features: list) -> None:
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    result = _import_or_file_error(data)
    if result is not None:
        assert result.read == len(features)


def _import_or_file_error(data: bytes) -> ImportResult | None:
    error: ImportFileError | None = None
    try:
        result = import_bytes(data, source_name="random.bin")
    except ImportFileError as exc:
        error = exc
    if error is not None:
        assert "internal error" not in str(error), error.__cause__
        assert "\n" not in str(error)
        return None
    _assert_invariant(result)
    coords = result.incidents[["lat", "lon"]].to_numpy(dtype=float)
    assert np.isfinite(coords).all()
    assert all(math.isfinite(x) for x in result.incidents.geometry.x)
    return result
