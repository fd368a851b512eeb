"""How hard the fuzz tests search: set from pytest's ``--fuzz`` option in ``conftest.py``."""

from __future__ import annotations

#: Examples each fuzz test runs: a couple of thousand normally, many more with ``--fuzz``.
EXAMPLES = 2_000
#: Examples with ``pytest --fuzz``.
FUZZ_EXAMPLES = 50_000
