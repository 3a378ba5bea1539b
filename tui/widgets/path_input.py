"""An Input for file paths that completes the path as you type (tab or → accepts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

__all__ = ["PathSuggester", "PathInput"]


class PathSuggester(Suggester):
    """Suggest the first entry of the folder that starts with what was typed; with
    ``prefer``, the first entry it accepts (the checkpoint, not the batch that sorts
    before it in a run folder), else the first entry."""

    def __init__(self, base: Path | None = None,
                 prefer: Callable[[str], bool] | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base or Path.cwd()
        self.prefer = prefer

    async def get_suggestion(self, value: str) -> str | None:
        if not value or ":" in value.split("/")[-1]:
            return None
        typed = Path(value).expanduser()
        folder = typed if value.endswith("/") else typed.parent
        stem = "" if value.endswith("/") else typed.name
        where = folder if folder.is_absolute() else self.base / folder
        try:
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in where.iterdir()
                           if p.name.startswith(stem) and not p.name.startswith("."))
        except OSError:
            return None
        if not names:
            return None
        head = value[: len(value) - len(stem)]
        preferred = [n for n in names if self.prefer(n)] if self.prefer else []
        return head + (preferred or names)[0]


class PathInput(Input):
    """Tab accepts the suggested completion instead of moving the focus."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, priority=True)]

    def __init__(self, value: str = "", *, base: Path | None = None,
                 prefer: Callable[[str], bool] | None = None, **kwargs: object) -> None:
        super().__init__(value, suggester=PathSuggester(base, prefer),
                         **kwargs)  # type: ignore[arg-type]

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
