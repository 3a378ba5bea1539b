"""The line at the bottom where the person types complaints and answers."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from .message import step_focus

__all__ = ["Composer"]


class Composer(Input):
    """An Input; ``up`` moves into the transcript, to the last message."""

    BINDINGS = [Binding("up", "to_transcript", show=False)]

    def __init__(self, placeholder: str) -> None:
        # a letter typed in the transcript moves here with the focus: keep it, don't select it
        super().__init__(placeholder=placeholder, id="composer", select_on_focus=False)

    def action_to_transcript(self) -> None:
        items = [w for w in self.screen.query(".transcript-item") if w.focusable]
        if items:
            step_focus(items[-1], 0)
