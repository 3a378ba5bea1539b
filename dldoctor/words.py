"""Fact values and small words in the session's language, for every front end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dldoctor.engine.values import UNKNOWN

from .numbers import num

if TYPE_CHECKING:
    from dldoctor.engine.model import FactSpec

__all__ = ["WORDS", "word", "show_value", "answer_problem"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "yes": "yes", "no": "no", "dont_know": "don't know", "values": "{n} values",
        "not_so": "Not so: {text}",
        "bad_bool": "{raw!r} is not an answer: type y (yes) or n (no), or ? if you don't know.",
        "bad_enum": "{raw!r} is not one of the choices: type a number from 1 to {n}, "
                    "or ? if you don't know.",
        "bad_number": "{raw!r} is not a number: type one such as 64, 0.001 or 1e-3, "
                      "or ? if you don't know.",
        "bad_series": "{raw!r} is not a list of numbers: separate them with commas.",
    },
    "zh": {
        "yes": "是", "no": "否", "dont_know": "不知道", "values": "{n} 个值",
        "not_so": "并非如此：{text}",
        "bad_bool": "“{raw}”不是有效回答：请输入 y（是）或 n（否），不知道请输入 ?。",
        "bad_enum": "“{raw}”不在选项中：请输入 1 到 {n} 之间的数字，不知道请输入 ?。",
        "bad_number": "“{raw}”不是数字：请输入如 64、0.001 或 1e-3 的数字，不知道请输入 ?。",
        "bad_series": "“{raw}”不是数字列表：请用逗号分隔。",
    },
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


def answer_problem(spec: FactSpec, raw: str, lang: str = "en") -> str:
    """Why ``raw`` is no answer to ``spec``'s question, in the terms the person was shown
    (the numbers of the listed choices, not the values behind them)."""
    key = {"bool": "bad_bool", "enum": "bad_enum", "number": "bad_number",
           "series": "bad_series"}.get(spec.type, "bad_number")
    return word(lang, key, raw=raw.strip(), n=len(spec.choices or []))
