"""Numbers as a person writes them: 3 significant digits, whole counts as integers."""

from __future__ import annotations

import math
import re

__all__ = ["num", "count", "times", "percent"]

_EXP = re.compile(r"e([+-])0*(\d+)$")


def num(value: float | int, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits: 0.0469, 1.26, 35.4, 1170, 2.64e11, 3e-4.

    Whole numbers below a million stay whole (a step, a count); very large and very small
    values use an exponent without padding (``1e-5``, not ``1e-05``). NaN and infinities are
    named (a ratio whose denominator is 0 should not reach here: see :func:`times`).
    """
    if isinstance(value, bool):
        return str(value)
    x = float(value)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e6:
        return str(int(x))
    magnitude = abs(x)
    if 1e-3 <= magnitude < 1e5:
        if magnitude >= 100:  # 1168.4 reads better as 1170 than as 1.17e3
            return str(int(round(x, digits - 1 - int(math.floor(math.log10(magnitude))))))
        return f"{x:.{digits}g}"
    text = f"{x:.{digits - 1}e}"
    mantissa, _, _ = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    sign, power = _EXP.search(text).groups()  # type: ignore[union-attr]
    return f"{mantissa}e{'-' if sign == '-' else ''}{power}"


def count(value: float | int) -> str:
    """A step or a count: always a whole number."""
    x = float(value)
    if not math.isfinite(x):
        return num(x)
    return str(round(x))


def times(numerator: float, denominator: float) -> str:
    """``numerator / denominator`` as a multiple ("1.8e25×"); "n/a" when it has no value."""
    if denominator == 0 or not math.isfinite(numerator) or not math.isfinite(denominator):
        return "n/a"
    return f"{num(numerator / denominator)}×"


def percent(fraction: float) -> str:
    """A fraction as a percentage: 35%, 4.7%, 0.3%, 99.7% (never 100% short of all); beyond
    100 times, a multiple: 5.7e24×."""
    if not math.isfinite(fraction):
        return num(fraction)
    if abs(fraction) >= 100:
        return f"{num(fraction)}×"
    p = fraction * 100
    if 99.5 <= abs(p) < 100:  # short of all: never rounded up to 100% (99.7%, 99.98%)
        digits = 1
        while round(abs(p), digits) >= 100:
            digits += 1
        return f"{p:.{digits}f}%"
    if abs(p) >= 10 or p == 0:
        return f"{p:.0f}%"
    return f"{p:.2g}%"
