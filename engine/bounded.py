"""Bounded reading of files a user names: regular files only, never more than a cap.

A FIFO, a device (``/dev/zero`` behind a symlink) or a 10 GB file named as a rule file, an
answers file or a session must end in a clear refusal, not a hang or a blow-up. Pure Python,
so the engine and the CLI share it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dldoctor.error_texts import err

__all__ = ["Unreadable", "read_regular", "check_regular", "MAX_TEXT_BYTES"]

MAX_TEXT_BYTES = 2_000_000  # a rule file, an answers file: the built-in rules are ~300 kB


class Unreadable(Exception):
    """The file cannot be read safely; the message says why (without the path)."""


def check_regular(path: Path) -> int:
    """Return the size of ``path`` if it is a regular file (symlinks followed), else raise."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise Unreadable(err("read.no_file")) from None
    except RecursionError:  # pragma: no cover - pathological symlink chains
        raise Unreadable(err("read.loop")) from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise Unreadable(err("read.loop")) from None
        raise Unreadable(err("read.cannot", reason=exc.strerror or exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable(err("read.folder"))
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(err("read.not_regular"))
    return info.st_size


def read_regular(path: Path, cap: int = MAX_TEXT_BYTES) -> bytes:
    """Read a regular file of at most ``cap`` bytes (checked before and while reading)."""
    size = check_regular(path)
    if size > cap:
        raise Unreadable(err("read.too_big", size=f"{size:,}", cap=f"{cap:,}"))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(err("read.cannot", reason=exc.strerror or exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
            raise Unreadable(err("read.not_regular"))
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise Unreadable(err("read.grew", cap=f"{cap:,}"))
    except OSError as exc:
        raise Unreadable(err("read.cannot", reason=exc.strerror or exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)
