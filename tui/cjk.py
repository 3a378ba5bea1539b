"""Let Chinese text wrap between any two characters, as Chinese typesetting does.

Textual lays text out with Rich's ``divide_line``, which breaks only at spaces: a Chinese
sentence (no spaces) becomes one long "word" pushed whole to the next line, leaving half-empty
lines. Rich finds words with the module-level pattern ``rich._wrap.re_word``; replacing it with
one where each CJK character is a word of its own (closing punctuation kept with the character
before it, so no line starts with "。") fixes every widget at once. Widths are Rich's cell
widths, so a CJK character still counts two columns.
"""

from __future__ import annotations

import re

__all__ = ["CJK_WORD", "enable_cjk_wrapping"]

_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_NO_START = "，。、；：！？）》」』】,.;:!?)\\]}%×"
_NO_END = "（《「『【“"
#: A word: optional leading spaces, opening brackets (never last on a line), one CJK
#: character or a run of other non-space characters, the punctuation that may not start a
#: line, trailing spaces.
CJK_WORD = re.compile(rf"\s*[{_NO_END}]*(?:[{_CJK}]|[^\s{_CJK}]+)[{_NO_START}]*\s*")


def enable_cjk_wrapping() -> None:
    """Install :data:`CJK_WORD` as Rich's word pattern (idempotent)."""
    import rich._wrap

    rich._wrap.re_word = CJK_WORD  # noqa: SLF001 - the one hook Rich's wrapping has
