"""The line at the bottom where the person types complaints and answers."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from .message import step_focus

__all__ = ["Composer", "LINE_BREAK"]

#: How a line break of pasted text shows in the one-line composer (sent as a line break)
LINE_BREAK = " ⏎ "


class Composer(Input):
    """An Input; ``up`` moves into the transcript, to the last message; ``pageup`` /
    ``pagedown`` scroll the transcript while the cursor stays here (a long conclusion at 24
    rows could not be read from the composer)."""

    BINDINGS = [
        Binding("up", "to_transcript", show=False),
        Binding("pageup", "scroll_transcript(-1)", show=False),
        Binding("pagedown", "scroll_transcript(1)", show=False),
    ]

    def __init__(self, placeholder: str) -> None:
        # a letter typed in the transcript moves here with the focus: keep it, don't select it
        super().__init__(placeholder=placeholder, id="composer", select_on_focus=False)

    def action_to_transcript(self) -> None:
        items = [w for w in self.screen.query(".transcript-item") if w.focusable]
        if items:
            step_focus(items[-1], 0)

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.screen.query("#transcript").first()
        if direction < 0:
            transcript.scroll_page_up()
        else:
            transcript.scroll_page_down()

    def _on_paste(self, event: events.Paste) -> None:
        """Keep every line of a paste (a traceback's error is on its last line; Textual's
        Input keeps only the first), each break shown as ⏎."""
        event.stop()
        event.prevent_default()  # Input's own handler would add the first line again
        self.paste(event.text)

    def paste(self, pasted: str) -> None:
        """Insert ``pasted`` at the cursor (over a selection), its lines joined by ⏎."""
        lines = [line.strip() for line in pasted.splitlines() if line.strip()]
        if not lines:
            return
        text = LINE_BREAK.join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    @staticmethod
    def spoken(value: str) -> str:
        """What the person sent: the composer's line with its pasted line breaks back."""
        return value.replace(LINE_BREAK, "\n")
