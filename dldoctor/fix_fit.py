"""Does a fix fit the run it is shown for? Fixes written for one setup (Adam, images,
regression targets) are left out when what was measured or answered says the run is another,
and moved first when it says the fix is about what was found.

The rules' fixes carry ``when`` conditions for most of this; these are the fixes whose own
words name their setup ("With Adam, …", "For images, …"), read in English whatever the
session language. (A tabular run was told to normalise images first; an SGD run to start
Adam at 3e-4.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from dldoctor.engine.values import MISSING, UNKNOWN

__all__ = ["fit"]

Fit = Literal["first", "keep", "last", "drop"]
Lookup = Callable[[str], Any]


def _known(value: Any) -> bool:
    return value is not MISSING and value is not UNKNOWN


def _adam_only(value: Lookup) -> Fit:
    kind = value("optimizer.kind")
    return "drop" if _known(kind) and kind != "adam" else "keep"


def _images_only(value: Lookup) -> Fit:
    # a model without convolutions, fed a batch that is no image batch: tabular or sequences
    return "drop" if value("weights.has_conv") is False else "keep"


def _targets(value: Lookup) -> Fit:
    scaled = value("target.not_normalized")
    if scaled is True:  # the targets alone are off: their fix first
        return "keep" if value("input.not_normalized") is True else "first"
    return "drop" if scaled is False else "keep"


def _targets_generic(value: Lookup) -> Fit:
    # the fix that quotes the targets' own mean and std says it when they were measured
    if _known(value("target.mean")):
        return "drop"
    return _targets(value)


def _rate_generic(sign: int) -> Callable[[Lookup], Fit]:
    """The rule-of-thumb rate change towards ``sign`` (−1 lower, +1 higher): the fix that
    quotes the sweep's best rate says it when the sweep found one that way (a rate 100× too
    low was told to multiply it by 3–10 beside "set it to 0.01 — the sweep's best")."""
    def judge(value: Lookup) -> Fit:
        best = value("lr_sweep.best_over_current")
        measured = _known(best) and isinstance(best, int | float) and (best - 1) * sign > 0
        return "drop" if measured else "keep"
    return judge


def _inputs(value: Lookup) -> Fit:
    raw = value("input.not_normalized")
    if raw is False:  # measured fine: the targets' fix says what to do when they are off
        return "drop" if value("target.not_normalized") is True else "last"
    return "keep"


#: What a fix's English text (or its snippet) says about the setup it is written for
_SETUPS: tuple[tuple[re.Pattern[str], Callable[[Lookup], Fit]], ...] = (
    (re.compile(r"^With Adam\b"), _adam_only),
    (re.compile(r"^For images\b|\btransforms\.(Normalize|RandomResizedCrop)\b"), _images_only),
    (re.compile(r"^Normalise regression targets as well\b"), _targets_generic),
    (re.compile(r"\bregression targets\b"), _targets),
    (re.compile(r"^Standardise every input feature\b"), _inputs),
    (re.compile(r"^Divide the learning rate by 10\b"), _rate_generic(-1)),
    (re.compile(r"^Multiply the learning rate by 3–10\b"), _rate_generic(+1)),
)


def fit(english: str, snippet: str | None, value: Lookup) -> Fit:
    """Where a fix goes for this run: ``first`` (it is about what was found), ``keep``,
    ``last`` (about something measured fine) or ``drop`` (written for another setup)."""
    said = english + "\n" + (snippet or "")
    for pattern, judge in _SETUPS:
        if pattern.search(said):
            return judge(value)
    return "keep"
