"""A compiled cache of the loaded knowledge base, in the user's cache folder.

Loading the rules (parse YAML, validate every item, check references) costs more than
reading back the result, so a knowledge base that loaded without errors is kept in
``$XDG_CACHE_HOME/dldoctor/kb/`` (else ``~/.cache/dldoctor/kb/``), keyed by a hash of
everything the result depends on: each rule file's path, bytes and the name messages give
it (relative to the working folder when it lies under it: the folder matters only there, so
a run from another project's folder reads the same entry), the engine's own source files and
the Python and pydantic versions. Any change gives another key, so a stale entry is never
read; a broken or unreadable entry is ignored and rewritten. ``kb lint`` and ``kb test``
never use it. ``DLDOCTOR_NO_KB_CACHE=1`` turns it off.

The entry is a pickle: like every file in the cache folder it is trusted as the user's own.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "cache_key", "read_cached", "write_cached", "enabled", "KEEP"]

#: Entries kept; older ones are removed when a new one is written.
KEEP = 8
_FORMAT = b"dldoctor-kb-cache-1"


def enabled() -> bool:
    return os.environ.get("DLDOCTOR_NO_KB_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dldoctor" / "kb"


def _engine_sources() -> list[Path]:
    import dldoctor.engine as engine

    return sorted(Path(engine.__file__).parent.glob("*.py"))


def cache_key(files: Sequence[Path]) -> str | None:
    """A hash of the rule files' names and bytes and of everything the loader depends on;
    None when a file cannot be read safely (a FIFO, a huge file …): the loader then says why."""
    import pydantic

    from dldoctor.engine.bounded import Unreadable, read_regular
    from dldoctor.engine.layers import display_path

    digest = hashlib.blake2b(_FORMAT, digest_size=20)
    digest.update(f"{sys.version}|{pydantic.VERSION}".encode())
    for path in _engine_sources():
        digest.update(f"{path.name}|".encode())
        digest.update(path.read_bytes())
    for path in files:
        # the working folder matters only through the names messages give the files
        digest.update(f"\0{path.resolve()}\0{display_path(path)}\0".encode())
        try:
            digest.update(read_regular(path))
        except Unreadable:
            return None
    return digest.hexdigest()


def read_cached(key: str) -> Any | None:
    """The cached state under ``key``, or None (absent, unreadable or of another format)."""
    from dldoctor.engine.loader import gc_paused

    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as f, gc_paused():  # thousands of objects, no cycles to collect
            if f.read(len(_FORMAT)) != _FORMAT:
                return None
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a missing or broken entry only means "load the rules"
        return None


def write_cached(key: str, state: Any) -> None:
    """Store ``state`` under ``key`` atomically; keep the :data:`KEEP` newest entries.
    Failures (read-only home, full disk) are ignored: the cache only saves time."""
    folder = cache_dir()
    temporary: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as f:
            temporary = Path(f.name)
            f.write(_FORMAT)
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pickle")
        temporary = None
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - read-only home, full disk, an unpicklable item
        if temporary is not None:
            temporary.unlink(missing_ok=True)
