"""The errors dldoctor reports to people: one line, naming the file and what to do."""

from __future__ import annotations

__all__ = ["DldoctorError", "InputError", "ProbeError", "UsageError"]


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
