"""The package's own errors: each message says which file, row and problem."""

from __future__ import annotations


class MaliGeoError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(MaliGeoError):
    """A data file is missing, malformed or fails validation."""


class PeriodError(MaliGeoError):
    """A period is malformed, reversed or outside the data's range."""


class UsageError(MaliGeoError):
    """A command-line option has a value the command cannot use."""


class ImportFileError(MaliGeoError):
    """A user's file cannot be read as incidents at all (empty, binary, too large, no columns)."""
