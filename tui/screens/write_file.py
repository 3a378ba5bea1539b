"""Ask where to write a file (the session, the report) and never overwrite without asking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App

from ..i18n import t
from .confirm import ConfirmScreen
from .path_prompt import PathPrompt

__all__ = ["ask_and_write"]


def ask_and_write(app: App[object], lang: str, title: str, default: Path,
                  write: Callable[[Path], None], done: str) -> None:
    """Ask for a path (``title``, a string key); confirm an overwrite; ``write``; notify.

    ``done`` is the key of the notice that names the written file.
    """

    def written(path: Path) -> None:
        try:
            write(path)
        except OSError as exc:
            app.notify(t(lang, "write_failed", path=path, error=exc.strerror or exc),
                       severity="error")
            return
        app.notify(t(lang, done, path=path))

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        if path.is_dir():  # a folder typed in a hurry: the file goes in it, under its name
            path = path / default.name
        if not path.exists():
            written(path)
            return

        def overwrite(yes: bool | None) -> None:
            if yes:
                written(path)

        base = default.parent
        shown = path.relative_to(base) if path.is_relative_to(base) else path
        app.push_screen(ConfirmScreen(t(lang, "overwrite", path=shown), lang), overwrite)

    app.push_screen(PathPrompt(t(lang, title), default, lang), chosen)
