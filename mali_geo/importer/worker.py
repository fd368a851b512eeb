"""Run an import in a separate process, bounded in time and memory.

A user's file may be crafted to be slow or to need much memory. :func:`import_in_worker`
imports it in a fresh process (``spawn``: nothing of the caller is shared), whose address
space is capped with ``RLIMIT_AS`` and which is terminated when it takes too long. The caller
gets the same :class:`~mali_geo.importer.ImportResult` as an import in its own process, or an
:class:`~mali_geo.errors.ImportFileError` with a one-line message ("took longer than 60 s",
"needed more than 1.5 GB of memory").

The limits default to :data:`DEFAULT_TIMEOUT_S` and :data:`DEFAULT_MEMORY_MB`, and can be
changed with the environment variables ``MALI_GEO_IMPORT_TIMEOUT_S`` (seconds) and
``MALI_GEO_IMPORT_MEMORY_MB`` (megabytes). The memory limit is what the import itself may ask
for, on top of the libraries the worker loads before it starts (about 1 GB of address space,
most of it reserved and never touched).

The worker runs at a lower CPU priority (:data:`WORKER_NICENESS`): on a small server it
shares the cores with the app, and visitors' page runs go first, so an import slows down
rather than every other visitor.

The result crosses the process boundary as Arrow IPC bytes (accepted and rejected rows as
plain tables) and is rebuilt with :func:`mali_geo.schema.incidents_gdf`: no GeoDataFrame is
pickled. This module imports nothing heavy, so that the worker sets its limits first.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from mali_geo.errors import ImportFileError

if TYPE_CHECKING:
    import pandas as pd

    from mali_geo.importer import ImportResult

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT_S",
    "MEMORY_ENV",
    "TIMEOUT_ENV",
    "import_in_worker",
    "memory_limit_bytes",
    "timeout_seconds",
]

#: Environment variable for the time limit, in seconds.
TIMEOUT_ENV: Final = "MALI_GEO_IMPORT_TIMEOUT_S"
#: Environment variable for the memory limit, in megabytes (MiB).
MEMORY_ENV: Final = "MALI_GEO_IMPORT_MEMORY_MB"
#: Time an import may take, when the environment does not say.
DEFAULT_TIMEOUT_S: Final = 60.0
#: Memory an import may use, in MiB, when the environment does not say.
DEFAULT_MEMORY_MB: Final = 1536
#: How much the worker lowers its CPU priority (``nice``): the app's page runs go first.
WORKER_NICENESS: Final = 10
#: How long a terminated worker is given to exit before it is killed.
_EXIT_GRACE_S: Final = 5.0
_MIB: Final = 1024 * 1024
_MAIN_LOCK: Final = threading.Lock()


@dataclass(frozen=True)
class _Packed:
    """An import's result as bytes and small values, cheap to send between processes."""

    incidents: bytes
    rejected: bytes
    read: int
    format: str
    source_name: str
    layout: str
    date_convention: str | None
    merged: int
    hxl_line: int | None


class _OutOfMemoryError(Exception):
    """The worker ran out of its memory allowance (sent back instead of a MemoryError)."""


def timeout_seconds() -> float:
    """The time limit: ``MALI_GEO_IMPORT_TIMEOUT_S``, else :data:`DEFAULT_TIMEOUT_S`.

    Raises
    ------
    ValueError
        The variable is set but is not a positive number.
    """
    value = _env_number(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)
    return float(value)


def memory_limit_bytes() -> int:
    """The memory limit in bytes: ``MALI_GEO_IMPORT_MEMORY_MB``, else :data:`DEFAULT_MEMORY_MB`.

    Raises
    ------
    ValueError
        The variable is set but is not a positive number.
    """
    return int(_env_number(MEMORY_ENV, DEFAULT_MEMORY_MB) * _MIB)


def import_in_worker(
    path_or_bytes: str | Path | bytes,
    name: str,
    *,
    timeout_s: float | None = None,
    memory_bytes: int | None = None,
) -> ImportResult:
    """Import a file in a separate process, within a time and a memory limit.

    Parameters
    ----------
    path_or_bytes
        The file on disk (read by the worker), or its content.
    name
        The file name the user gave: :attr:`ImportResult.source_name` and the start of every
        error message.
    timeout_s
        Seconds the import may take, starting of the worker included; default
        :func:`timeout_seconds`.
    memory_bytes
        Memory the import may use on top of the libraries; default :func:`memory_limit_bytes`.

    Returns
    -------
    ImportResult
        What :func:`mali_geo.importer.import_bytes` gives in the caller's process.

    Raises
    ------
    ImportFileError
        Whatever the import itself raises, or (one line, starting with ``name``) the import
        took longer than ``timeout_s``, needed more than ``memory_bytes``, or its process died.
    """
    timeout = timeout_seconds() if timeout_s is None else timeout_s
    memory = memory_limit_bytes() if memory_bytes is None else memory_bytes
    source: str | bytes = path_or_bytes if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    executor = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(memory,),
    )
    finished = False
    try:
        with _plain_main():
            future = executor.submit(_import_packed, source, name)  # starts the worker
        packed = future.result(timeout=timeout)
        finished = True
    except FutureTimeout:
        msg = f"{name}: the import took longer than {_seconds_text(timeout)}; it was stopped"
        raise ImportFileError(msg) from None
    except _OutOfMemoryError:
        msg = f"{name}: the import needed more than {_bytes_text(memory)} of memory; it was stopped"
        raise ImportFileError(msg) from None
    except BrokenProcessPool:
        msg = (
            f"{name}: the import stopped unexpectedly (it may have needed more than "
            f"{_bytes_text(memory)} of memory)"
        )
        raise ImportFileError(msg) from None
    finally:
        _stop(executor, graceful=finished)
    return _unpack(packed)


