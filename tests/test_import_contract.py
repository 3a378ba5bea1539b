"""The layers, enforced on the source: the front ends (``dldoctor/cli``, ``tui``) go through
the session's door and nothing below it; probes and the engine never reach up; nobody takes
a module's private names from another package."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Source folder -> the package its modules are installed under (pyproject package-dir).
PACKAGES = {"dldoctor": "dldoctor", "engine": "dldoctor.engine", "probes": "dldoctor.probes",
            "tui": "dldoctor.tui", "kb": "dldoctor.kb"}

#: What ``dldoctor/cli`` and ``tui`` may import of dldoctor, each with its reason.
FRONT_DOOR: dict[str, str] = {
    "dldoctor.session": "the door: every operation on a diagnosis, and the types it names",
    "dldoctor.report": "the report a session builds (typed, with its JSON)",
    "dldoctor.render": "the report as text and Markdown",
    "dldoctor.kbtools": "the door of the rule-authoring commands (dldoctor kb ...)",
    "dldoctor.errors": "the error tree: stdlib only, raised by every layer",
    "dldoctor.error_texts": "the errors' messages in English and Chinese (stdlib only)",
    "dldoctor.kbpaths": "finds and loads the rule folders a session is built over",
    "dldoctor.kb": "the bundled rules' folder (data)",
    "dldoctor.sources": "titles of the cited seed articles (data)",
    "dldoctor.example": "writes the bundled example run of diagnose --example",
    "dldoctor.wrap": "terminal wrapping that counts CJK as two columns (stdlib only)",
    "dldoctor.watcher": "the trial command's step runner (a sibling of the session)",
    "dldoctor.cli": "the command line itself",
    "dldoctor.tui": "the chat itself",
}
# ``from dldoctor import __version__``: the top package, for its version only.
TOP_NAMES = {"__version__"}
#: Leaf modules every layer may import: they import nothing of dldoctor themselves.
LEAVES = {"dldoctor.errors", "dldoctor.error_texts", "dldoctor.numbers", "dldoctor.wrap"}


def _module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    package = PACKAGES[rel.parts[0]]
    parts = [package, *rel.parts[1:]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) of every import in ``path``, nested and
    TYPE_CHECKING ones included, relative ones resolved."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base, [a.name for a in node.names]


def _files(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _front_offences(path: Path) -> list[str]:
    out = []
    for line, module, names in _imports(path):
        where = f"{path.relative_to(ROOT)}:{line}"
        if module.split(".")[0] in ("engine", "probes", "tui", "kb"):
            out.append(f"{where}: imports the source folder {module!r}, not dldoctor.*")
        elif module == "dldoctor":
            out.extend(f"{where}: from dldoctor import {n}" for n in names
                       if n not in TOP_NAMES and f"dldoctor.{n}" not in FRONT_DOOR)
        elif module.startswith("dldoctor.") and not any(_within(module, p) for p in FRONT_DOOR):
            out.append(f"{where}: imports {module} (go through dldoctor.session)")
    return out


def test_the_front_ends_go_through_the_session_only() -> None:
    offences = [o for path in _files("dldoctor/cli", "tui") for o in _front_offences(path)]
    assert offences == []


def test_the_contract_check_catches_a_reach_past_the_door(tmp_path: Path) -> None:
    bad = ROOT / "tui" / "_contract_probe.py"
    bad.write_text("from dldoctor.engine.symptoms import CLOSE_CALL\n"
                   "from ..probes.registry import PROBES\n"
                   "import engine.values\n", "utf-8")
    try:
        offences = _front_offences(bad)
    finally:
        bad.unlink()
    assert len(offences) == 3
    assert "dldoctor.engine.symptoms" in offences[0] and "dldoctor.probes.registry" in offences[1]


@pytest.mark.parametrize("folder", ["engine", "probes"])
def test_the_lower_layers_never_reach_up(folder: str) -> None:
    """The engine and the probes import neither the front ends nor the session; of the top
    package only its leaves (and, for probes, the watcher's trace format)."""
    allowed = set(LEAVES) | {"dldoctor.engine"} | (
        {"dldoctor.probes", "dldoctor.watcher.format"} if folder == "probes" else set())
    offences = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in _files(folder) for line, module, _ in _imports(path)
        if module.startswith("dldoctor") and not any(_within(module, a) for a in allowed)
    ]
    assert offences == []


def test_the_leaves_import_nothing_of_dldoctor() -> None:
    for leaf in LEAVES:
        path = ROOT / (leaf.replace(".", "/") + ".py")
        assert [m for _, m, _ in _imports(path) if m.startswith("dldoctor")] == [], leaf


def _component(module: str) -> str:
    """The package a module belongs to: dldoctor.engine, dldoctor.probes, … or dldoctor."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or module in SUBPACKAGES else parts[0]


SUBPACKAGES = {"dldoctor.engine", "dldoctor.probes", "dldoctor.tui", "dldoctor.cli",
               "dldoctor.watcher", "dldoctor.integrations", "dldoctor.kb"}


def test_no_private_name_crosses_a_package() -> None:
    """``from x import _name`` only within x's own package (the session does not take the
    loader's private helpers, nor a front end the engine's)."""
    offences = []
    for path in _files("dldoctor", "engine", "probes", "tui"):
        home = _component(_module_of(path))
        for line, module, names in _imports(path):
            if not module.startswith("dldoctor") or _component(module) == home:
                continue
            offences += [f"{path.relative_to(ROOT)}:{line}: {module}.{n}" for n in names
                         if n.startswith("_") and not n.startswith("__")]
    assert offences == []


# ---------------------------------------------------------------------- one copy of each module


@pytest.mark.parametrize("folder", ["engine", "probes", "tui", "kb"])
def test_the_source_folders_are_seen_under_their_installed_names(folder: str) -> None:
    """``dldoctor/<folder>`` links to the top-level folder: the type checker (and any tool)
    reads ``engine/inference.py`` as ``dldoctor.engine.inference``, as it is installed."""
    link = ROOT / "dldoctor" / folder
    assert link.is_symlink() and link.resolve() == (ROOT / folder).resolve()


def test_no_second_copy_of_a_module_from_the_repository_root() -> None:
    """From the repository root (on sys.path) ``import engine`` is refused with a message, so
    ``engine.inference.Engine is dldoctor.engine.inference.Engine`` cannot be False."""
    code = (
        "import importlib, sys\n"
        "import dldoctor.engine.inference as one, dldoctor.session\n"
        "for name in ('engine', 'probes', 'tui', 'kb', 'engine.inference'):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as exc:\n"
        "        print(name, 'refused:', exc)\n"
        "    else:\n"
        "        print(name, 'IMPORTED')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('engine', 'probes', 'tui', 'kb')))\n"
        "print(one.__file__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert all("refused:" in line and "import dldoctor." in line for line in lines[:5]), lines
    assert lines[5] == "[]"
    assert Path(lines[6]).resolve() == (ROOT / "engine" / "inference.py").resolve()
