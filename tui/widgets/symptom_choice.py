"""Ask which symptom a complaint meant when two matched almost equally well."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import Button, Static

from dldoctor.session import NeedsChoice, SymptomMatch

from ..i18n import t
from .message import TranscriptItem

__all__ = ["SymptomChoice"]


class SymptomChoice(TranscriptItem, Vertical):
    """One button per close match, numbered, and "none of these" (0)."""

    can_focus = True

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(i), f"choose({i})", show=False) for i in range(0, 10)),
    ]

    class Chosen(Message):
        """The person picked ``match`` (None: none of these)."""

        def __init__(self, card: SymptomChoice, match: SymptomMatch | None) -> None:
            super().__init__()
            self.card, self.match = card, match

    def __init__(self, choice: NeedsChoice, titles: list[str], lang: str) -> None:
        super().__init__(classes="transcript-item")
        self.choice = choice
        self.matches = list(choice.options)
        self.titles = titles
        self.lang = lang
        self.resolved = False
        self.sent = False
        self.also: list[str] = []  # titles of the other picks ("both"), taken beside it
        self.border_title = t(lang, "doctor")

    def compose(self) -> ComposeResult:
        yield Static(t(self.lang, "close_call"), classes="question-text")
        with Vertical(classes="choices"):
            for i, title in enumerate(self.titles, 1):
                yield Button(f"[b]{i}[/b] {escape(title)}", id=f"symptom-{i}", compact=True)
            yield Button(f"[b]0[/b] {escape(t(self.lang, 'none_of_these'))}", id="symptom-0",
                         compact=True, classes="aside")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return not self.resolved
        return True

    def action_choose(self, index: int) -> None:
        if self.resolved or self.sent:  # one pick per card, however fast the keys come
            return
        if index in range(len(self.matches) + 1):
            self.sent = True
        if index == 0:
            self.post_message(self.Chosen(self, None))
        elif 1 <= index <= len(self.matches):
            self.post_message(self.Chosen(self, self.matches[index - 1]))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(int((event.button.id or "symptom-0").split("-")[1]))

    async def resolve(self, answer: str) -> None:
        if self.resolved:
            return
        self.resolved = True
        self.add_class("-answered")
        self.border_subtitle = answer
        await self.query(".choices").remove()
