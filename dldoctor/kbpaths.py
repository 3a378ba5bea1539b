"""Where knowledge bases come from: the built-in one, then team folders on top.

Team rule folders are named, in this order, by ``--kb PATH`` options, the ``DLDOCTOR_KB``
environment variable (paths separated by ``os.pathsep``) and the ``kb`` list of a config file
(``$DLDOCTOR_CONFIG``, else ``~/.config/dldoctor/config.toml``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

from dldoctor.engine import KBError, KnowledgeBase, load_kb
from dldoctor.errors import InputError
from dldoctor.kb import BUILTIN_KB

__all__ = ["team_kb_paths", "load_knowledge", "config_path"]


def config_path() -> Path:
    env = os.environ.get("DLDOCTOR_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dldoctor" / "config.toml"


def _config_kb_paths() -> list[Path]:
    path = config_path()
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML config ({exc})") from None
    entries = data.get("kb", [])
    if isinstance(entries, str):
        entries = [entries]
    return [(path.parent / Path(e).expanduser()).resolve() for e in entries]


def team_kb_paths(cli_paths: Sequence[Path] = ()) -> list[Path]:
    """Team knowledge-base folders from the command line, environment and config file."""
    env = [Path(p) for p in os.environ.get("DLDOCTOR_KB", "").split(os.pathsep) if p]
    paths = [*cli_paths, *env, *_config_kb_paths()]
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: knowledge-base path does not exist")
    return list(dict.fromkeys(paths))


def load_knowledge(cli_paths: Sequence[Path] = (), *, builtin: bool = True) -> KnowledgeBase:
    """The built-in knowledge base with every team folder on top; clashes are errors."""
    paths = team_kb_paths(cli_paths)
    kb = load_kb([BUILTIN_KB]) if builtin else None
    for path in paths:
        extra = load_kb([path], strict=False) if kb is not None else None
        if kb is None:
            kb = load_kb([path])
            continue
        assert extra is not None
        problems = [p for p in extra.problems if p.severity == "error"
                    and p.code not in {"unknown-fact", "unknown-cause"}]
        problems += kb.merge(extra)
        problems += kb.check_references()
        if problems:
            raise KBError(problems)
    if kb is None:
        raise InputError("no knowledge base: give --kb PATH")
    return kb
