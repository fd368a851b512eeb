"""Fuzzing the importer up to its limits: long cells and lines, many columns, odd characters.

Every generated file is either imported with accepted + rejected = read, or refused with the
package's own one-line :class:`ImportFileError`; nothing else escapes, and every rejected
row can be written to a UTF-8 ``rejected.csv``. ``pytest --fuzz`` runs many more examples.
"""

from __future__ import annotations

import csv
import io

import fuzzing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mali_geo.errors import ImportFileError
from mali_geo.importer import import_bytes
from mali_geo.importer._read import MAX_CELL_CHARS, MAX_HEADER_CHARS

FUZZ = settings(
    max_examples=fuzzing.EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COLUMNS = ["id", "date", "date_end", "lat", "lon", "place", "fatalities", "source", "notes"]
#: Digits of other scripts, and spaces that are not ASCII (``int()`` reads some of them).
ODD_DIGITS = [
    "\u0661\u0666\u066b\u0662",
    "\uff11\uff16.\uff12",
    "\u0967\u096c",
    "\u0663\u0661 \u064a\u0646\u0627\u064a\u0631 \u0662\u0660\u0661\u0663",
    "16\u00a0",
    "\u200b16.2",
    "\u3000-0.04",
]
ODD_SPACES = ["\u00a0", "\u2003", "\u3000", "\u200b", "\u2028", "\u0085", "\x0b", "\x0c"]
FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", '=HYPERLINK("x")', "\t=1", "\r=1"]
VALUES = [
    "2013-01-11", "31 January 2013", "31-Jan-13", "16.27167", "-0.04472", "16,27", "2",
    "", "NA", '"', '""', ",", ";", "\t", "\n", "\r\n", "Ségou", "L\u2019ancien", "\ufeff",
]  # fmt: skip
SHORT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(ODD_SPACES),
    max_size=12,
)
LONG = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["x", "1", " ", ",", '"', "é", "\n", "€"]),
    st.sampled_from([MAX_CELL_CHARS - 1, MAX_CELL_CHARS, MAX_CELL_CHARS + 1, 2 * MAX_CELL_CHARS]),
)
CELL = st.one_of(
    st.sampled_from(VALUES + ODD_DIGITS + FORMULAS),
    st.builds(lambda p, t: p + t, st.sampled_from(FORMULAS), SHORT),
    SHORT,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "cp1252", "latin-1", "utf-16"])


@st.composite
def rows(draw: st.DrawFn, width: int) -> list[list[str]]:
    """Rows of about ``width`` cells, now and then one long cell or very many cells."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.lists(CELL, min_size=max(width - 1, 0), max_size=width + 1))
        if row and draw(st.integers(0, 9)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(LONG)
        if draw(st.integers(0, 19)) == 0:
            row = row + ["c"] * draw(st.sampled_from([100, 5_000, 70_000]))
        out.append(row)
    return out


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """A delimited file: a header (now and then a huge one), rows, mixed encodings."""
    header = draw(st.permutations(COLUMNS))[: draw(st.integers(3, len(COLUMNS)))]
    if draw(st.integers(0, 29)) == 0:
        header = [*header, "h" * draw(st.sampled_from([MAX_HEADER_CHARS - 40, MAX_HEADER_CHARS]))]
    if draw(st.integers(0, 19)) == 0:
        header = header + [f"extra_{i}" for i in range(draw(st.integers(50, 3_000)))]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONE]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [_line(header, delimiter, quoting, newline)]
    lines += [_line(row, delimiter, quoting, newline) for row in draw(rows(len(header)))]
    encodings = draw(st.lists(ENCODINGS, min_size=len(lines), max_size=len(lines)))
    if "utf-16" in encodings:  # a whole file or nothing: UTF-16 lines would hold NUL bytes
        return "".join(lines).encode("utf-16")
    return b"".join(
        line.encode(encoding, "replace") for line, encoding in zip(lines, encodings, strict=True)
    )


def _line(cells: list[str], delimiter: str, quoting: int, newline: str) -> str:
    if quoting == csv.QUOTE_NONE:  # no escaping at all: quotes and delimiters break rows
        return delimiter.join(cells) + newline
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerow(cells)
    return buffer.getvalue()


@FUZZ
@given(data=files())
def test_files_at_the_limits_keep_the_invariant(data: bytes) -> None:
    error: ImportFileError | None = None
    try:
        result = import_bytes(data, source_name="fuzz.csv")
    except ImportFileError as exc:
        error = exc
    if error is not None:
        assert "internal error" not in str(error), error.__cause__
        assert "\n" not in str(error)
        return
    assert len(result.incidents) + len(result.rejected) == result.read
    for raw in result.rejected["raw"]:
        raw.encode("utf-8")  # a rejected row can be written to rejected.csv
    for reason in result.rejected["reason"]:
        assert "\n" not in reason
        assert len(reason) < 1_000
