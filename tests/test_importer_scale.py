"""Files past the browser upload limit: local files have no size cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from mali_geo.errors import ImportFileError
from mali_geo.importer import MAX_IMPORT_BYTES, UPLOAD_LIMIT_HINT, import_bytes, import_file

DATA = Path(__file__).parent / "data"


def _padded(path: Path) -> bytes:
    """A small table followed by a blank line longer than the upload limit."""
    return (DATA / "app_import.csv").read_bytes() + b" " * (MAX_IMPORT_BYTES + 1) + b"\n"


def test_a_local_file_over_the_upload_limit_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(_padded(path))
    result = import_file(path)
    assert path.stat().st_size > MAX_IMPORT_BYTES
    assert (result.read, result.accepted, len(result.rejected)) == (4, 2, 2)


def test_an_upload_over_the_limit_is_refused_with_the_way_round_it(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="file too large"):
        import_bytes(_padded(tmp_path), source_name="big.csv")
    assert "python -m mali_geo import" in UPLOAD_LIMIT_HINT
    assert "MALI_GEO_INCIDENTS" in UPLOAD_LIMIT_HINT
