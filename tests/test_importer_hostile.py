"""The importer against hostile files: huge pathological cells, special files, absurd dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mali_geo.config import PROJECT_DIR
from mali_geo.errors import ImportFileError
from mali_geo.importer import ImportResult, import_bytes, import_file

LONG = 99_900  # just under the longest cell read (100,000 characters)
HEADER = ["id", "date", "date_end", "lat", "lon", "fatalities", "source", "source_url_2", "admin1"]
#: Generous: a linear import of one such row takes well under a second.
SECONDS = 5.0


def _row_csv(**cells: str) -> bytes:
    row = {
        "id": "H-1",
        "date": "2013-01-11",
        "date_end": "",
        "lat": "16.27167",
        "lon": "-0.04472",
        "fatalities": "2",
        "source": "Invented Wire",
        "source_url_2": "",
        "admin1": "Gao",
    }
    row.update(cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([HEADER, [row[c] for c in HEADER]])
    return buffer.getvalue().encode("utf-8")


def _timed_import(data: bytes, name: str) -> tuple[ImportResult, float]:
    began = time.perf_counter()
    result = import_bytes(data, source_name=name)
    return result, time.perf_counter() - began


def _only_reason(result: ImportResult) -> str:
    assert result.summary() == "read 1, accepted 0, rejected 1"
    return str(result.rejected["reason"].iloc[0])


# --- long pathological cells --------------------------------------------------------------

URL_NEAR_MISS = "http://" + "a" * LONG + "<"
ACCEPTED_CELLS = [
    pytest.param("source", URL_NEAR_MISS, "source_title", URL_NEAR_MISS, id="url-then-bracket"),
    pytest.param("source", "https://" + "a" * LONG + " x", "source_url", "", id="url-then-space"),
    pytest.param("source", "http://" + "a" * LONG, "source_url", "http://" + "a" * LONG, id="url"),
    pytest.param(
        "source_url_2", "http://a" + "/" * LONG + "<", "source_url_2", "", id="url2-slashes"
    ),
    pytest.param("admin1", "region " * (LONG // 7), "admin1", "region " * (LONG // 7), id="admin1"),
]


@pytest.mark.parametrize(("column", "cell", "field", "expected"), ACCEPTED_CELLS)
def test_long_cell_that_is_kept_imports_in_linear_time(
    column: str, cell: str, field: str, expected: str
) -> None:
    result, seconds = _timed_import(_row_csv(**{column: cell}), "long.csv")
    assert result.summary() == "read 1, accepted 1, rejected 0"
    assert result.incidents[field].iloc[0] == expected
    assert seconds < SECONDS


REJECTED_CELLS = [
    pytest.param("date", "1 " + "a" * LONG + " 2013x", "bad date: '1 aaa", id="month-run"),
    pytest.param("date", " " * LONG + "x", "bad date: '   ", id="spaces"),
    pytest.param("date", "2013-01-01" + " " * LONG + "x", "bad date: '2013-01-01 ", id="iso-tail"),
    pytest.param("lat", "1" * LONG + "x", "non-numeric coordinate: latitude '111", id="digits"),
    pytest.param(
        "lon",
        "1" * (LONG // 2) + "," + "1" * (LONG // 2 - 2) + "x",
        "non-numeric coordinate: longitude '111",
        id="decimal-comma",
    ),
    pytest.param("fatalities", "." + "1" * LONG + "e", "bad fatalities: '.111", id="exponent"),
]


@pytest.mark.parametrize(("column", "cell", "reason"), REJECTED_CELLS)
def test_long_cell_that_is_wrong_is_rejected_in_linear_time(
    column: str, cell: str, reason: str
) -> None:
    result, seconds = _timed_import(_row_csv(**{column: cell}), "long.csv")
    assert _only_reason(result).startswith(reason)
    assert seconds < SECONDS


def test_long_geojson_property_imports_in_linear_time() -> None:
    feature = {
        "type": "Feature",
        "properties": {"date": "2013-01-11", "source": URL_NEAR_MISS},
        "geometry": {"type": "Point", "coordinates": [-0.04472, 16.27167]},
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    result, seconds = _timed_import(data, "long.geojson")
    assert result.incidents["source_title"].tolist() == [URL_NEAR_MISS]
    assert result.incidents["source_url"].tolist() == [""]
    assert seconds < SECONDS


# --- only regular files are read ------------------------------------------------------------


def _run_import(path: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """The import command, in a child process so that a blocking read cannot hang the tests."""
    began = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "-m", "mali_geo", "import", str(path), "--out", str(out)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result, time.perf_counter() - began


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # nobody writes: reading it would wait forever
    result, seconds = _run_import(fifo, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "mali_geo: error: pipe.csv: cannot read a named pipe (FIFO), only a regular file"
    ]
    assert not (tmp_path / "out").exists()
    assert seconds < 60


def test_a_device_is_refused_at_once(tmp_path: Path) -> None:
    result, seconds = _run_import(Path("/dev/zero"), tmp_path / "out")  # an endless file
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "mali_geo: error: zero: cannot read a device, only a regular file"
    ]
    assert seconds < 60


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ImportFileError) as caught:
        import_file(folder)
    assert str(caught.value) == "folder.csv: cannot read a directory, only a regular file"


def test_a_regular_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(_row_csv() * 10)
    with pytest.raises(ImportFileError) as caught:
        import_file(path, max_bytes=1000)
    assert str(caught.value) == "big.csv: file too large (1,180 bytes); the limit is 1,000 bytes"
    assert import_file(path, max_bytes=len(path.read_bytes())).read == 19


# --- plausible dates only -------------------------------------------------------------------


def _in(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _a_year_from_today() -> str:
    today = dt.date.today()
    try:
        return today.replace(year=today.year + 1).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28).isoformat()


DATE_CASES = [
    pytest.param({"date": "1899-12-31"}, "bad date: '1899-12-31' is before 1900-01-01", id="1899"),
    pytest.param({"date": "31 January 1066"}, "bad date: '31 January 1066' is before", id="1066"),
    pytest.param({"date": "9999-12-31"}, "bad date: '9999-12-31' is after ", id="year-9999"),
    pytest.param({"date": _in(2 * 366)}, f"bad date: '{_in(2 * 366)}' is after ", id="future"),
    pytest.param({"date": _in(-10), "date_end": _in(2 * 366)}, "bad date: end ", id="future-end"),
    pytest.param(
        {"date": "2013-02-10", "date_end": "2013-02-01"},
        "bad date: end '2013-02-01' is before start '2013-02-10'",
        id="end-before-start",
    ),
    pytest.param(
        {"date": "2013-01-01", "date_end": "2014-01-03"},
        "bad date: end '2014-01-03' is more than 366 days after start '2013-01-01'",
        id="too-long",
    ),
]


@pytest.mark.parametrize(("cells", "reason"), DATE_CASES)
def test_implausible_dates_are_rejected_with_a_reason(cells: dict[str, str], reason: str) -> None:
    result = import_bytes(_row_csv(**cells), source_name="dates.csv")
    assert _only_reason(result).startswith(reason)


def test_future_dates_name_the_limit() -> None:
    result = import_bytes(_row_csv(date=_in(800)), source_name="dates.csv")
    assert _only_reason(result).endswith(f"is after {_a_year_from_today()} (a year from today)")


DATE_OK = [
    pytest.param({"date": "1900-01-01"}, id="earliest"),
    pytest.param({"date": _in(360)}, id="within-a-year"),
    pytest.param({"date": "2012-01-01", "date_end": "2012-12-31"}, id="leap-year-long"),
    pytest.param({"date": "2013-01-01", "date_end": "2014-01-02"}, id="366-days"),
]


@pytest.mark.parametrize("cells", DATE_OK)
def test_plausible_dates_at_the_limits_are_accepted(cells: dict[str, str]) -> None:
    result = import_bytes(_row_csv(**cells), source_name="dates.csv")
    assert result.summary() == "read 1, accepted 1, rejected 0"
    assert result.incidents["date_start"].iloc[0] == dt.datetime.fromisoformat(cells["date"])


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("#a" + " b" * (LONG // 2) + "!", id="hxl-near-miss"),
        pytest.param("1/1/" + " " * LONG + "x", id="slash-date-spaces"),
    ],
)
def test_long_first_row_cell_is_read_in_linear_time(cell: str) -> None:
    data = f"id,date,lat,lon\n{cell},2013-01-01,16.27167,-0.04472\nP-2,{cell},16.2,-0.04\n"
    result, seconds = _timed_import(data.encode(), "long.csv")
    assert result.read == 2
    assert result.hxl_line is None
    assert seconds < SECONDS
