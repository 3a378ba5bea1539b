"""Ask for a file to write (save the session, export the report)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from ..i18n import relabel_bindings, t
from ..widgets.path_input import PathInput

__all__ = ["PathPrompt"]


class PathPrompt(ModalScreen[Path | None]):
    """A path input with completion; enter writes, escape cancels."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="dismiss")]

    def __init__(self, title: str, default: Path, lang: str = "en") -> None:
        super().__init__()
        self.prompt_title = title
        self.default = default
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = self.prompt_title
            yield PathInput(str(self.default), id="path")
            yield Label(t(self.lang, "enter_esc"), classes="hint")
        yield Footer(compact=True)  # its own keys, not the chat's under the dialog

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)
