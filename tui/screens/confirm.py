"""A yes/no question in a modal dialog (resume the last session? start over?)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from ..i18n import relabel_bindings, t

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (enter / y) or False (escape / n)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm") as box:
            box.border_title = "dldoctor"
            yield Static(self.question, markup=False, id="confirm-text")
            with Horizontal(classes="buttons"):
                yield Button(f"[b]y[/b] {t(self.lang, 'yes')}", id="confirm-yes",
                             variant="primary", compact=True)
                yield Button(f"[b]n[/b] {t(self.lang, 'no')}", id="confirm-no", compact=True)
        yield Footer(compact=True)  # its own keys, not the chat's under the dialog

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)
        self.query_one("#confirm-yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")
