"""The one-way architecture: mali_geo never imports streamlit or folium; layers/ never streamlit."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = PROJECT_DIR / "mali_geo"
LAYERS_DIR = PROJECT_DIR / "layers"

UI_MODULES = ("streamlit", "streamlit_folium", "folium", "branca")


def _modules(package: Path) -> list[str]:
    """Every importable module of a package and its subpackages, ``__main__`` left out."""
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return [n for n in names if not n.endswith("__main__")]


def _imported_roots(path: Path) -> set[tuple[str, int]]:
    """Top-level package and line of every import statement in a file, however nested."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add((node.args[0].value.split(".")[0], node.lineno))
    return found


def _loaded_ui_modules(modules: list[str]) -> list[str]:
    code = (
        f"import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        f"    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {UI_MODULES!r})))\n"
    )
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_importing_every_mali_geo_module_loads_no_ui_library() -> None:
    modules = _modules(PACKAGE_DIR)
    expected = {"mali_geo.cli", "mali_geo.dataset", "mali_geo.summary", "mali_geo.view"}
    assert expected | {"mali_geo.importer"} <= set(modules)
    assert "mali_geo.importer.formats.acled" in modules
    assert _loaded_ui_modules(modules) == []


@pytest.mark.parametrize(
    "path", sorted(PACKAGE_DIR.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE_DIR).as_posix()
)
def test_mali_geo_source_has_no_ui_import(path: Path) -> None:
    bad = sorted((name, line) for name, line in _imported_roots(path) if name in UI_MODULES)
    assert bad == [], f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted(LAYERS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_layers_source_has_no_streamlit_import(path: Path) -> None:
    banned = {"streamlit", "streamlit_folium"}
    bad = sorted((name, line) for name, line in _imported_roots(path) if name in banned)
    assert bad == [], f"layers/{path.name} imports {bad}"


def test_importing_layers_loads_no_streamlit() -> None:
    loaded = _loaded_ui_modules(_modules(LAYERS_DIR))
    assert not [m for m in loaded if m.split(".")[0] in ("streamlit", "streamlit_folium")]


def test_the_import_scanner_sees_nested_and_dynamic_imports(tmp_path: Path) -> None:
    # Guards the guard: an import hidden in a function or done by name is still found.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def f():\n"
        "    import folium.plugins\n"
        "    from streamlit import session_state\n"
        "    return importlib.import_module('branca.element')\n",
        encoding="utf-8",
    )
    roots = {name for name, _ in _imported_roots(sample)}
    assert {"folium", "streamlit", "branca"} <= roots