# --- in the worker ------------------------------------------------------------------------


def _start_worker(memory_bytes: int) -> None:
    """Lower the worker's priority, load the importer, then cap its memory."""
    with contextlib.suppress(OSError):  # a platform without nice keeps the priority
        os.nice(WORKER_NICENESS)
    _limit_memory(memory_bytes)


def _limit_memory(memory_bytes: int) -> None:
    """Load the importer, then cap the address space at what it uses plus ``memory_bytes``."""
    import resource

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # each BLAS thread reserves its own stack
    import mali_geo.importer  # noqa: F401 - loaded before the limit, as the libraries it needs

    limit = _address_space() + memory_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """The virtual memory size of this process in bytes (``VmSize``), 0 where it cannot be read."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _import_packed(source: str | bytes, name: str) -> _Packed:
    """Import and pack the result; a MemoryError becomes :class:`_OutOfMemoryError`."""
    from mali_geo.importer import import_bytes, import_file

    try:
        if isinstance(source, bytes):
            result = import_bytes(source, source_name=name)
        else:
            result = import_file(source)
            if result.source_name != name:
                result = _renamed(result, name)
        incidents = result.incidents.drop(columns=result.incidents.geometry.name)
        return _Packed(
            _to_arrow(incidents),
            _to_arrow(result.rejected),
            result.read,
            str(result.format),
            result.source_name,
            result.layout,
            result.date_convention,
            result.merged,
            result.hxl_line,
        )
    except MemoryError:
        raise _OutOfMemoryError from None


def _renamed(result: ImportResult, name: str) -> ImportResult:
    """The same result under the name the user gave."""
    from dataclasses import replace

    return replace(result, source_name=name)


def _to_arrow(frame: pd.DataFrame) -> bytes:
    """A frame as Arrow IPC (Feather) bytes."""
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_feather(buffer)
    return buffer.getvalue()


# --- in the caller ------------------------------------------------------------------------


def _unpack(packed: _Packed) -> ImportResult:
    """Rebuild the :class:`ImportResult` the worker packed."""
    from mali_geo.importer import Format, ImportResult
    from mali_geo.schema import incidents_gdf

    return ImportResult(
        incidents_gdf(_from_arrow(packed.incidents)),
        _from_arrow(packed.rejected),
        packed.read,
        Format(packed.format),
        packed.source_name,
        packed.layout,
        packed.date_convention,
        packed.merged,
        packed.hxl_line,
    )


def _from_arrow(data: bytes) -> pd.DataFrame:
    """A frame from Arrow IPC (Feather) bytes."""
    import pandas as pd

    return pd.read_feather(io.BytesIO(data))


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Hide the caller's main script from a worker being started.

    A spawned process runs the parent's ``__main__`` file again before it works. Under
    Streamlit that file is the app, which must not run in an import worker: while the worker
    starts, ``__main__`` is an empty module, which the worker leaves alone.
    """
    with _MAIN_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _stop(executor: ProcessPoolExecutor, *, graceful: bool) -> None:
    """Shut the pool down; unless the task finished, terminate (then kill) its process."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    # The pool's own thread also waits for its processes: it is waited for last, so that no
    # stopped process is left behind when this returns.
    manager: threading.Thread | None = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=graceful, cancel_futures=True)
    if graceful:
        return
    # A worker still starting up may only be registered now: stop it too.
    later = (getattr(executor, "_processes", None) or {}).values()
    processes += [p for p in later if p not in processes]
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_EXIT_GRACE_S)
        if process.is_alive():
            process.kill()
            process.join()
    if manager is not None:
        manager.join(_EXIT_GRACE_S)


def _env_number(var: str, default: float) -> float:
    """A positive number from the environment, else ``default``."""
    text = os.environ.get(var, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        msg = f"{var} must be a positive number, not {text!r}"
        raise ValueError(msg)
    return value


def _seconds_text(seconds: float) -> str:
    """``60 s`` or ``0.5 s``."""
    return f"{seconds:g} s"


def _bytes_text(size: int) -> str:
    """``1.5 GB`` or ``200 MB`` (binary units, as the limits are set)."""
    if size >= 1024 * _MIB:
        return f"{size / (1024 * _MIB):.1f}".removesuffix(".0") + " GB"
    return f"{size / _MIB:.0f} MB"
