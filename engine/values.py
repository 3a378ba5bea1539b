"""Fact values: the "don't know" value, type checks and parsing of typed answers."""

from __future__ import annotations

import math
import re
from typing import Any, Final

from dldoctor.error_texts import err
from dldoctor.errors import DldoctorError

from .model import FactSpec

__all__ = [
    "MISSING", "UNKNOWN", "Unknown", "check_value", "check_range", "parse_answer",
    "ValueProblem", "to_json_value",
]


class Unknown:
    """The legal value "don't know": the fact was asked or probed and cannot be established."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
MISSING: Final[Any] = object()  # what a lookup gives for a fact nobody has established yet

_YES = {"y", "yes", "true", "t", "1", "是", "是的", "对", "有", "会"}
_NO = {"n", "no", "false", "f", "0", "否", "不是", "不", "没有", "无", "不会"}
_DONT_KNOW = {"?", "dk", "unknown", "don't know", "dont know", "idk", "skip", "不知道", "不清楚"}


class ValueProblem(DldoctorError, ValueError):
    """A value does not fit its fact's type (a ValueError too)."""


def check_value(spec: FactSpec, value: Any) -> Any:
    """Return ``value`` normalised to ``spec``'s type, or raise :class:`ValueProblem`."""
    if value is UNKNOWN:
        return value
    kind = spec.type
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ValueProblem(err("value.bool", fact=spec.id, value=value))
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem(err("value.number", fact=spec.id, value=value))
        return float(value)
    if kind == "enum":
        if value not in spec.choice_values:
            raise ValueProblem(err("value.enum", fact=spec.id,
                                   values=", ".join(spec.choice_values), value=value))
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ValueProblem(err("value.text", fact=spec.id, value=value))
        return value
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        raise ValueProblem(err("value.series", fact=spec.id))
    return [float(v) for v in value]


_NUMBER = re.compile(
    r"^\s*([-+]?\d*\.?\d+(?:e[-+]?\d+)?)\s*(?:[x×*]\s*10\^?\s*([-+]?\d+))?\s*$",
    re.I | re.ASCII,
)
MAX_ANSWER_CHARS = 100  # a number or a choice; longer is not an answer (and int() refuses)
MAX_SERIES = 100_000

#: Ranges of the numbers people give (answers, --set, session files); every number must
#: also be finite. (lower, lower inclusive, upper, whole number)
_RANGES: dict[str, tuple[float, bool, float, bool]] = {
    "optimizer.lr": (0.0, False, math.inf, False),
    "setup.batch_size": (1.0, True, math.inf, True),
    "batch.size": (1.0, True, math.inf, True),
    "data.samples_per_class": (0.0, False, math.inf, False),
    "arch.first_layer_filters": (1.0, True, math.inf, True),
    "setup.params_tuned_at_once": (1.0, True, math.inf, True),
    "optimizer.momentum": (0.0, True, 1.0, False),
    "optimizer.weight_decay": (0.0, True, math.inf, False),
    "arch.dropout_rate": (0.0, True, 1.0, False),
    "setup.val_fraction": (0.0, True, 1.0, False),
}


def check_range(spec: FactSpec, value: Any) -> Any:
    """A number someone gave must be finite and within its fact's range."""
    if spec.type != "number" or not isinstance(value, float):
        return value
    if not math.isfinite(value):
        raise ValueProblem(err("value.finite", fact=spec.id, value=value))
    low, inclusive, high, whole = _RANGES.get(spec.id, (-math.inf, True, math.inf, False))
    if value < low or (value == low and not inclusive) or value > high:
        bound = err("value.at_least" if inclusive else "value.more_than", low=f"{low:g}")
        upper = err("value.at_most", high=f"{high:g}") if math.isfinite(high) else ""
        raise ValueProblem(err("value.range", fact=spec.id, bound=bound, upper=upper,
                               value=f"{value:g}"))
    if whole and not value.is_integer():
        raise ValueProblem(err("value.whole", fact=spec.id, value=f"{value:g}"))
    return value


def parse_answer(spec: FactSpec, text: Any) -> Any:
    """Turn what a person typed (or a YAML value) into a value of ``spec``'s type.

    "don't know" in any of its spellings gives :data:`UNKNOWN`.
    """
    if not isinstance(text, str):
        if spec.type == "number" and isinstance(text, int) and not isinstance(text, bool):
            try:
                return check_range(spec, float(text))
            except OverflowError:
                raise ValueProblem(err("value.out_of_range", fact=spec.id)) from None
        if spec.type == "series" and isinstance(text, list | tuple) and len(text) > MAX_SERIES:
            raise ValueProblem(err("value.too_many", fact=spec.id, n=f"{MAX_SERIES:,}"))
        return check_range(spec, check_value(spec, text))
    if len(text) > MAX_ANSWER_CHARS and spec.type != "text" and spec.type != "series":
        raise ValueProblem(err("value.short", fact=spec.id, n=len(text)))
    raw = text.strip()
    low = raw.lower()
    if low in _DONT_KNOW:
        return UNKNOWN
    if spec.type == "bool":
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise ValueProblem(err("value.yes_no", value=raw))
    if spec.type == "number":
        match = _NUMBER.match(low.replace(",", ""))
        if not match:
            raise ValueProblem(err("value.number_like", fact=spec.id, value=raw))
        try:
            number = float(match.group(1))
            if match.group(2):
                number *= 10.0 ** int(match.group(2))
        except OverflowError:
            raise ValueProblem(err("value.out_of_range_raw", fact=spec.id, value=raw)) from None
        return check_range(spec, number)
    if spec.type == "enum":
        values = spec.choice_values
        if low in values:
            return low
        if raw in values:
            return raw
        if low.isascii() and low.isdecimal() and 1 <= int(low) <= len(values):
            return values[int(low) - 1]
        for choice in spec.choices or []:
            if low in (choice.text.en.lower(), (choice.text.zh or "").lower()):
                return choice.value
        raise ValueProblem(err("value.choose", values=", ".join(values), value=raw))
    if spec.type == "series":
        if len(raw) > MAX_SERIES * 30:
            raise ValueProblem(err("value.long_series", fact=spec.id))
        try:
            return [float(v) for v in re.split(r"[,\s]+", raw) if v]
        except ValueError:
            raise ValueProblem(err("value.commas", fact=spec.id)) from None
    return raw


def to_json_value(value: Any) -> Any:
    """Return ``value`` as JSON can hold it (``UNKNOWN`` becomes ``None``, NaN a string)."""
    if value is UNKNOWN:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
