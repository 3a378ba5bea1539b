"""The errors dldoctor reports to people: one line, naming the file and what to do."""

from __future__ import annotations

import re

__all__ = ["DldoctorError", "InputError", "ProbeError", "UsageError", "printable", "one_line",
           "shown"]

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters: names and text taken from files (tensor names,
    log columns, session notes) must not drive the reader's terminal."""
    return _CONTROLS.sub("", text)


def shown(text: object, limit: int = 80) -> str:
    """A name taken from a file or the command line, safe inside a one-line message."""
    value = str(text)
    if value.isprintable() and len(value) <= limit:
        return value
    return repr(value)[1:-1][:limit]


def one_line(text: str) -> str:
    """The first non-empty line of ``text``, printable."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return printable(lines[0]) if lines else ""


class DldoctorError(Exception):
    """Base of every error shown to a user as one line (never a traceback)."""

    title = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(DldoctorError):
    """The command line asks for something impossible."""

    title = "usage"


class InputError(DldoctorError):
    """An input file is missing, unreadable, corrupt or of the wrong kind."""

    title = "input"


class ProbeError(DldoctorError):
    """A probe could not measure what it was asked to."""

    title = "probe"
