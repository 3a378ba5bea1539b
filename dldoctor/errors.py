"""The errors dldoctor reports to people: one line, naming the file and what to do.

Every error dldoctor raises on purpose derives from :class:`DldoctorError`; this module is a
leaf (standard library only), so every layer — engine, probes, session, front ends — raises
from the one tree::

    DldoctorError                 one line for a person; the CLI exits 2 with it
    ├── UsageError                the command line asks for something impossible
    ├── InputError                an input file is missing, unreadable, corrupt or of the
    │                             wrong kind (a session or report file of the wrong shape too)
    ├── ProbeError                a probe could not measure what it was asked to
    ├── KBError                   the rules could not be loaded (dldoctor.engine.errors);
    │                             ``problems`` lists each one with its file and line
    ├── ValueProblem              a value does not fit its fact's type (dldoctor.engine.values);
    │                             also a ValueError
    └── Cancelled                 the person cancelled a running probe (dldoctor.probes.base)

The command line turns them into exit statuses (``dldoctor.cli.app.ExitCode``); the chat
into a notice. A bug is never one of these: it keeps its traceback.
"""

from __future__ import annotations

import re

__all__ = ["DldoctorError", "InputError", "ProbeError", "UsageError", "printable", "one_line",
           "shown", "problem_text"]

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


def problem_text(problem: object, *, with_column: bool = False, with_code: bool = False) -> str:
    """A rule or YAML problem (``dldoctor.engine.errors.Problem``) as ``file:line: …``; one
    about the whole file (line 0: not UTF-8, unreadable) as ``file: …``, not ``file:0:``."""
    text: str = problem.format(with_column=with_column,  # type: ignore[attr-defined]
                               with_code=with_code)
    file, line = problem.file, problem.line  # type: ignore[attr-defined]
    if line == 0 and text.startswith(f"{file}:0:"):
        text = f"{file}:" + text[len(f"{file}:0:"):]
    return text


class DldoctorError(Exception):
    """Base of every error shown to a user as one line (never a traceback)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class UsageError(DldoctorError):
    """The command line asks for something impossible."""


class InputError(DldoctorError):
    """An input file is missing, unreadable, corrupt or of the wrong kind."""


class EmptyLogError(InputError):
    """A log with nothing in it yet: a run that stopped before its first log line (a crash in
    the first epoch). Beside other inputs the diagnosis goes on without it; alone it is
    nothing to read."""


class ProbeError(DldoctorError):
    """A probe could not measure what it was asked to."""
