"""The status line of a running probe: what runs, how far it is, and a way to cancel it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Label, ProgressBar

from ..i18n import t

__all__ = ["ProbeStatus"]


class ProbeStatus(Vertical):
    """Hidden until a probe starts; the bar follows :attr:`fraction`. Two rows: the title on
    its own (a title beside the bar was cut at 80 columns), then the bar, the note and the
    cancel button."""

    fraction: reactive[float] = reactive(0.0)
    note: reactive[str] = reactive("")

    class CancelPressed(Message):
        """The person asked to stop the running probe."""

    def __init__(self, lang: str) -> None:
        super().__init__(id="probe-status")
        self.lang = lang
        self.display = False

    def compose(self) -> ComposeResult:
        yield Label("", id="probe-title", markup=False)
        with Horizontal(id="probe-row"):
            yield ProgressBar(total=1.0, show_eta=False).data_bind(
                progress=ProbeStatus.fraction)
            yield Label("", id="probe-note", markup=False)
            yield Button(t(self.lang, "probe_cancel"), id="probe-cancel", compact=True)

    def watch_note(self, note: str) -> None:
        self.query_one("#probe-note", Label).update(note[:60])

    def start(self, title: str, lang: str) -> None:
        self.lang = lang
        self.query_one("#probe-title", Label).update(t(lang, "probe_running", title=title))
        cancel = self.query_one("#probe-cancel", Button)
        cancel.label = t(lang, "probe_cancel")
        cancel.display = True
        self.fraction = 0.0
        self.query_one(ProgressBar).total = None  # pulses until the probe reports progress
        self.note = ""
        self.display = True

    def busy(self, text: str) -> None:
        """Show ``text`` with a pulsing bar for work that cannot be cancelled (a resume)."""
        self.query_one("#probe-title", Label).update(text)
        self.query_one(ProgressBar).total = None
        self.query_one("#probe-cancel", Button).display = False
        self.note = ""
        self.display = True

    def advance(self, fraction: float, note: str) -> None:
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.total = 1.0
        self.fraction = max(0.0, min(1.0, fraction))
        self.note = note

    def stop(self) -> None:
        self.display = False

    @on(Button.Pressed, "#probe-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CancelPressed())
