"""Where knowledge bases come from: the built-in one, then team folders on top.

Team rule folders are named, in this order, by ``--kb PATH`` options, the ``DLDOCTOR_KB``
environment variable (paths separated by ``os.pathsep``) and the ``kb`` list of a config file
(``$DLDOCTOR_CONFIG``, else ``$XDG_CONFIG_HOME/dldoctor/config.toml``, else
``~/.config/dldoctor/config.toml``); relative paths in the config file are relative to it::

    # ~/.config/dldoctor/config.toml
    kb = ["~/team-rules", "../shared/dl-rules"]

A folder named twice is loaded once; an id a team folder defines again is a clash, reported
with both positions.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

from dldoctor import kbcache
from dldoctor.engine import KBError, KnowledgeBase
from dldoctor.engine.layers import load_layers
from dldoctor.engine.loader import kb_files
from dldoctor.error_texts import err
from dldoctor.errors import InputError
from dldoctor.kb import BUILTIN_KB

__all__ = ["team_kb_paths", "kb_layers", "load_knowledge", "config_path"]


def config_path() -> Path:
    """The config file dldoctor reads (it need not exist)."""
    env = os.environ.get("DLDOCTOR_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dldoctor" / "config.toml"


def _config_kb_paths() -> list[Path]:
    path = config_path()
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(err("kb.toml", path=path, reason=exc)) from None
    entries = data.get("kb", [])
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise InputError(err("kb.entries", path=path))
    return [path.parent / Path(e).expanduser() for e in entries]


def team_kb_paths(cli_paths: Sequence[Path] = ()) -> list[Path]:
    """Team knowledge-base folders from the command line, environment and config file."""
    env = [Path(p).expanduser() for p in os.environ.get("DLDOCTOR_KB", "").split(os.pathsep)
           if p.strip()]
    named = [(p, "--kb") for p in cli_paths] + [(p, "DLDOCTOR_KB") for p in env]
    named += [(p, str(config_path())) for p in _config_kb_paths()]
    out: dict[Path, Path] = {}
    for path, origin in named:
        if not path.exists():
            raise InputError(err("kb.missing", path=path, origin=origin))
        out.setdefault(path.resolve(), path)
    return list(out.values())


def kb_layers(cli_paths: Sequence[Path] = (), *, builtin: bool = True,
              extra: Sequence[Path] = ()) -> list[Path]:
    """The layers to load, bottom first: built-in, team folders, then ``extra``; each once."""
    out: dict[Path, Path] = {}
    for path in [*([BUILTIN_KB] if builtin else []), *team_kb_paths(cli_paths), *extra]:
        out.setdefault(path.resolve(), path)
    return list(out.values())


def load_knowledge(cli_paths: Sequence[Path] = (), *, builtin: bool = True,
                   cache: bool = True) -> KnowledgeBase:
    """The built-in knowledge base with every team folder on top; any error is raised.

    A knowledge base that loads without errors is kept compiled in the user's cache folder,
    keyed by the files' hashes (:mod:`dldoctor.kbcache`); ``cache=False`` always loads.
    """
    layers = kb_layers(cli_paths, builtin=builtin)
    if not layers:
        raise InputError(err("kb.none"))
    key = None
    if cache and kbcache.enabled():
        key = kbcache.cache_key(kb_files(layers))
        state = kbcache.read_cached(key) if key is not None else None
        if state is not None:
            return KnowledgeBase.from_portable(state)
    loaded = load_layers(layers)
    if loaded.errors:
        raise KBError(loaded.errors)
    if not loaded.files:
        raise InputError(err("kb.no_rules", paths=", ".join(map(str, layers))))
    if key is not None:
        kbcache.write_cached(key, loaded.kb.portable())
    return loaded.kb
