"""The import worker: a separate process, stopped when it takes too long or needs too much."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pandas as pd
import pytest
from hostile_files import incidents_csv

from mali_geo.errors import ImportFileError
from mali_geo.importer import import_bytes, import_file
from mali_geo.importer.worker import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    MEMORY_ENV,
    TIMEOUT_ENV,
    import_in_worker,
    memory_limit_bytes,
    timeout_seconds,
)

DATA = Path(__file__).parent / "data" / "import"
MIB = 1024 * 1024


def _assert_same(worker: object, local: object) -> None:
    from mali_geo.importer import ImportResult

    assert isinstance(worker, ImportResult)
    assert isinstance(local, ImportResult)
    assert worker.summary() == local.summary()
    assert worker.report() == local.report()  # merged rows, HXL line, date convention too
    assert (worker.read, worker.format, worker.source_name) == (
        local.read,
        local.format,
        local.source_name,
    )
    pd.testing.assert_frame_equal(worker.incidents, local.incidents)
    pd.testing.assert_frame_equal(worker.rejected, local.rejected)


@pytest.mark.parametrize(
    "name",
    [
        "plain_latin1.csv",
        "acled_long_dates.csv",
        "points.geojson",
        "acled_monadic_pandas.csv",
        "acled_hdx_hxl.csv",
        "plain_slash_day_first.csv",
    ],
)
def test_a_normal_file_gives_the_same_result_as_in_process(name: str) -> None:
    path = DATA / name
    _assert_same(import_in_worker(path, name, timeout_s=120), import_file(path))


def test_bytes_with_rejected_rows_give_the_same_result_as_in_process() -> None:
    data = incidents_csv(20_000) + incidents_csv(20_000, bad=True).split(b"\n", 1)[1]
    worker = import_in_worker(data, "mixed.csv", timeout_s=120)
    local = import_bytes(data, source_name="mixed.csv")
    assert len(local.rejected) > 100
    _assert_same(worker, local)


def test_a_file_error_in_the_worker_is_the_same_one_line_error() -> None:
    with pytest.raises(ImportFileError) as caught:
        import_in_worker(b"\x89PNG\r\n\x1a\n\x00", "map.csv", timeout_s=120)
    assert str(caught.value) == "map.csv: not a table: binary file (a PNG image)"


def test_a_slow_import_is_stopped_at_the_time_limit() -> None:
    data = incidents_csv(40 * MIB)  # takes several seconds to import
    earlier = set(multiprocessing.active_children())  # left by other tests, not this one's
    began = time.perf_counter()
    with pytest.raises(ImportFileError) as caught:
        import_in_worker(data, "slow.csv", timeout_s=2)
    seconds = time.perf_counter() - began
    assert str(caught.value) == "slow.csv: the import took longer than 2 s; it was stopped"
    assert seconds < 20  # stopped, not waited for
    assert set(multiprocessing.active_children()) <= earlier  # and its process is gone


def test_a_huge_import_is_stopped_at_the_memory_limit() -> None:
    data = incidents_csv(20 * MIB)  # needs a few hundred MB
    with pytest.raises(ImportFileError) as caught:
        import_in_worker(data, "huge.csv", timeout_s=120, memory_bytes=64 * MIB)
    assert str(caught.value) == (
        "huge.csv: the import needed more than 64 MB of memory; it was stopped"
    )


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    monkeypatch.delenv(MEMORY_ENV, raising=False)
    assert (timeout_seconds(), memory_limit_bytes()) == (60.0, 1536 * MIB)
    assert (DEFAULT_TIMEOUT_S, DEFAULT_MEMORY_MB) == (60.0, 1536)
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    monkeypatch.setenv(MEMORY_ENV, "512")
    assert (timeout_seconds(), memory_limit_bytes()) == (2.5, 512 * MIB)
    monkeypatch.setenv(TIMEOUT_ENV, "soon")
    with pytest.raises(ValueError, match="MALI_GEO_IMPORT_TIMEOUT_S must be a positive number"):
        timeout_seconds()


def test_the_default_message_names_the_default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "0.001")
    with pytest.raises(ImportFileError, match=r"^x\.csv: the import took longer than 0\.001 s"):
        import_in_worker(incidents_csv(1000), "x.csv")
