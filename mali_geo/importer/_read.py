"""Reading stage: bytes to text (size limit, binary refusal, encoding) and the delimiter."""

from __future__ import annotations

import csv
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Final

from mali_geo.errors import ImportFileError

#: Largest file :func:`mali_geo.importer.import_bytes` accepts by default: a browser upload.
#: Local files (the CLI, ``MALI_GEO_INCIDENTS``) have no limit but the machine's memory.
MAX_IMPORT_BYTES: Final[int] = 50 * 1024 * 1024

#: What the app says next to its upload box: where files over the upload limit go.
UPLOAD_LIMIT_HINT: Final[str] = (
    f"Files over {MAX_IMPORT_BYTES // 2**20} MB: import them once with "
    "`python -m mali_geo import FILE --out DIR --format parquet`, or start the app with "
    "`MALI_GEO_INCIDENTS=FILE` (a CSV, JSON or GeoJSON file, a Parquet file or a folder "
    "of Parquet files); neither has a size limit."
)

#: Longest cell, in characters: a row with a longer one is rejected as malformed.
MAX_CELL_CHARS: Final[int] = 100_000
#: Longest header line, in characters: a file with a longer one is refused.
MAX_HEADER_CHARS: Final[int] = 131_072

DELIMITERS: Final[tuple[str, ...]] = (",", ";", "\t")
#: A character standing for a byte that is not UTF-8 (``surrogateescape``).
UNDECODED: Final = re.compile("[\udc80-\udcff]")
_NON_ASCII: Final = re.compile(rb"[\x80-\xff]")

_BINARY_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook? save it as CSV)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (an .xls workbook? save it as CSV)"),
    (b"SQLite format 3", "an SQLite database"),
)
_SEP_HINT: Final = re.compile(r"sep=([,;\t|])\s*")


def check_size(size: int, max_bytes: int | None, name: str) -> None:
    """Refuse a file over the size limit (``None``: no limit), naming both sizes.

    Raises
    ------
    ImportFileError
        ``size`` is above ``max_bytes``.
    """
    if max_bytes is not None and size > max_bytes:
        msg = f"{name}: file too large ({size_text(size)}); the limit is {size_text(max_bytes)}"
        raise ImportFileError(msg)


def read_path(path: Path, max_bytes: int | None = None) -> bytes:
    """Read a regular file's bytes, at most ``max_bytes`` (``None``: any size).

    A directory, a device (``/dev/zero`` never ends) or a FIFO (reading waits for a writer)
    is refused before anything is read: the file is opened without blocking and checked.

    Raises
    ------
    ImportFileError
        The file is not a regular file, is too large or cannot be opened; the message starts
        with its name.
    """
    try:
        kind = _kind(os.stat(path).st_mode)  # before opening: opening a FIFO can block
        if kind is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as file:
                info = os.fstat(file.fileno())
                kind = _kind(info.st_mode)  # the path may have been swapped meanwhile
                if kind is None:
                    check_size(info.st_size, max_bytes, path.name)
                    data = file.read() if max_bytes is None else file.read(max_bytes + 1)
                    check_size(len(data), max_bytes, path.name)  # it grew while read
                    return data
    except OSError as exc:
        msg = f"{path.name}: cannot read the file ({exc.strerror or exc})"
        raise ImportFileError(msg) from None
    msg = f"{path.name}: cannot read {kind}, only a regular file"
    raise ImportFileError(msg)


def decode(data: bytes) -> str:
    """Decode bytes as text, refusing empty and binary content.

    The encoding is decided for the whole file. UTF-16 needs its byte order mark. Otherwise
    the file is UTF-8 (with or without BOM) unless most of its lines with non-ASCII bytes are
    not UTF-8: then it is Windows-1252 (Latin-1 if it has bytes Windows-1252 leaves
    undefined). In a UTF-8 file, the bytes of the few lines that are not UTF-8 are kept as
    the characters :data:`UNDECODED` matches, so that the table stage rejects those rows
    instead of the whole file being misread as Windows-1252 for one stray byte.
    """
    unmarked = data.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe")
    if not unmarked.removeprefix(b"\xfe\xff").strip(b" \t\r\n\x00"):
        raise ImportFileError("empty file")
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            msg = f"not a table: binary file ({kind})"
            raise ImportFileError(msg)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("not a table: binary file (invalid UTF-16 text)") from None
    elif b"\x00" in data:
        raise ImportFileError("not a table: binary file (contains NUL bytes)")
    else:
        text = _decode_8bit(data)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFileError("empty file")
    if "\x00" in text or _control_share(text[:65536]) > 0.01:
        raise ImportFileError("not a table: binary file (control characters)")
    return text


def header_position(lines: list[str]) -> tuple[int, str]:
    """Find the first line of the table and its delimiter (honouring Excel's ``sep=``).

    Raises
    ------
    ImportFileError
        Nothing but blank lines, a first line over :data:`MAX_HEADER_CHARS`, or no
        delimiter splits the first line.
    """
    first = first_content_line(lines)
    if first is None:
        raise ImportFileError("empty file")
    hint = _SEP_HINT.fullmatch(lines[first])
    if hint:
        first = first_content_line(lines, first + 1)
        delimiter: str | None = hint.group(1)
    width = 0 if first is None else len(lines[first].rstrip("\r\n"))
    if width > MAX_HEADER_CHARS:
        msg = (
            f"not a table: the first line has {width:,} characters; a header "
            f"may have at most {MAX_HEADER_CHARS:,}"
        )
        raise ImportFileError(msg)
    if first is not None and not hint:
        delimiter = _sniff_delimiter(lines[first])
    if first is None or delimiter is None:
        msg = "not a table: no comma, semicolon or tab separated columns on the first line"
        raise ImportFileError(msg)
    return first, delimiter


def first_content_line(lines: list[str], start: int = 0) -> int | None:
    """Index of the first non-blank line at or after ``start``."""
    return next((i for i in range(start, len(lines)) if lines[i].strip()), None)


def size_text(size: int) -> str:
    """Write a byte count as ``50 MB`` or ``1,234 bytes``."""
    mib = 1024 * 1024
    if size >= mib:
        return f"{size / mib:.1f}".removesuffix(".0") + " MB"
    return f"{size:,} bytes"


# --- helpers ------------------------------------------------------------------------------


def _kind(mode: int) -> str | None:
    """What a file is when it is not a regular file (``None`` when it is one)."""
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _decode_8bit(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), or Windows-1252 (else Latin-1) if mostly not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8-sig", "surrogateescape")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _mostly_utf8(data: bytes) -> bool:
    """Whether at least as many lines with non-ASCII bytes are UTF-8 as are not."""
    good = bad = 0
    found = _NON_ASCII.search(data)
    while found is not None:
        start = data.rfind(b"\n", 0, found.start()) + 1
        end = data.find(b"\n", found.start())
        end = len(data) if end < 0 else end
        try:
            data[start:end].decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
        found = _NON_ASCII.search(data, end)
    return good >= bad


def _control_share(text: str) -> float:
    """Share of control characters other than tab, newlines and form feed."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls / max(len(text), 1)


def _sniff_delimiter(line: str) -> str | None:
    """Pick the delimiter that splits the header line into the most fields."""
    counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else None
