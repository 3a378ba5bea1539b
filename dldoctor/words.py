"""Fact values and small words in the session's language, for every front end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dldoctor.engine.values import UNKNOWN

from .numbers import num

if TYPE_CHECKING:
    from dldoctor.engine.model import FactSpec

__all__ = ["WORDS", "word", "show_value"]

WORDS: dict[str, dict[str, str]] = {
    "en": {"yes": "yes", "no": "no", "dont_know": "don't know", "values": "{n} values"},
    "zh": {"yes": "是", "no": "否", "dont_know": "不知道", "values": "{n} 个值"},
}


def word(lang: str, key: str, **values: object) -> str:
    table = WORDS.get(lang, WORDS["en"])
    text = table.get(key) or WORDS["en"][key]
    return text.format(**values) if values else text


def show_value(value: Any, lang: str = "en", spec: FactSpec | None = None) -> str:
    """A value as a person reads it: yes/no, an enum's label, 3 significant digits."""
    if value is UNKNOWN or value is None:
        return word(lang, "dont_know")
    if isinstance(value, bool):
        return word(lang, "yes" if value else "no")
    if spec is not None and spec.type == "enum":
        for choice in spec.choices or []:
            if choice.value == value:
                return choice.text.get(lang)
    if isinstance(value, int | float):
        return num(value)  # the fact's text names the unit ("the step at which …")
    if isinstance(value, list):
        return word(lang, "values", n=len(value))
    return str(value)
