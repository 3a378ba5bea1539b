"""One diagnosis as a card: cause, confidence, evidence, curves, fixes, sources, "how?"."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Markdown, Static

from dldoctor.render import bar
from dldoctor.report import Diagnosis
from dldoctor.sources import source_title

from ..i18n import relabel_bindings, t
from ..texts import evidence_markdown, fixes_markdown, inline_literal
from .message import TranscriptItem

__all__ = ["DiagnosisCard", "copy_snippets"]


def copy_snippets(app: App[object], diagnosis: Diagnosis, lang: str) -> None:
    """Put every code snippet of ``diagnosis`` on the clipboard, and say so."""
    code = "\n\n".join(f.snippet.rstrip() for f in diagnosis.fixes if f.snippet)
    if not code:
        app.notify(t(lang, "nothing_to_copy"))
        return
    app.copy_to_clipboard(code + "\n")
    app.notify(t(lang, "copied", lines=code.count("\n") + 1))


class DiagnosisCard(TranscriptItem, Vertical):
    """A diagnosis from the report; ``h`` (or the button) asks how it was reached."""

    can_focus = True

    # the keys are written on the card's buttons; the footer keeps its room for the rest
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "how", "How?", id="how", show=False),
        Binding("c", "copy_snippets", "Copy code", id="copy", show=False),
    ]

    class HowAsked(Message):
        def __init__(self, card: DiagnosisCard, cause: str) -> None:
            super().__init__()
            self.card, self.cause = card, cause

    def __init__(self, diagnosis: Diagnosis, rank: int, lang: str,
                 logs: list[Path] | None = None) -> None:
        super().__init__(classes="transcript-item")
        self.diagnosis = diagnosis
        self.rank = rank
        self.lang = lang
        self.logs = logs or []
        self.border_title = f"{rank}. {diagnosis.title}"
        self.border_subtitle = f"{diagnosis.percent}"

    def compose(self) -> ComposeResult:
        d, lang = self.diagnosis, self.lang
        yield Static(
            f"{t(lang, 'confidence')} [b]{bar(d.confidence, 20)}[/b] {d.percent}"
            f"  [dim]{d.cause}[/dim]",
            classes="confidence",
        )
        if d.explanation:
            yield Markdown(inline_literal(d.explanation), classes="explanation")
        if d.evidence:
            yield Static(t(lang, "evidence"), classes="heading")
            yield Markdown(evidence_markdown(d, lang), classes="evidence")
        if self.logs:
            from .loss_plot import LossPlot  # plotext is slow to import: only when drawn

            yield LossPlot(self.logs, t(lang, "loss_curves"), t(lang, "plot_step"),
                           t(lang, "plot_epoch"))
        if d.fixes:
            yield Static(t(lang, "fixes"), classes="heading")
            yield Markdown(fixes_markdown(d), classes="fixes")
        if d.sources:
            titles = dict.fromkeys(source_title(s, lang) for s in d.sources)
            yield Static(t(lang, "sources"), classes="heading")
            yield Markdown("\n".join(f"- {title}" for title in titles), classes="sources")
        with Horizontal(classes="card-keys"):
            yield Button(f"[b]h[/b] {t(lang, 'how')}", id="how", compact=True, classes="aside")
            if any(f.snippet for f in d.fixes):
                yield Button(f"[b]c[/b] {t(lang, 'copy_code')}", id="copy", compact=True,
                             classes="aside")

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_snippets":
            return any(f.snippet for f in self.diagnosis.fixes)
        return True

    def action_how(self) -> None:
        self.post_message(self.HowAsked(self, self.diagnosis.cause))

    def action_copy_snippets(self) -> None:
        """Copy the fixes' code whole (the card wraps long lines, the copy keeps them)."""
        copy_snippets(self.app, self.diagnosis, self.lang)

    @on(Button.Pressed, "#how")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_how()

    @on(Button.Pressed, "#copy")
    def _copy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_copy_snippets()
