"""Keep torch's own warnings and log lines off the user's terminal while a file is read.

stderr belongs to dldoctor: one line per error, so scripts can parse it. Whatever torch says
while loading (Python warnings, ``logging`` records, C++ lines written straight to file
descriptor 2) is captured here and handed back as notes for ``--verbose`` and the report.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator

__all__ = ["quiet", "warnings_to"]

_LOGGERS = ("torch", "torch.distributed", "torch.distributed.checkpoint")
_OPEN: list[list[str]] = []  # the notes of the quiet blocks now open, innermost last


class _Collect(logging.Handler):
    def __init__(self, out: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        self.out.append(record.getMessage().splitlines()[0][:200] if record.msg else "")


@contextlib.contextmanager
def _fd2_captured(out: list[str]) -> Iterator[None]:
    """Point file descriptor 2 at a temporary file for the duration (C++ warnings)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real fd 2 (embedded, some tests)
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read(64_000).decode("utf-8", "replace")
            out.extend(line[:200] for line in text.splitlines() if line.strip())


@contextlib.contextmanager
def _loggers_to(handler: logging.Handler) -> Iterator[None]:
    """Route torch's (and its friends') log records to ``handler`` only, while the block runs."""
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    saved = [(lg.propagate, lg.handlers[:]) for lg in loggers]
    for lg in loggers:
        lg.propagate = False
        lg.handlers = [handler]
    try:
        yield
    finally:
        for lg, (propagate, handlers) in zip(loggers, saved, strict=True):
            lg.propagate, lg.handlers = propagate, handlers


@contextlib.contextmanager
def quiet(notes: list[str] | None = None) -> Iterator[list[str]]:
    """Silence torch while the block runs; what it said ends up in ``notes`` (and is yielded)."""
    if notes is None and _OPEN:  # nested: what is said goes to the outer block's notes
        notes = _OPEN[-1]
    said: list[str] = notes if notes is not None else []
    _OPEN.append(said)
    try:
        with _loggers_to(_Collect(said)), warnings.catch_warnings(record=True) as caught, \
                _fd2_captured(said):
            warnings.simplefilter("always")
            yield said
    finally:
        _OPEN.pop()
    for w in caught:
        line = warning_line(w.category, w.message)
        if line is not None and line not in said:
            said.append(line)


#: Warnings about how dldoctor's own checks run, not about the person's model: torch's vmap
#: falling back to a loop for an op (the LR sweep vectorises its copies).
_OWN_WARNINGS = ("There is a performance drop because we have not yet implemented the "
                 "batching rule",)
#: A warning's first line is shown up to this length, cut at a word with an ellipsis.
WARNING_CHARS = 200


def warning_line(category: type[Warning], message: Warning | str) -> str | None:
    """A warning as one note line (None for one about dldoctor's own machinery)."""
    text = str(message).splitlines()[0] if str(message) else ""
    if text.startswith(_OWN_WARNINGS):
        return None
    if len(text) > WARNING_CHARS:
        text = text[:WARNING_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(") + " …"
    return f"{category.__name__}: {text}"


@contextlib.contextmanager
def warnings_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send Python warnings and torch log records to ``sink`` instead of stderr.

    Unlike :func:`quiet` it leaves file descriptor 2 alone, so dldoctor's own progress lines
    still reach the terminal while probes run (the user's model may warn about anything).
    """
    def show(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
        if (line := warning_line(category, message)) is not None:
            sink(line)

    collected: list[str] = []
    try:
        with _loggers_to(_Collect(collected)), warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = show  # catch_warnings restores it
            yield
    finally:
        for line in collected:
            sink(line)
