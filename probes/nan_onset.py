"""How the training loss reached its first NaN/inf: climbing to it, or in one step from a
normal level.

A rate too high or an explosion makes the loss (and the gradient norm) grow by orders of
magnitude before float32 overflows; an update cannot take weights from ordinary values to
inf in one step unless its gradient was already inf or NaN. A loss logged at its usual level
one update before it is NaN/inf (and a logged gradient norm at its usual level there too)
therefore points at the loss formula on one batch — a log of 0, a division by 0, a sqrt of
a negative number — or at a bad batch, not at the learning rate.
"""

from __future__ import annotations

import numpy as np

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Times, at, say
from .logs import Series

__all__ = ["blowup_step_finding", "onset_finding", "steady_finding"]

#: At least this many finite points before the first NaN/inf to know the usual level.
MIN_PREFIX = 4
#: The last finite row at most this many updates before the first bad one: a longer gap
#: could hide a climb.
MAX_GAP_STEPS = 2
#: The last finite loss (and gradient norm) within this multiple of the prefix's median.
USUAL_LEVEL = 3.0
#: A last finite loss this many times the first logged one climbed to its NaN/inf, even with
#: rows an epoch apart (a loss never grows a thousandfold from its start in a healthy run).
EPOCH_CLIMB = 1e3


def _first_bad(values: np.ndarray) -> int | None:
    """The row of the first NaN/inf value, or None."""
    bad_rows = np.flatnonzero(~np.isfinite(values))
    return int(bad_rows[0]) if bad_rows.size else None


def _word(values: np.ndarray, row: int) -> str:
    return "NaN" if np.isnan(values[row]) else "inf"


def onset_finding(loss: Series, grad: Series | None, per_epoch: bool,
                  val: Series | None = None) -> Finding | None:
    """``loss.non_finite_without_blowup``: whether the loss went NaN/inf in one step from its
    usual level; unknown when the log cannot tell (too short a finite prefix, one row per
    epoch, or rows too far apart to see a climb); ``None`` when the loss never was NaN/inf.
    A validation loss that grew orders of magnitude by the first NaN/inf training row is a
    climb too, however far apart the rows."""
    values = loss.values
    if (bad := _first_bad(values)) is None:
        return None
    word = _word(values, bad)
    prefix = values[:bad]
    if prefix.size >= 2 and prefix[0] > 0 and prefix[-1] >= EPOCH_CLIMB * prefix[0]:
        # orders of magnitude up before the first NaN/inf: a climb, however far apart the rows
        return Finding("loss.non_finite_without_blowup", False,
                       say("loss.climbed_to_bad", value=float(prefix[-1]),
                           ratio=Times(float(prefix[-1] / prefix[0])), at=at(loss, bad - 1),
                           word=word))
    if (climbed := _val_climbed(val, float(loss.steps[bad]))) is not None:
        row, ratio = climbed
        assert val is not None
        return Finding("loss.non_finite_without_blowup", False,
                       say("loss.val_climbed_to_bad", value=float(val.values[row]),
                           ratio=Times(ratio), at=at(val, row), column=val.column,
                           word=word, bad=at(loss, bad)))
    if per_epoch:
        return Finding("loss.non_finite_without_blowup", UNKNOWN,
                       say("loss.onset_per_epoch", word=word))
    if prefix.size < MIN_PREFIX:
        return Finding("loss.non_finite_without_blowup", UNKNOWN,
                       say("loss.onset_short", n=int(prefix.size), word=word))
    gap = float(loss.steps[bad] - loss.steps[bad - 1])
    if not 0 < gap <= MAX_GAP_STEPS:
        return Finding("loss.non_finite_without_blowup", UNKNOWN,
                       say("loss.onset_sparse", gap=gap, word=word))
    last, usual = float(prefix[-1]), float(np.median(np.abs(prefix)))
    # a loss at exactly 0 until then has not climbed either (the log(0) pattern)
    ratio = abs(last) / usual if usual > 0 else (1.0 if last == 0 else float("inf"))
    if ratio > USUAL_LEVEL:
        return Finding("loss.non_finite_without_blowup", False,
                       say("loss.climbed_to_bad", value=last, ratio=Times(ratio),
                           at=at(loss, bad - 1), word=word))
    grown = _grad_grew(grad, float(loss.steps[bad - 1]))
    if grown is not None:
        norm, ratio = grown
        return Finding("loss.non_finite_without_blowup", False,
                       say("loss.grad_climbed_to_bad", norm=norm, ratio=Times(ratio), word=word))
    return Finding("loss.non_finite_without_blowup", True,
                   say("loss.usual_then_bad", value=last, ratio=Times(ratio),
                       at=at(loss, bad - 1), word=word))


def _val_climbed(val: Series | None, step: float) -> tuple[int, float] | None:
    """The row of the last finite validation loss logged by ``step`` and its multiple of the
    first, when that is :data:`EPOCH_CLIMB` or more (a set 324 autoencoder at too high a
    rate: validation 0.57 → 5.2e12 the epoch before its training loss was NaN); else None."""
    if val is None:
        return None
    rows = np.flatnonzero((val.steps <= step) & np.isfinite(val.values))
    if rows.size < 2 or not float(val.values[rows[0]]) > 0:
        return None
    ratio = float(val.values[rows[-1]] / val.values[rows[0]])
    return (int(rows[-1]), ratio) if ratio >= EPOCH_CLIMB else None


