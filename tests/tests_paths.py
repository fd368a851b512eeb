"""Paths of the test fixtures."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
