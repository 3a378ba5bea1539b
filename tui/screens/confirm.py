"""A yes/no question in a modal dialog (resume the last session? start over?)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from ..i18n import relabel_bindings, t

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (enter / y) or False (escape / n; with ``typing_declines``, any
    other letter, kept in ``typed``)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, lang: str, typing_declines: bool = False) -> None:
        super().__init__()
        self.question = question
        self.lang = lang
        #: a letter other than y/n answers "no" and is kept here for the composer: the person
        #: is typing a new complaint, not answering (the "y" of "my loss …" had resumed)
        self.typing_declines = typing_declines
        self.typed = ""

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

    def on_key(self, event: events.Key) -> None:
        if not self.typing_declines or not event.is_printable or not event.character or \
                event.character.lower() in ("y", "n") or self.typed:
            return
        event.stop()
        event.prevent_default()
        self.typed = event.character
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")
