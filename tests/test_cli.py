"""Command line (``python -m mali_geo`` and mali_geo.cli.main): export, info, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from mali_geo.catalogue import LAYERS
from mali_geo.cli import main
from mali_geo.export import rfc7946_problems

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "incidents_small.csv"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m mali_geo ARGS`` from the project root, as a user would."""
    return subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", "mali_geo", *map(str, args)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _main(argv: Sequence[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``main`` in-process; argparse's own errors leave through SystemExit."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _collection(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- export -----------------------------------------------------------------------------------


def test_module_export_writes_the_six_layer_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run("export", "--start", "2013-01", "--end", "2013-03", "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.geojson" for n in LAYERS)
    assert [Path(line).name for line in result.stdout.split()] == [f"{n}.geojson" for n in LAYERS]
    for name in LAYERS:
        assert rfc7946_problems(_collection(out / f"{name}.geojson")) == []
    assert len(_collection(out / "regions.geojson")["features"]) == 9
    assert len(_collection(out / "incidents.geojson")["features"]) > 0


def test_main_export_with_layers_limits_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _main(["export", "--layers", "regions,towns", "--out", tmp_path], capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["regions.geojson", "towns.geojson"]
    assert len(out.split()) == 2


def test_main_export_of_a_period_follows_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--layers", "incidents", "--incidents", SMALL]
    code, _, _ = _main(
        ["export", "--start", "2013-01", "--end", "2013-01", "--out", tmp_path, *args], capsys
    )
    assert code == 0
    ids = [
        f["properties"]["incident_id"]
        for f in _collection(tmp_path / "incidents.geojson")["features"]
    ]
    assert ids == ["FX-03", "FX-04"]


def test_valid_empty_period_gives_empty_collections_and_exit_0(tmp_path: Path) -> None:
    # The fixture has nothing in February 2012; no camp figure is that early either.
    out = tmp_path / "out"
    result = _run(
        "export", "--start", "2012-02", "--end", "2012-02", "--incidents", SMALL, "--out", out
    )
    assert result.returncode == 0, result.stderr
    for name in ("incidents", "towns", "displacement", "key_events"):
        assert _collection(out / f"{name}.geojson") == {
            "type": "FeatureCollection",
            "features": [],
        }
    regions = _collection(out / "regions.geojson")["features"]
    assert [f["properties"]["incidents"] for f in regions] == [0] * 9


# --- info --------------------------------------------------------------------------------------


def test_module_info_prints_the_period_and_counts() -> None:
    result = _run("info")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "period: 2012-01 to 2014-12 (months, inclusive)" in lines
    assert "regions: 9 features over the whole period" in lines
    assert "incidents: 344 features over the whole period" in lines
    assert "bases: 7 features over the whole period" in lines
    assert any(
        line.startswith("incidents: 465 in the file, 344 with a coordinate") for line in lines
    )
    assert any(line.startswith("displacement figures: 771") for line in lines)


WIDE_CSV = (
    "id,date,lat,lon,place,event_type,fatalities,source\n"
    "W-1,1997-01-15,16.27,-0.04,Gao,battle,2,https://example.org/w1\n"
    "W-2,2026-10-03,18.44,1.41,Kidal,other,,https://example.org/w2\n"
)


def test_export_of_imported_incidents_spans_their_months(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(WIDE_CSV, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["export", "--incidents", wide, "--start", "1997-01", "--end", "2026-10", "--out", out]
    code, _, stderr = _main([*argv, "--layers", "incidents"], capsys)
    assert code == 0, stderr
    features = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["incident_id"] for f in features) == ["W-1", "W-2"]
    code, _, _ = _main(["export", "--incidents", wide, "--out", tmp_path / "all"], capsys)
    assert code == 0  # the default period is the data's whole span
    whole = json.loads((tmp_path / "all" / "incidents.geojson").read_text(encoding="utf-8"))
    assert len(whole["features"]) == 2


def test_info_with_imported_incidents_prints_their_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(WIDE_CSV, encoding="utf-8")
    code, stdout, _ = _main(["info", "--incidents", wide], capsys)
    assert code == 0
    assert "period: 1997-01 to 2026-10 (months, inclusive)" in stdout.splitlines()
    assert "incidents: 2 in the file, 2 with a coordinate, 1997-01-15 to 2026-10-03" in stdout


# --- errors: exit code 2 and one line on stderr ---------------------------------------------------

ERROR_CASES = {
    "unknown option": (["export", "--out", "OUT", "--colour", "red"], "--colour"),
    "malformed month": (["export", "--out", "OUT", "--start", "2013-13"], "2013-13"),
    "start after end": (
        ["export", "--out", "OUT", "--start", "2013-05", "--end", "2013-02"],
        "after",
    ),
    "month outside the range": (["export", "--out", "OUT", "--end", "2015-01"], "2015-01"),
    "unknown layer": (["export", "--out", "OUT", "--layers", "regions,roads"], "roads"),
    "no layer": (["export", "--out", "OUT", "--layers", ","], "layer"),
    "no command": ([], "command"),
    "unknown command": (["draw"], "draw"),
}


def _argv(args: list[str], out: Path) -> list[str]:
    return [str(out) if a == "OUT" else a for a in args]


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_main_error_exits_2_with_one_line_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args, fragment = ERROR_CASES[case]
    out = tmp_path / "out"
    code, stdout, stderr = _main(_argv(args, out), capsys)
    assert code == 2
    assert len(stderr.splitlines()) == 1, stderr
    assert fragment in stderr
    assert stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("case", ["unknown option", "malformed month", "unknown layer"])
def test_module_error_exits_2_with_one_line(case: str, tmp_path: Path) -> None:
    args, fragment = ERROR_CASES[case]
    result = _run(*_argv(args, tmp_path / "out"))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("mali_geo: error: ")
    assert fragment in result.stderr


def test_missing_incidents_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = _main(
        ["export", "--out", tmp_path / "out", "--incidents", tmp_path / "nope.csv"], capsys
    )
    assert code == 1
    assert len(stderr.splitlines()) == 1
    assert "nope.csv" in stderr
