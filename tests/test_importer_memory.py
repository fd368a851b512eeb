"""Peak memory of an import stays a small multiple of the file's size.

Each import runs in a fresh child process, which reports its peak resident memory
(``ru_maxrss``) before and after: the difference is what the import needed. 10 MB files keep
the test short; the README gives the figures for 50 MB files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import incidents_csv

from mali_geo.config import PROJECT_DIR

MIB = 1024 * 1024
SIZE = 10 * MIB
#: Peak memory an import may add, as a multiple of the file's size.
RATIO = 20

CHILD = """
import json, resource, sys
from pathlib import Path
from mali_geo.importer import import_bytes

data = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = import_bytes(data, source_name="big.csv")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before": before * 1024, "after": after * 1024, "summary": result.summary()}))
"""


def _peak(path: Path) -> dict[str, int | str]:
    done = subprocess.run(  # noqa: S603 - a fixed argv, no shell
        [sys.executable, "-c", CHILD, str(path)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report: dict[str, int | str] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize("bad", [False, True], ids=["good-rows", "bad-rows"])
def test_peak_memory_is_a_small_multiple_of_the_file(tmp_path: Path, bad: bool) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(incidents_csv(SIZE, bad=bad))
    report = _peak(path)
    read = str(report["summary"]).split(",")[0]
    assert read.startswith("read ")
    assert int(read.removeprefix("read ")) > 90_000
    assert str(report["summary"]).endswith("rejected 0") != bad
    added = int(report["after"]) - int(report["before"])
    assert added < RATIO * SIZE, f"the import added {added / MIB:.0f} MB"