def _grad_grew(grad: Series | None, step: float) -> tuple[float, float] | None:
    """The logged gradient norm at ``step`` and its multiple of the earlier median, when it
    is not finite or above :data:`USUAL_LEVEL` times that median; ``None`` when it stayed
    usual or was not logged there."""
    if grad is None:
        return None
    here = np.flatnonzero(grad.steps == step)
    if not here.size:
        return None
    i = int(here[0])
    norm, before = float(grad.values[i]), grad.values[:i]
    before = before[np.isfinite(before)]
    if not np.isfinite(norm):
        return norm, float("inf")
    if before.size < MIN_PREFIX - 1:
        return None
    usual = float(np.median(np.abs(before)))
    if usual > 0 and norm > USUAL_LEVEL * usual:
        return norm, norm / usual
    return None


#: Finite logged points before the first NaN/inf needed to call the stretch before it steady …
STEADY_PREFIX = 8
#: … its last STEADY_LAST within this factor of their median, the very last at most
#: STEADY_END times it, and none of the last STEADY_WINDOW above STEADY_PEAK times it.
STEADY_LAST, STEADY_FACTOR, STEADY_END = 5, 1.5, 1.3
STEADY_WINDOW, STEADY_PEAK = 10, 2.0
#: Fewer finite points than STEADY_PREFIX, but at least this many, count as steady when the
#: loss fell at every one of them.
FALLING_PREFIX = 3


def _val_fell_before(val: Series | None, step: float) -> bool:
    """The validation loss was evaluated at least twice before ``step``, all finite and
    positive, and fell at every evaluation."""
    if val is None:
        return False
    before = val.values[val.steps < step]
    return before.size >= 2 and bool(np.all(np.isfinite(before))) and \
        float(np.min(before)) > 0 and bool(np.all(np.diff(before) < 0))


def steady_finding(loss: Series, per_epoch: bool, val: Series | None = None
                   ) -> Finding | None:
    """``loss.steady_before_non_finite``: with rows too far apart to see the last update
    before the first NaN/inf, whether the logged loss sat steady right up to it — no climb,
    no swing, no spike over its last points. A rate too high or an explosion usually shows
    for many steps before float32 overflows; a loss steady at its level that is NaN at the
    next log points at one batch hitting a log or a division. ``None`` when the loss never
    went NaN/inf, or the rows are dense enough for ``loss.non_finite_without_blowup``."""
    values = loss.values
    if (bad := _first_bad(values)) is None or bad < 1:
        return None
    prefix = values[:bad]
    word = _word(values, bad)
    if per_epoch:
        # whole-epoch means: only a fall at every epoch up to the break says no climb came;
        # two epochs do when the validation loss fell at each evaluation before it too (set
        # 327's FTIR MLP: 0.56 → 0.39, validation 0.49 → 0.33, NaN in the third epoch)
        enough = FALLING_PREFIX if not _val_fell_before(val, float(loss.steps[bad])) else 2
        if prefix.size >= enough and float(np.min(prefix)) > 0 and \
                bool(np.all(np.diff(prefix[-STEADY_LAST:]) < 0)):
            return Finding("loss.steady_before_non_finite", True,
                           say("loss.falling_epochs_then_bad", n=int(prefix.size),
                               a=float(prefix[0]), b=float(prefix[-1]), at=at(loss, bad),
                               word=word))
        return None
    if 0 < float(loss.steps[bad] - loss.steps[bad - 1]) <= MAX_GAP_STEPS:
        return None
    if FALLING_PREFIX <= prefix.size < STEADY_PREFIX and float(np.min(prefix)) > 0 and \
            bool(np.all(np.diff(prefix) < 0)):
        # a short log that fell at every point right up to the break: no climb, no swing
        return Finding("loss.steady_before_non_finite", True,
                       say("loss.falling_then_bad", n=int(prefix.size), a=float(prefix[0]),
                           b=float(prefix[-1]), at=at(loss, bad), word=word))
    if prefix.size < STEADY_PREFIX or float(np.min(prefix)) <= 0:
        return None
    last = prefix[-STEADY_LAST:]
    median = float(np.median(last))
    window = prefix[-STEADY_WINDOW:]
    steady = bool(np.all(last <= STEADY_FACTOR * median) and np.all(last >= median / STEADY_FACTOR)
                  and last[-1] <= STEADY_END * median
                  and np.all(window <= STEADY_PEAK * median))
    return Finding("loss.steady_before_non_finite", steady,
                   say("loss.steady_then_bad" if steady else "loss.unsteady_then_bad",
                       n=int(last.size), low=float(last.min()), high=float(last.max()),
                       at=at(loss, bad), word=word))


#: A logged loss this many times its start (the median of its first three points) blew up.
BLOWUP = 3.0


def blowup_step_finding(loss: Series, per_epoch: bool) -> Finding | None:
    """``loss.blowup_step``: the first logged update at which the loss stood at
    :data:`BLOWUP` times its start or more, or went NaN/inf; ``None`` for a loss that never
    did, a per-epoch log (no update count), or a start at or below 0."""
    values = loss.values
    if per_epoch or values.size < 4 or not np.all(np.isfinite(values[:3])):
        return None
    start = float(np.median(values[:3]))
    if start <= 0:
        return None
    hit = np.flatnonzero(~np.isfinite(values[3:]) | (values[3:] >= BLOWUP * start))
    if not hit.size:
        return None
    i = int(hit[0]) + 3
    return Finding("loss.blowup_step", float(loss.steps[i]),
                   say("loss.blew_up_at", start=start, value=float(values[i]), at=at(loss, i),
                       times=BLOWUP))
