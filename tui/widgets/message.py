"""Transcript messages: what the person said, what dldoctor said, and short notices."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Markdown

__all__ = ["TranscriptItem", "UserMessage", "DoctorMessage", "NoticeMessage", "step_focus"]


def step_focus(widget: Widget, delta: int) -> None:
    """Move the focus ``delta`` items along the transcript; past the end, to the composer."""
    screen = widget.screen
    items = [w for w in screen.query(".transcript-item") if w.focusable]
    try:
        index = items.index(widget)
    except ValueError:
        index = len(items)
    target = index + delta
    if 0 <= target < len(items):
        items[target].focus()
    elif target >= len(items):
        for composer in screen.query("#composer"):
            composer.focus()


class TranscriptItem:
    """Mixin: a focusable transcript entry; up and down move between entries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step_focus(-1)", show=False),
        Binding("down", "step_focus(1)", show=False),
    ]

    def action_step_focus(self, delta: int) -> None:
        assert isinstance(self, Widget)
        step_focus(self, delta)


#: Lines of a long paste shown: its start, and its end, where a traceback says the error
HEAD_LINES, TAIL_LINES = 3, 6
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~!{}+\-.])")


def literal(text: str) -> str:
    """``text`` as Markdown that shows it as typed: ``__init__`` is not bold, each line of
    a paste keeps its line, and a long paste shows its first and last lines."""
    lines = [_MARKUP.sub(r"\\\1", line.strip()) for line in text.splitlines()
             if line.strip()] or [""]
    if len(lines) > HEAD_LINES + TAIL_LINES + 1:
        cut = len(lines) - HEAD_LINES - TAIL_LINES
        lines = [*lines[:HEAD_LINES], f"… (+{cut}) …", *lines[-TAIL_LINES:]]
    return "  \n".join(lines)


class UserMessage(TranscriptItem, Markdown):
    """What the person typed or chose, shown as typed."""

    can_focus = True

    def __init__(self, text: str, title: str) -> None:
        super().__init__(literal(text), classes="transcript-item")
        self.said = text
        self.border_title = title


class DoctorMessage(TranscriptItem, Markdown):
    """What dldoctor says: Markdown, with an optional second title (e.g. "why?")."""

    can_focus = True

    def __init__(self, text: str, title: str, subtitle: str = "") -> None:
        super().__init__(text, classes="transcript-item")
        self.border_title = title
        self.border_subtitle = subtitle


class NoticeMessage(TranscriptItem, Markdown):
    """A short remark (undo, attach, a probe that failed); ``severity`` sets its colour."""

    can_focus = True

    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__(text, classes=f"transcript-item -{severity}")
