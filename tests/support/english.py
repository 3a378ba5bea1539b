"""Find English sentences in text that should be Chinese.

A *word* is a whitespace-separated token made of ASCII letters only (an inner apostrophe or
hyphen allowed: ``factory's``, ``zero-centred``), once ASCII punctuation at its edges is
dropped. Identifiers and numbers are not words: ``lr_too_high``, ``loss.initial``,
``lr=0.5``, ``NaN/inf``, ``1e-3``, ``/path/file.pt`` and ``0.weight`` all break a run, and
so does any CJK character or CJK punctuation. A leak is a run of at least ``RUN`` words in a
row: "live probes use the factory's …" is one, "sgd lr=0.5" and "loss 变成 NaN" are not.
Code is not checked: callers remove the lines of the report's code snippets first, and
`code spans` and an error message quoted as it is printed (“Target 5 is out of bounds”: ASCII
only, inside Chinese quotes) are skipped here.
"""

from __future__ import annotations

import re

__all__ = ["RUN", "english_runs", "without_lines"]

RUN = 3
# Terms a Chinese text about training keeps in English (two words at most in a row are
# allowed anyway; these are the three-word ones).
ALLOWED: frozenset[str] = frozenset()

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u300a-\u300f\u2018-\u201f]")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_EDGE = "\"'`.,;:!?()[]{}<>*_~|…"


def _runs_in(chunk: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    for token in chunk.split():
        word = token.strip(_EDGE)
        if word and _WORD.fullmatch(word):
            current.append(word)
            continue
        runs.append(" ".join(current))
        current = []
    runs.append(" ".join(current))
    return [r for r in runs if len(r.split()) >= RUN and r.lower() not in ALLOWED]


def english_runs(text: str) -> list[str]:
    """Every run of ``RUN`` or more English words in ``text``, outside `code spans`."""
    text = re.sub(r"`[^`\n]*`", " ` ", text)
    text = re.sub(r"“[\x20-\x7e…]*”", "“…”", text)  # a quoted message, as printed
    found: list[str] = []
    for line in text.splitlines():
        for chunk in _CJK.split(line):
            found.extend(_runs_in(chunk))
    return found


def without_lines(text: str, lines: set[str]) -> str:
    """``text`` less its lines that are, once stripped, one of ``lines`` (code snippets)."""
    return "\n".join(line for line in text.splitlines() if line.strip() not in lines)
