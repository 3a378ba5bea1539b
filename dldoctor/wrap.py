"""Wrap text by display width: a CJK character takes two columns and may break anywhere."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["cell_len", "clip", "wrap"]

# A run of non-space, non-CJK characters (a word, a number, an identifier), one wide
# character, or a run of spaces.
_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
                    r"|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"
                    r"|\s+")
# Punctuation that must not start a line (it stays with the character before it).
_NO_START = set("，。、；：！？）》」』】,.;:!?)]}%×")


def cell_len(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_NO_END = set("（《「『【“")


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` screen columns, with "…" where it was cut."""
    if cell_len(text) <= width:
        return text
    while cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for token in _TOKEN.findall(text):
        glue = out and not out[-1].isspace() and (token[0] in _NO_START
                                                  or out[-1][-1] in _NO_END)
        if glue:
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Lines of at most ``width`` columns (a longer word is split), first line ``indent``."""
    rest = indent if subsequent is None else subsequent
    lines: list[str] = []
    line, used = indent, cell_len(indent)
    fresh = True  # nothing but the indent on this line yet
    for token in _tokens(" ".join(text.split())):
        size = cell_len(token)
        if token.isspace():
            if not fresh:
                line, used = line + " ", used + 1
            continue
        if used + size > width and not fresh:
            lines.append(line.rstrip())
            line, used, fresh = rest, cell_len(rest), True
        while used + size > width and len(token) > 1:  # a word wider than a line
            cut = 1
            while cut < len(token) and used + cell_len(token[:cut + 1]) <= width:
                cut += 1
            lines.append(line + token[:cut])
            token = token[cut:]
            size = cell_len(token)
            line, used = rest, cell_len(rest)
        line, used, fresh = line + token, used + size, False
    if not fresh or not lines:
        lines.append(line.rstrip())
    return lines
