"""Module boundaries: the engine imports neither torch nor textual; probes never textual;
the TUI never torch; planning a session never imports torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "engine": {"torch", "textual", "numpy"},
    "probes": {"textual"},
    "tui": {"torch"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_forbidden_import_in_source(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in _imports(path) & FORBIDDEN[package]
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("module", "banned"),
    [
        ("dldoctor.engine", ("torch", "textual")),
        ("dldoctor.session", ("torch", "textual")),
        ("dldoctor.cli.app", ("torch", "textual")),
        ("dldoctor.tui.app", ("torch",)),
    ],
)
def test_importing_does_not_pull_in(module: str, banned: tuple[str, ...]) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        f"print(','.join(m for m in {banned!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
