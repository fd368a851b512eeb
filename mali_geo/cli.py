"""Command line: ``python -m mali_geo export|info|import``.

Errors are one line on stderr and a non-zero exit code: 2 for a usage or period error, 1 for a
data or file error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from mali_geo import config
from mali_geo.catalogue import LAYERS, build_layers
from mali_geo.dataset import Dataset, ImportMode, load_dataset, with_incidents
from mali_geo.errors import MaliGeoError, PeriodError, UsageError
from mali_geo.export import EXPORT_FORMATS, write_layers
from mali_geo.geometry import has_coordinate
from mali_geo.period import data_range, full_period, incidents_span, make_period, parse_month


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a single line."""

    def error(self, message: str) -> NoReturn:
        """Print a one-line error and exit with code 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        The exit code.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its one-line error or the help
        return int(exc.code or 0)
    try:
        return int(args.run(args))
    except (PeriodError, UsageError) as exc:
        print(f"mali_geo: error: {exc}", file=sys.stderr)
        return 2
    except (MaliGeoError, OSError) as exc:
        print(f"mali_geo: error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mali_geo", description="Mali 2012-2014 crisis map data.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    export = sub.add_parser("export", help="write one GeoJSON file per layer for a period")
    export.add_argument(
        "--start", help="first month, YYYY-MM (default: the data's first month, 2012-01 shipped)"
    )
    export.add_argument(
        "--end", help="last month, YYYY-MM (default: the data's last month, 2014-12 shipped)"
    )
    export.add_argument("--out", required=True, type=Path, help="output folder")
    export.add_argument(
        "--layers", default=",".join(LAYERS), help=f"comma-separated subset of {','.join(LAYERS)}"
    )
    export.add_argument(
        "--types", help="comma-separated event types to keep (default: all), as in the app"
    )
    export.add_argument(
        "--incidents",
        type=Path,
        help="use these incidents instead: a file to import, or a Parquet file or folder",
    )
    export.add_argument(
        "--format", choices=EXPORT_FORMATS, default=EXPORT_FORMATS[0], help="file format"
    )
    export.set_defaults(run=_run_export)

    info = sub.add_parser("info", help="print what the data covers")
    info.add_argument(
        "--incidents", type=Path, help="incidents instead of the shipped ones (as for export)"
    )
    info.set_defaults(run=_run_info)

    imp = sub.add_parser("import", help="import an incidents file (ACLED, UCDP GED, CSV, GeoJSON)")
    imp.add_argument("file", type=Path, help="the file to import")
    imp.add_argument("--out", required=True, type=Path, help="output folder")
    imp.add_argument(
        "--format",
        choices=("geojson", "parquet"),
        default="geojson",
        help="incidents.geojson, or incidents.parquet (GeoParquet)",
    )
    imp.add_argument(
        "--by-year",
        action="store_true",
        help="with --format parquet: an incidents/ folder partitioned by year (hive style)",
    )
    imp.add_argument(
        "--no-cache", action="store_true", help="import again even if the file is cached"
    )
    imp.set_defaults(run=_run_import)
    return parser


def _run_export(args: argparse.Namespace) -> int:
    for month in (args.start, args.end):  # a typo fails before any file is read
        if month is not None:
            parse_month(month)
    layers = _names(args.layers)
    unknown = [name for name in layers if name not in LAYERS]
    if unknown or not layers:
        given = ", ".join(unknown) or "(none given)"
        msg = f"unknown layer(s) {given}; choose from {', '.join(LAYERS)}"
        raise UsageError(msg)
    dataset = _dataset(args.incidents)
    first, last = dataset_range(dataset)
    period = make_period(args.start, args.end, first=first, last=last)
    types = None if args.types is None else _names(args.types)
    built = build_layers(dataset, period, layers=layers, event_types=types)
    paths = write_layers(built, args.out, fmt=args.format)
    for path in paths:
        print(path)
    return 0


def _run_info(args: argparse.Namespace) -> int:
    dataset = _dataset(args.incidents)
    period = full_period(*dataset_range(dataset))
    layers = build_layers(dataset, period)
    print(f"period: {period.start} to {period.end} (months, inclusive)")
    for name, gdf in layers.items():
        print(f"{name}: {len(gdf)} features over the whole period")
    inc = dataset.incidents
    print(
        f"incidents: {len(inc)} in the file, {int(has_coordinate(inc).sum())} with a coordinate, "
        f"{inc['date_start'].min():%Y-%m-%d} to {inc['date_end'].max():%Y-%m-%d}"
    )
    disp = dataset.displacement
    print(
        f"displacement figures: {len(disp)}, {disp['ref_date'].min():%Y-%m-%d} to "
        f"{disp['ref_date'].max():%Y-%m-%d}"
    )
    print(f"sources: {config.ATTRIBUTION}")
    print("details: geodata/README.md")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from mali_geo.importer import import_file, write_import
    from mali_geo.store import cached_import

    result = import_file(args.file) if args.no_cache else cached_import(args.file)
    write_import(result, args.out, fmt=args.format, by_year=args.by_year)
    print("\n".join(result.report().lines()))
    return 0


def dataset_range(dataset: Dataset) -> tuple[str, str]:
    """The months a dataset covers: the shipped 2012-01..2014-12, widened by its incidents.

    The same range as the app's timeline.
    """
    inc = dataset.incidents
    return data_range(incidents_span(inc["date_start"], inc["date_end"]))


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _dataset(incidents: Path | None) -> Dataset:
    dataset = load_dataset()
    if incidents is None:
        return dataset
    from mali_geo.store import cached_import, is_store, read_store

    if is_store(incidents):
        found = read_store(incidents)
        print(f"read {len(found)} incidents from the store", file=sys.stderr)
    else:
        result = cached_import(incidents)
        print(result.summary(), file=sys.stderr)
        found = result.incidents
    return with_incidents(dataset, found, mode=ImportMode.REPLACE, label=str(incidents.name))
