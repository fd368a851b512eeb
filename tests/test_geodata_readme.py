"""geodata/README.md lists the SHA-256 of every data file as shipped: the list must be current."""

from __future__ import annotations

import hashlib
import re

from tests_paths import DATA

GEODATA = DATA.parent.parent / "geodata"
LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.MULTILINE)


def test_every_listed_checksum_matches_its_file() -> None:
    listed = dict(
        (name, digest) for digest, name in LINE.findall((GEODATA / "README.md").read_text())
    )
    assert listed, "no checksum list in geodata/README.md"
    stale = {
        name: digest
        for name, digest in listed.items()
        if hashlib.sha256((GEODATA / name).read_bytes()).hexdigest() != digest
    }
    assert not stale, f"geodata/README.md lists outdated SHA-256 for {sorted(stale)}"


def test_every_data_file_has_a_checksum() -> None:
    listed = {name for _, name in LINE.findall((GEODATA / "README.md").read_text())}
    files = {p.name for p in GEODATA.iterdir() if p.suffix in {".csv", ".geojson"}}
    assert files <= listed, f"no SHA-256 in geodata/README.md for {sorted(files - listed)}"
