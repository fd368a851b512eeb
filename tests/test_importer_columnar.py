"""The columnar CSV reader reads a file exactly as the record-by-record reader, or declines."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mali_geo.importer import _columnar, _read, _table, formats, import_bytes

IMPORT = Path(__file__).parent / "data" / "import"
HEADER = "id,date,lat,lon,place,fatalities,notes\n"
ROW = '{i},2013-03-0{d},16.27,-0.04,Gao,{f},"a note, with a comma"\n'

#: Texts that only the record-by-record reader reads as the importer promises.
TRICKY = {
    "text after a closing quote": HEADER + '1,2013-03-01,16.27,-0.04,"Gao"x,1,n\n',
    "unclosed quote at the end": HEADER + '1,2013-03-01,16.27,-0.04,Gao,1,"n\n',
    "blank line": HEADER + "1,2013-03-01,16.27,-0.04,Gao,1,n\n\n2,2013-03-01,16.27,-0.04,Gao,1,n\n",
    "quoted line break": HEADER + '1,2013-03-01,16.27,-0.04,Gao,1,"two\nlines"\n',
    "padded row": HEADER + "1,2013-03-01,16.27,-0.04,Gao,1,n,,\n",
    "short row": HEADER + "1,2013-03-01,16.27,-0.04\n",
    "lone carriage returns": HEADER.replace("\n", "\r") + "1,2013-03-01,16.27,-0.04,Gao,1,n\r",
    "long cell": HEADER + "1,2013-03-01,16.27,-0.04,Gao,1," + "n" * 100_001 + "\n",
    "stray byte": HEADER + "1,2013-03-01,16.27,-0.04,Gao,1,caf\udce9\n",
}


def _texts() -> dict[str, str]:
    files = {p.name: _read.decode(p.read_bytes()) for p in sorted(IMPORT.glob("*.[ct]sv"))}
    plain = HEADER + "".join(ROW.format(i=i, d=1 + i % 9, f=i % 4) for i in range(50))
    return {
        **files,
        **TRICKY,
        "plain": plain,
        "crlf": plain.replace("\n", "\r\n"),
        "all quoted": _quote_all(plain),
        "some lines quoted": "".join(
            line.replace('"', "").replace(", with a comma", "") if i % 3 else line
            for i, line in enumerate(plain.splitlines(keepends=True))
        ),
        "excel sep line": "sep=;\n" + plain.replace(",", ";"),
        "hxl": HEADER + "#id,#date,#geo+lat,#geo+lon,#loc,#affected+killed,#description\n" + plain,
    }


def _quote_all(text: str) -> str:
    """Every field quoted, as spreadsheets and pandas' QUOTE_ALL write them."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        csv.reader(io.StringIO(text))
    )
    return buffer.getvalue()


def _same(fast: _table.Table, slow: _table.Table) -> None:
    assert sorted(fast.columns) == sorted(slow.columns)
    for name in slow.columns:
        pd.testing.assert_series_equal(fast.get(name), slow.get(name))
    np.testing.assert_array_equal(fast.line, slow.line)
    assert [fast.raw(i) for i in range(len(fast.line))] == [
        slow.raw(i) for i in range(len(slow.line))
    ]
    assert (fast.layout, fast.hxl_line, fast.malformed) == (slow.layout, slow.hxl_line, [])


@pytest.mark.parametrize(("name", "text"), _texts().items(), ids=list(_texts()))
def test_columnar_reading_equals_the_record_reader_or_declines(name: str, text: str) -> None:
    fast = _columnar.read_csv(text, formats.implied_header)
    slow = _table.read_csv(text, formats.implied_header)
    if name in TRICKY:
        assert fast is None
    elif fast is not None:
        _same(fast, slow)


def test_the_usual_exports_take_the_columnar_path() -> None:
    texts = _texts()
    read = [
        name
        for name in ("plain", "crlf", "all quoted", "some lines quoted", "hxl", "excel sep line")
        if _columnar.read_csv(texts[name], formats.implied_header) is not None
    ]
    assert read == ["plain", "crlf", "all quoted", "some lines quoted", "hxl", "excel sep line"]


def test_a_file_with_one_malformed_row_keeps_every_reason() -> None:
    text = TRICKY["text after a closing quote"] + ROW.format(i=2, d=2, f=0)
    result = import_bytes(text.encode(), source_name="x.csv")
    assert (result.read, result.accepted) == (2, 1)
    assert result.rejected["reason"].str.startswith("malformed row:").tolist() == [True]
