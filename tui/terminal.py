"""Draw the chat on a file descriptor of its own, so that no redirection of stderr takes it.

Textual draws on file descriptor 2. Reading a checkpoint points descriptor 2 at a temporary
file for a moment (``probes/quiet.py``: torch's C++ lines become the probe's notes), and the
frames drawn in that moment went into the file instead of the terminal: the progress bar's
escape codes came back as forty lines of garbage among the findings, and the rows they should
have drawn stayed stale on screen. The chat writes to a duplicate of descriptor 2 taken when it
starts, which a later ``dup2`` onto descriptor 2 does not move.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

from textual.driver import Driver

__all__ = ["own_output", "private_driver"]


def own_output() -> io.TextIOWrapper | None:
    """A text file on a duplicate of the terminal's stderr, or None when there is none."""
    stream = sys.__stderr__
    if stream is None:
        return None
    try:
        fd = os.dup(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return open(fd, "w", encoding=stream.encoding or "utf-8", errors="replace")  # noqa: SIM115


def private_driver(default: type[Driver]) -> type[Driver]:
    """``default`` (Textual's Linux driver) drawing through :func:`own_output`; any other
    driver (Windows, headless, one named in ``TEXTUAL_DRIVER``) as it is."""
    from textual.drivers.linux_driver import LinuxDriver

    if default is not LinuxDriver:
        return default

    class PrivateOutputDriver(LinuxDriver):
        """Textual's Linux driver, its output on a descriptor no probe redirects."""

        def __init__(self, app: Any, **options: Any) -> None:
            super().__init__(app, **options)
            # open for the driver's life: close() also runs on suspend (ctrl+z), and the
            # resumed writer thread writes to the same file; the file closes with the driver
            self._own = own_output()
            if self._own is not None:
                self._file = self._own

    return PrivateOutputDriver
