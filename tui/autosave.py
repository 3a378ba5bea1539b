"""Where the chat keeps its autosave, and how to tell what an autosave holds."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["state_dir", "autosave_path", "previous_autosave", "AutosaveInfo", "peek_autosave"]


def state_dir() -> Path:
    """``$XDG_STATE_HOME/dldoctor``, else ``~/.local/state/dldoctor``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "dldoctor"


def autosave_path() -> Path:
    return state_dir() / "autosave.json"


def previous_autosave(path: Path) -> Path:
    """Where a declined autosave is kept once a new chat saves over it."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


@dataclass(frozen=True)
class AutosaveInfo:
    """What an autosave holds, enough to offer resuming it."""

    path: Path
    saved_at: datetime
    answers: int
    data: dict[str, Any]
    #: the attached files' names, in the order checkpoint, logs, model, batch
    names: tuple[str, ...] = ()

    @property
    def inputs(self) -> int:
        """How many files were attached."""
        return len(self.names)


def peek_autosave(path: Path | None = None) -> AutosaveInfo | None:
    """The autosave, if there is one worth resuming (anything said or attached)."""
    path = path or autosave_path()
    try:
        data = json.loads(path.read_text("utf-8"))
        saved_at = datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    answers = len(data.get("answers") or [])
    ins = data.get("inputs") or {}
    files = [ins.get("checkpoint"), *(ins.get("logs") or []), ins.get("model"), ins.get("batch")]
    names = tuple(Path(str(f).split(":")[0]).name for f in files if f)
    if not answers and not names and not data.get("given"):
        return None
    return AutosaveInfo(path, saved_at, answers, data, names)
