"""The log probe: read the metrics logs and turn the curves' shapes into facts."""

from __future__ import annotations

import math
import re

import numpy as np

from dldoctor.engine.values import UNKNOWN
from dldoctor.error_texts import ErrorText, err
from dldoctor.errors import InputError, ProbeError
from dldoctor.numbers import num

from . import curves
from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, Said, Times, at, say
from .grad_accumulation import accumulation_finding
from .grad_first import first_norm_finding
from .layer_grads import layer_grad_findings
from .logs import Metrics, Series, column_kind, physical_unit, read_logs
from .loss_levels import one_class_levels
from .nan_onset import BLOWUP, blowup_step_finding, onset_finding, steady_finding
from .prior_cost import shares_entropy, val_at_prior_finding
from .settled_swings import swings_once_fitted

__all__ = ["probe_curves", "curve_findings", "tail_level", "accuracy_fractions",
           "IDENTICAL_ACCURACY"]

#: Train and validation loss within this fraction of each other count as "close".
CLOSE_FRACTION = 0.10
#: A final training loss above this share of the initial one counts as "still high".
HIGH_FRACTION = 0.5
#: A negative loss whose last quarter still adds this share of its whole fall runs off …
UNBOUNDED_LATE_SHARE = 0.10
#: … when it has also grown this many times its start in size (a KL divergence fed
#: probabilities falls slowly too, but stays within about −1 − ln C) …
UNBOUNDED_GROWTH = 3.0
#: … or, not slowing at all (its last quarter adds this share: a straight line runs off a
#: quarter to a third), when it has grown this many times its start.
STEADY_LATE_SHARE = 0.25
STEADY_GROWTH = 2.0
#: … and one whose last quarter adds at most this share has settled.
SETTLED_LATE_SHARE = 0.03
#: ln(1 + 1/e): the least cross-entropy or BCE-with-logits can reach on inputs in [0, 1].
LOGIT_LOSS_FLOOR = float(np.log1p(np.exp(-1.0)))
#: This many loss spikes make a pattern rather than an incident.
REPEATED_SPIKES = 3
#: Learning rate ending below this share of its start counts as decayed.
LR_DECAY_FRACTION = 0.9
#: A learning rate below this share of its peak no longer trains.
LR_VANISHED_FRACTION = 1e-4
#: A VAE's KL term (nats, per sample or per latent) ending below this has collapsed onto the
#: prior: the latent code tells the decoder almost nothing (healthy VAEs keep several nats).
KL_COLLAPSED = 0.01
#: Validation loss at least this multiple of the training loss at the first evaluation …
VAL_GAP_FIRST = 1.5
#: … and above this multiple at every later one: a gap from the start.
VAL_GAP_KEPT = 1.2
#: … unless the validation loss then fell by this share of its first value at least, and by
#: as large a share as the training loss over the same evaluations: it learnt what training
#: taught (the first evaluation came early), and a gap that opens later is another matter.
VAL_GAP_CLOSING_FALL = 0.3
#: A validation loss this many times the training loss at every evaluation kept its gap
#: however much it fell (a season held out: 5.5× at the first, 3.0× at the closest)
VAL_GAP_HELD = 2.5
#: For a loss that crosses 0: validation above training by this many training-loss scales
#: (the range it travelled) at the first evaluation …
VAL_GAP_SCALES_FIRST = 2.0
#: … and by at least this many at every later one.
VAL_GAP_SCALES_KEPT = 1.0
#: Final validation accuracy up to this much above 1/C (C classes) counts as chance level.
CHANCE_MARGIN = 0.05
#: Accuracy varying less than this over the run counts as flat.
FLAT_ACCURACY = 0.03
#: A training loss that falls by at least this share should move the validation accuracy.
METRIC_LOSS_DROP = 1 / 3
#: A flat accuracy is a failure only this close to chance (1/C) …
NEAR_CHANCE = 0.25
#: … and with at least this much room left below 1.
ACCURACY_ROOM = 0.1
#: The same accuracy (to this precision) at every evaluation means constant predictions.
IDENTICAL_ACCURACY = 1e-6
#: A classifier's loss at its first step this many times ln C is far above an untrained
#: model's (near-uniform outputs give ln C; healthy runs measure 0.9–1.2× ln C).
INITIAL_LOSS_HIGH = 2.0
#: The first logged loss is the untrained model's only when logged at this step or before.
INITIAL_STEP = 1
#: A first logged loss that is no first step's says the start was huge at this many times ln C.
FIRST_ROW_HUGE = 10.0
#: A first loss within this share of 2^k × ln C (2^k >= 8) is a sum over a batch.
SUMMED_TOLERANCE = 0.03


def _loss_findings(loss: Series) -> list[Finding]:
    values = loss.values
    found: list[Finding] = []
    bad = curves.first_non_finite(values)
    zero_then_bad = bad is not None and bad > 0 and 0 <= values[bad - 1] < curves.NEAR_ZERO
    first_value = values[0]
    finite = values[np.isfinite(values)]
    if finite.size:  # the value is the start's level: say so, and what was logged first
        start = curves.level(finite, True)
        found.append(Finding("loss.initial", float(start),
                             say("loss.start_level", level=float(start),
                                 k=min(finite.size, curves.start_window(finite.size)),
                                 value=float(first_value), at=at(loss, 0))))
    else:
        found.append(Finding("loss.initial", UNKNOWN,
                             say("loss.first", value=float(first_value), at=at(loss, 0))))
    if bad is None:
        found.append(Finding("loss.non_finite", False, say("loss.all_finite", n=values.size)))
    else:
        word = "NaN" if np.isnan(values[bad]) else "inf"
        found += [
            Finding("loss.non_finite", True, say("loss.became", word=word, at=at(loss, bad))),
            _non_finite_step(loss, bad, word),
            *([Finding("loss.finite_epochs_before_non_finite", float(bad),
                       say("loss.finite_epochs_before", n=int(bad), word=word,
                           at=at(loss, bad)))] if _per_epoch(loss) else []),
            _non_finite_at_start(loss, bad, word),
            Finding("loss.non_finite_before_end", bad < values.size - 1,
                    say("loss.bad_rows_after", n=int(values.size - 1 - bad), word=word)
                    if bad < values.size - 1 else say("loss.bad_last_row", word=word)),
            Finding("loss.first_non_finite_is_inf", word == "inf",
                    say("loss.first_bad_kind", word=word, at=at(loss, bad))),
        ]
        if bad == 0 and values.size >= NEVER_FINITE_ROWS and not np.isfinite(values).any():
            found.append(Finding("loss.never_finite", True,
                                 say("loss.never_finite", word=word, n=values.size)))
        after = values[bad + 1:]
        recovers = after.size >= 2 and bool(np.isfinite(after[-1])) and \
            int(np.isfinite(after).sum()) >= 2
        found.append(Finding("loss.non_finite_recovers", recovers,
                             say("loss.nan_recovers" if recovers else "loss.nan_stays",
                                 word=word, bad=int((~np.isfinite(values)).sum()),
                                 n=values.size)))
        if zero_then_bad:  # a loss at ~0 that turns NaN: a probability saturated, a log hit 0
            found.append(Finding("loss.near_zero", True,
                                 say("loss.zero_then_bad", value=float(values[bad - 1]),
                                     at=at(loss, bad - 1), word=word)))
    negative = np.flatnonzero(np.isfinite(values) & (values < -1e-6))
    found.append(Finding("loss.negative", bool(negative.size),
                         say("loss.negative", value=float(values[negative[0]]),
                             at=at(loss, int(negative[0])))
                         if negative.size else say("loss.never_negative")))
    if negative.size and (unbounded := _unbounded_below(values, bad)) is not None:
        found.append(unbounded)
    if negative.size and (early := _negative_only_early(values, negative)) is not None:
        found.append(early)
    if negative.size and (signed := _changes_sign(values)) is not None:
        found.append(signed)
    if negative.size and (cosine := _cosine_bounded(values)) is not None:
        found.append(cosine)
    shape = curves.classify_shape(values)
    if shape is None:  # too short for a shape; whether it repeats each epoch is still said
        return found + _short_fall(values) + [_periodic(loss)]
    a, b = shape.initial, shape.final
    shape_facts = [
        Finding("loss.diverged", shape.diverged,
                say("loss.initial_not_positive") if a <= 0 else
                say("loss.peaks", peak=float(shape.peak), ratio=Times(shape.peak / a),
                    initial=float(a)) if shape.peak > a else
                say("loss.no_peak", peak=float(shape.peak), initial=float(a))),
        Finding("loss.rising", shape.rising, say("loss.level", a=float(a), b=float(b))),
        Finding("loss.plateau", shape.plateau, _plateau_words(shape)),
        Finding("loss.linear_decline", shape.linear,
                say("loss.linear", ratio=Times(shape.early_late_ratio), r2=float(shape.r2))
                if math.isfinite(shape.early_late_ratio) and shape.early_late_ratio > 0 else
                say("loss.halves_uneven", r2=float(shape.r2))),
        Finding("loss.oscillating", shape.oscillating,
                say("loss.scatter_range" if shape.noise_of_range else "loss.scatter",
                    share=Pct(shape.noise))),
        Finding("loss.falling_at_end", shape.falling_at_end,
                say("loss.end_share", share=Pct(shape.end_share))
                if math.isfinite(shape.end_share) else _plateau_words(shape)),
    ]
    if a > 0 and b >= 0:
        shape_facts.append(Finding("loss.drop_share", 1 - b / a,
                                   say("loss.drop_share", a=float(a), b=float(b),
                                       share=Pct(1 - b / a))))
    if bad is not None:  # a short finite prefix says nothing about the long-run shape,
        # but a loss that climbed before its NaN was neither flat nor slowly falling
        kept = ("loss.diverged", "loss.rising") + (
            ("loss.plateau", "loss.linear_decline", "loss.falling_at_end") if shape.rising else
            ("loss.plateau",) if shape.diverged and not shape.plateau else ())
        shape_facts = [f for f in shape_facts if f.fact in kept]
    found += shape_facts
    if zero_then_bad:
        return found + [_periodic(loss)]
    near = np.flatnonzero(np.isfinite(values) & (np.abs(values) < curves.NEAR_ZERO))
    quick = bool(near.size and b < curves.NEAR_ZERO and near[0] <= max(100, values.size // 3))
    found.append(Finding("loss.near_zero", quick,
                         say("loss.below", limit=curves.NEAR_ZERO, at=at(loss, int(near[0])))
                         if quick else say("loss.ends", value=float(b))))
    found.append(periodic := _periodic(loss))
    return _levels_by_epoch(loss, found, periodic)


def _levels_by_epoch(loss: Series, found: list[Finding], periodic: Finding) -> list[Finding]:
    """A loss that repeats one shape each epoch is compared epoch by epoch: its first points
    are one phase of that shape, and a peak above them says nothing of its level. When its
    epoch means do not climb (the last at or under the first), a climb or blow-up read from
    its points is the epoch's shape: ``loss.diverged`` and ``loss.rising`` are false (set
    237's snooker LSTM, chunks in time order: 13× its first points within every epoch, epoch
    means 0.033 → 0.013)."""
    if periodic.value is not True:
        return found
    means = _epoch_means(loss)
    if len(means) < 2 or not means[-1] <= means[0]:
        return found
    words = say("loss.epoch_means_fall", n=len(means), first=means[0], last=means[-1])
    return [Finding(f.fact, False, words) if f.fact in ("loss.diverged", "loss.rising")
            and f.value is True else f for f in found]


def _epoch_means(loss: Series) -> list[float]:
    """The mean finite loss of each epoch, in order (by the epoch column, or by the spans
    evaluations mark); empty when neither is known."""
    values = loss.values
    if loss.epochs is not None:
        epochs = [e for e in dict.fromkeys(loss.epochs.tolist()) if math.isfinite(e)]
        spans = [values[loss.epochs == e] for e in epochs]
    elif loss.eval_period:
        k = loss.eval_period
        spans = [values[i:i + k] for i in range(0, values.size - k + 1, k)]
    else:
        return []
    return [float(np.mean(v[np.isfinite(v)])) for v in spans if np.isfinite(v).any()]


#: A log this short (too short for the curve's shape) still shows a loss that only fell.
SHORT_FALL_POINTS = 3


def _short_fall(values: np.ndarray) -> list[Finding]:
    """A log too short to classify (a few epochs) whose loss, all finite and positive, never
    rises above its first value and ends below it: it neither diverged nor climbed, whatever
    the length (the shape's divergence is a peak far above the start); and whether its last
    point still fell fast (:data:`SHORT_STILL_FALLING`), from two points on."""
    if values.size < 2 or not np.all(np.isfinite(values)) or values[0] <= 0 or \
            float(values.max()) > float(values[0]) or float(values[-1]) >= float(values[0]):
        return []
    last_fall = 1.0 - float(values[-1]) / float(values[-2])
    still = last_fall >= SHORT_STILL_FALLING
    found = [Finding("loss.short_log_still_falling", still,
                     say("loss.short_still_falling" if still else "loss.short_levelled",
                         n=int(values.size), share=Pct(last_fall),
                         limit=Pct(SHORT_STILL_FALLING)))]
    if values.size <= SHORT_FALL_POINTS + 1:
        # a loss that fell less than that in all: the run stopped before its curve began,
        # not once it had levelled off (two epochs of a CNN: 1.39 -> 1.36 against ln 4)
        total = 1.0 - float(values[-1]) / float(values[0])
        found.append(Finding("loss.short_log_unmoved", total < SHORT_STILL_FALLING,
                             say("loss.short_unmoved", n=int(values.size), share=Pct(total),
                                 first=float(values[0]), last=float(values[-1]),
                                 limit=Pct(SHORT_STILL_FALLING))))
    if values.size < SHORT_FALL_POINTS:
        return found
    words = say("loss.short_only_falls", n=int(values.size), first=float(values[0]),
                last=float(values[-1]))
    return [Finding("loss.diverged", False, words), Finding("loss.rising", False, words), *found]


#: A log too short for a shape whose last point is this share or more below the one before
#: stopped while the loss was still falling fast.
SHORT_STILL_FALLING = 0.1


#: A training loss that is not a number at this many logged points, every one from the
#: first, never was one.
NEVER_FINITE_ROWS = 3


def _non_finite_at_start(loss: Series, bad: int, word: str) -> Finding:
    """Whether the loss was NaN/inf from the first step. A log with one row per epoch cannot
    tell: its first value sums up a whole epoch, which may have gone NaN at any step; nor can
    one whose first row is a later step (logged every 8 steps: it may have blown up in 8)."""
    if bad != 0:
        return Finding("loss.non_finite_at_start", False, say("loss.finite_prefix", n=int(bad)))
    if _per_epoch(loss):
        return Finding("loss.non_finite_at_start", UNKNOWN, say("loss.bad_first_epoch", word=word))
    if float(loss.steps[0]) > INITIAL_STEP:
        return Finding("loss.non_finite_at_start", UNKNOWN,
                       say("loss.bad_first_logged", word=word, at=at(loss, 0)))
    return Finding("loss.non_finite_at_start", True, say("loss.bad_at_start", word=word))


def _non_finite_step(loss: Series, bad: int, word: str) -> Finding:
    """``loss.non_finite_step``: the update at which the loss first went NaN/inf. A log with one
    row per epoch and no step column (or one that repeats the epoch) counts epochs, not
    updates: the update is unknown."""
    if _per_epoch(loss) and loss.epochs is not None and \
            (np.array_equal(loss.steps, loss.epochs[:loss.steps.size])
             or (loss.rows is not None
                 and np.array_equal(loss.steps, np.asarray(loss.rows, dtype=float) - 1.0))):
        # the steps are the epochs, or the rows' numbers where the log has no step column
        return Finding("loss.non_finite_step", UNKNOWN,
                       say("loss.became_in_epoch", word=word, at=at(loss, bad)))
    return Finding("loss.non_finite_step", float(loss.steps[bad]),
                   say("loss.became", word=word, at=at(loss, bad)))


def _per_epoch(loss: Series) -> bool:
    """Whether the log has one row per epoch: each value sums up a whole epoch. Fractional
    epochs (the HF Trainer logs 0.2, 0.4 … every few steps) are per-step rows."""
    epochs = loss.epochs
    if epochs is None or epochs.size < 2:
        return False
    finite = epochs[np.isfinite(epochs)]
    return np.unique(finite).size == epochs.size and bool(np.all(finite == np.round(finite)))


#: A first logged row this many steps or more into the run, …
FIRST_ROW_STEP = 10


def _first_row_after_a_stretch(loss: Series) -> bool:
    """Whether the log's first row comes :data:`FIRST_ROW_STEP` or more steps into the run and
    at least half the rows' usual spacing from its start (logged every 100 steps, the first at
    step 100): like an epoch's row, it was written after a stretch that began untrained (set
    277's drilling-fluid MLP: 1.87 at step 100, 0.25 at step 200)."""
    steps = loss.steps[np.isfinite(loss.steps)]
    if steps.size < 3 or steps[0] < FIRST_ROW_STEP:
        return False
    return bool(steps[0] >= 0.5 * float(np.median(np.diff(steps))))


def _initial_loss_vs_chance(loss: Series, classes: int) -> list[Finding]:
    """``loss.initial_too_high`` and ``loss.initial_over_chance``: the loss at the first step
    against ln C, an untrained C-class classifier's (near-uniform outputs). Unknown when the
    first logged value is not the first step's (a later step, or a whole epoch's average),
    and when it is a power of two times ln C: a loss summed over a batch, not large logits."""
    chance = math.log(classes)
    first = float(loss.values[0])
    per_epoch = _per_epoch(loss)
    ratio = first / chance if math.isfinite(first) else math.nan
    if per_epoch or float(loss.steps[0]) > INITIAL_STEP or not math.isfinite(first):
        if _first_row_huge(loss, ratio):
            words = say("loss.first_row_huge", value=first, at=at(loss, 0), ratio=Times(ratio),
                        k=classes, chance=chance,
                        what=say("loss.first_row_what_epoch" if per_epoch
                                 else "loss.first_row_what_step"))
            details = {"first_logged": first, "chance_loss": chance, "classes": classes}
            return [Finding("loss.initial_too_high", True, words, details),
                    Finding("loss.initial_over_chance", ratio, words, details)]
        words = say("loss.first_epoch_mean" if per_epoch else "loss.first_not_initial",
                    at=at(loss, 0))
        return [Finding("loss.initial_too_high", UNKNOWN, words),
                Finding("loss.initial_over_chance", UNKNOWN, words)]
    summed = _summed_over(ratio)
    if summed is not None:
        words = say("loss.initial_summed", value=first, at=at(loss, 0), k=classes,
                    chance=chance, n=summed)
        return [Finding("loss.initial_too_high", UNKNOWN, words),
                Finding("loss.initial_over_chance", UNKNOWN, words)]
    words = say("loss.initial_vs_chance", value=first, at=at(loss, 0), k=classes,
                chance=chance, ratio=Times(ratio))
    details = {"initial": first, "chance_loss": chance, "classes": classes}
    return [Finding("loss.initial_too_high", ratio > INITIAL_LOSS_HIGH, words, details),
            Finding("loss.initial_over_chance", ratio, words, details)]


def _first_row_huge(loss: Series, ratio: float) -> bool:
    """A first logged loss that is no first step's (an epoch's mean, a later step) yet already
    :data:`FIRST_ROW_HUGE` times ln C or more, and the loss falls after it: the logits were
    that large from the start (a blow-up that came later would not sit in the first row, and
    a run that diverged would not fall back). Not a loss summed over a batch — unless the
    first row is an epoch's mean and the next one is under half of it: a sum that sat at a
    uniform guess's n ln C for a whole epoch came from a model that learnt nothing in it,
    which does not lose half its loss in the next (4799 = 2084 ln 10 is no batch of 2048)."""
    later = loss.values[1:][np.isfinite(loss.values[1:])]
    if not math.isfinite(ratio) or ratio < FIRST_ROW_HUGE or later.size < 2:
        return False
    first, second = float(loss.values[0]), float(loss.values[1])
    if _summed_over(ratio) is not None and not (_per_epoch(loss) and second < first / 2):
        return False
    return float(np.median(later[-3:])) < first / 4


def _summed_over(ratio: float) -> int | None:
    """The batch size n when ``ratio`` is within 3 % of a power of two n >= 8: ln C summed
    over n samples (``reduction="sum"``) rather than their mean."""
    if ratio < 8 * (1 - SUMMED_TOLERANCE):
        return None
    n = 2 ** round(math.log2(ratio))
    return n if abs(ratio / n - 1) <= SUMMED_TOLERANCE else None


#: A loss frozen within this share of its start over the run …
UNIFORM_FROZEN = 0.02
#: … at ln n, n within this share of a whole number …
UNIFORM_WHOLE = 0.01
#: … of at least this many things, reads as a uniform guess over them (a loss above
#: ln 10⁸ is blown up, not a count).
UNIFORM_LEAST = 8
UNIFORM_HIGHEST = 18.5
#: A log of fewer than 10 points (one row per epoch) reads as a uniform guess only from 5
#: points on, frozen within this share and this close to ln n (a loss equal to four
#: decimals every epoch is a count, not a slow rate).
UNIFORM_SHORT_LEAST = 5
UNIFORM_SHORT_TOLERANCE = 0.002


def _uniform_over_another_axis(loss: Series, classes: int) -> Finding | None:
    """``loss.uniform_over_n``: the n ≥ 8 whose ln the whole run's loss sits on when that n is
    not the model's C classes nor a power of it (a log-softmax over the 128 positions of a
    (B, 128, 4) tensor pays ln 128 = 4.852 whatever the model does); 0 when the loss moves
    or sits elsewhere; None for a log under 5 points, or under 10 that does not sit there to
    :data:`UNIFORM_SHORT_TOLERANCE`."""
    finite = loss.values[np.isfinite(loss.values)]
    if finite.size < UNIFORM_SHORT_LEAST or classes < 2 or (finite <= 0).any():
        return None
    short = finite.size < 10
    end = tail_level(finite)
    start = float(np.median(finite[:3]))
    if end > UNIFORM_HIGHEST:
        return None
    moved = abs(start - end) / end
    n = round(math.exp(end))
    powers = {classes ** k for k in range(1, 8)}
    frozen, near = ((UNIFORM_SHORT_TOLERANCE, UNIFORM_SHORT_TOLERANCE) if short
                    else (UNIFORM_FROZEN, UNIFORM_WHOLE))
    whole = abs(math.exp(end) / max(n, 1) - 1) <= near
    if moved > frozen or not whole or n < UNIFORM_LEAST or n in powers:
        if short:
            return None
        return Finding("loss.uniform_over_n", 0.0,
                       say("loss.not_uniform_over_n", a=start, b=end, k=classes))
    return Finding("loss.uniform_over_n", float(n),
                   say("loss.uniform_over_n", a=start, b=end, n=n, ln=math.log(n), k=classes,
                       chance=math.log(classes)))


def tail_level(finite: np.ndarray) -> float:
    """Where a finite loss curve ends: the median of its last tenth (at least 3 points)."""
    return float(np.median(finite[-max(3, finite.size // 10):]))


def _softmax_floor(classes: int) -> float:
    """ln(1 + (C − 1)/e): the least a cross-entropy over C classes reaches when fed values in
    [0, 1] as logits."""
    return float(np.log1p((classes - 1) / np.e))


def _logit_loss_floor(values: np.ndarray, single_label: int | None = None) -> Finding | None:
    """Whether the training loss goes below the least a cross-entropy (or BCE-with-logits)
    can reach when fed probabilities as logits — ln(1 + (C − 1)/e) for C single-label
    classes, ln(1 + 1/e) per output otherwise — at the end, or over a whole stretch of the
    run (a median of a tenth of its steps: one low minibatch is not enough; a loss that later
    blows up was below it all the same); None when unclear."""
    finite = values[np.isfinite(values)]
    if finite.size < 10 or (finite < 0).any():
        return None
    classes = single_label if single_label and single_label > 2 else 2
    floor = _softmax_floor(classes)
    width = max(3, finite.size // 10)
    tail = float(np.median(finite[-width:]))
    low = min(float(np.median(finite[i:i + width])) for i in range(0, finite.size, width))
    if min(low, tail) < floor * 0.9:
        # with the classes unknown the floor is two classes', the lowest of any count: said as
        # such, not as a count (a new user's four-class run read "over 2 classes")
        return Finding("loss.below_logit_loss_floor", True,
                       say("loss.below_floor" if single_label and single_label > 2
                           else "loss.below_floor_any", value=min(low, tail), floor=floor,
                           k=classes))
    if min(low, tail) > floor * 1.05:
        return Finding("loss.below_logit_loss_floor", False,
                       say("loss.above_floor" if single_label and single_label > 2
                           else "loss.above_floor_any", value=min(low, tail), floor=floor,
                           k=classes))
    return None


#: The loss "rests on" the floor of a cross-entropy fed probabilities when its end level lies
#: at most this share above it (and not below it: probabilities cannot go under) …
FLOOR_MATCH = 0.03
#: … numerical slack below the floor …
FLOOR_SLACK = 0.005
#: … plus, per mistake, at most 1 more (a wrong sample's true probability can fall to 0, which
#: costs ln(e + C − 1) = 1 + the floor). The floor says something only where a calibrated
#: classifier of the logged accuracy would end well below it: its loss is at most Fano's
#: h(a) + (1 − a)·ln(C − 1), and that must lie under this share of the floor.
FLOOR_FANO_SHARE = 0.75
#: The fewest logged losses the floor is judged on.
FLOOR_POINTS = 5


def _fano_loss(accuracy: float, classes: int) -> float:
    """h(a) + (1 − a)·ln(C − 1): the largest cross-entropy of a calibrated classifier over C
    classes that is right on a share ``accuracy`` of the samples (Fano's bound)."""
    a = min(max(accuracy, 0.0), 1.0)
    miss = 1.0 - a
    h = -sum(x * math.log(x) for x in (a, miss) if x > 0)
    return h + miss * math.log(classes - 1)


def _values(series: Series | None) -> np.ndarray | None:
    return None if series is None else series.values


def _rests_on_floor(loss: np.ndarray, acc: Series | None, classes: int | None,
                    val_loss: np.ndarray | None = None) -> Finding | None:
    """``loss.rests_on_softmax_floor``: the training loss ends on ln(1 + (C − 1)/e) (not below
    it; above it by at most 3 % plus one nat per mistake) for the checkpoint's C ≥ 3 output
    classes, while the accuracy is high enough that a calibrated classifier would end well
    below that floor — probabilities fed to a cross-entropy that applies its own softmax;
    None when unclear."""
    finite = loss[np.isfinite(loss)]
    values = accuracy_fractions(acc) if acc is not None else None
    # five points will do: the band the end must fall in is a few per cent wide, and a
    # per-epoch log's points are whole-epoch means
    if not classes or classes < 3 or finite.size < FLOOR_POINTS or values is None or \
            values.size < 3:
        return None
    floor = _softmax_floor(classes)
    end = tail_level(finite)
    accuracy = float(np.median(values[-3:]))
    logged = np.concatenate([finite, val_loss[np.isfinite(val_loss)]]) \
        if val_loss is not None else finite
    lowest = float(logged.min())
    if lowest < floor * (1 - FLOOR_SLACK):
        # a loss on probabilities goes below it on no data: the curve passes through
        return Finding("loss.rests_on_softmax_floor", False,
                       say("loss.below_floor_once", value=lowest, floor=floor, k=classes))
    if _fano_loss(accuracy, classes) > FLOOR_FANO_SHARE * floor:
        return None
    def on_floor(level: float) -> bool:
        return -FLOOR_SLACK <= level / floor - 1 <= FLOOR_MATCH + (1 - accuracy) / floor

    rests = on_floor(end)
    held = val_loss[np.isfinite(val_loss)] if val_loss is not None else np.empty(0)
    if not rests and held.size >= 3 and on_floor(val_end := tail_level(held)):
        # the validation loss runs in eval mode: no dropout lifts it off the floor
        return Finding("loss.rests_on_softmax_floor", True,
                       say("loss.val_rests_on_floor", value=val_end, floor=floor, k=classes,
                           acc=accuracy, train=end))
    return Finding("loss.rests_on_softmax_floor", rests,
                   say("loss.rests_on_floor" if rests else "loss.off_floor", value=end,
                       floor=floor, k=classes, acc=accuracy))


#: A first logged loss within this share of ln C for a whole C ≥ 3 is read as an untrained
#: C-class classifier's — when it is logged within the first :data:`GUESS_START_STEPS`.
GUESS_START_MATCH = 0.05
GUESS_START_STEPS = 20


def _rests_on_floor_of_its_start(loss: Series, acc: Series | None,
                                 val_loss: np.ndarray | None) -> Finding | None:
    """``loss.rests_on_softmax_floor`` true for a log with no class count beside it: its first
    loss, logged within the first steps, is ln C of an untrained C-class classifier (e^loss
    within 5 % of a whole C ≥ 3), and it then rests on that C's floor ln(1 + (C − 1)/e) while
    the accuracy is high — two readings of one C that chance seldom lines up. Nothing when
    either does not hold (an assumed C says nothing against)."""
    finite = np.isfinite(loss.values)
    start = int(np.argmax(finite))  # the first finite loss
    if not finite.any() or float(loss.steps[start]) > GUESS_START_STEPS:
        return None
    first = float(loss.values[start])
    if not 0.0 < first < 10.0:
        return None
    guess = math.exp(first)
    classes = round(guess)
    if classes < 3 or abs(guess - classes) > GUESS_START_MATCH * classes:
        return None
    rests = _rests_on_floor(loss.values, acc, classes, val_loss)
    if rests is None or rests.value is not True:
        return None
    return Finding("loss.rests_on_softmax_floor", True,
                   say("loss.rests_on_floor_of_its_start", reading=rests.evidence, k=classes,
                       first=first, at=at(loss, start)))


#: A training loss at or above ln C (a uniform guess's) by this factor …
ABOVE_GUESS = 1.1
#: … while the logged accuracy ends at least this high, and at least halfway from chance to 1:
#: the loss does not score what the accuracy scores. A softmax over the batch axis pays about
#: ln(batch size): a loss above ln 4096 is huge logits that are confidently wrong (a rate far
#: too high), not that.
ACCURATE = 0.7
BATCH_AXIS_MAX = math.log(4096)


def _high_while_accurate(loss: np.ndarray, acc: Series | None, classes: int | None
                         ) -> Finding | None:
    """``loss.high_while_accurate``: the training loss ends above ln C, what a classifier that
    guesses uniformly over the checkpoint's C ≥ 3 classes pays, while the accuracy ends at 0.7
    or more (and halfway from chance to 1): the loss is not a cross-entropy of the predictions
    the accuracy counts (a log-softmax over the batch axis normalises across samples); None
    when unclear."""
    finite = loss[np.isfinite(loss)]
    values = accuracy_fractions(acc) if acc is not None else None
    if not classes or classes < 3 or finite.size < 5 or values is None or values.size < 3:
        return None
    guess = math.log(classes)
    end = tail_level(finite)
    accuracy = float(np.median(values[-3:]))
    if accuracy < max(ACCURATE, (1 + 1 / classes) / 2):
        return None
    if end > BATCH_AXIS_MAX:
        return None
    high = end >= ABOVE_GUESS * guess
    return Finding("loss.high_while_accurate", high,
                   say("loss.high_while_accurate" if high else "loss.below_guess", value=end,
                       guess=guess, k=classes, acc=accuracy))


#: The validation loss "never beat a guess" when its lowest value stays above this share of
#: ln C (numerical slack for a model that learnt nothing and sits on the class prior).
GUESS_SLACK = 0.98


def _training_end_over_a_guess(loss: Series, classes: int | None) -> Finding | None:
    """``train.loss_end_over_guess``: the training loss at its end (median of the last three
    logged points) over ln C, what a uniform guess over the checkpoint's C classes pays — near
    1 when training has taught the model little; None when unclear (no class count, fewer
    than three points, a loss below 0)."""
    finite = loss.values[np.isfinite(loss.values)]
    if not classes or classes < 2 or finite.size < 3 or (finite < 0).any():
        return None
    guess = math.log(classes)
    end = float(np.median(finite[-3:]))
    return Finding("train.loss_end_over_guess", end / guess,
                   say("train.end_over_guess", end=end, guess=guess, k=classes,
                       ratio=Times(end / guess), name=loss.column))


def _val_never_beat_a_guess(val: Series, classes: int | None) -> Finding | None:
    """``val.loss_at_chance``: the validation loss never went below ln C, what a classifier
    that guesses uniformly over the checkpoint's C classes pays, at any of three or more
    evaluations — the model never got better than a guess on held-out data; None when
    unclear (no class count, too few evaluations, a loss below 0)."""
    finite = val.values[np.isfinite(val.values)]
    if not classes or classes < 2 or finite.size < 3 or (finite < 0).any():
        return None
    guess = math.log(classes)
    lowest = float(finite.min())
    never = lowest >= GUESS_SLACK * guess
    return Finding("val.loss_at_chance", never,
                   say("val.never_beat_guess" if never else "val.beat_guess", lowest=lowest,
                       guess=guess, k=classes, n=int(finite.size), name=val.column))


#: A validation cross-entropy this far below ln C scores predictions well above chance.
FAR_BELOW_GUESS = 0.5
#: ... so an accuracy at most this many times chance cannot be the accuracy it scores.
AT_CHANCE_TIMES = 1.25
#: The validation loss "fell" when it ends at most this share of its first value.
VAL_FELL = 0.85


def _val_loss_low_at_chance(val: Series, val_acc: Series | None, classes: int | None
                            ) -> Finding | None:
    """``val.loss_low_at_chance_accuracy``: the validation loss fell to half a uniform guess's
    ln C or less while the validation accuracy stayed at chance (at most 1.25 / C, and no
    higher than at the first evaluation). A cross-entropy over the class axis that low puts
    most of the probability on the true class, which is then the argmax: the loss and the
    accuracy score different things (a softmax over another axis, a loss fed other
    tensors). None for fewer than four classes or three evaluations of each."""
    acc = accuracy_fractions(val_acc)
    finite = val.values[np.isfinite(val.values)]
    if acc is None or not classes or classes < 4 or finite.size < 3 or (finite < 0).any():
        return None
    guess = math.log(classes)
    v_first, v_end = float(finite[0]), float(np.median(finite[-3:]))
    a_first, a_end = float(acc[0]), float(np.median(acc[-3:]))
    if v_end > FAR_BELOW_GUESS * guess or v_end > VAL_FELL * v_first:
        return None
    chance = a_end <= AT_CHANCE_TIMES / classes and a_end <= a_first + 0.02
    return Finding("val.loss_low_at_chance_accuracy", bool(chance),
                   say("val.loss_low_at_chance" if chance else "val.loss_low_acc_follows",
                       name=val.column, a=v_first, b=v_end, guess=guess, k=classes,
                       acc=a_end, acc_first=a_first, chance=1.0 / classes))


#: The validation loss counts as above the class shares' cost when its lowest stays more than
#: this share of the way from that cost up to a uniform guess's ln C.
ABOVE_SHARES = 0.5


def _val_loss_above_the_shares(val: Series, found: list[Finding], classes: int | None
                               ) -> Finding | None:
    """``val.loss_above_the_shares``: the model gives every sample one class (accuracy at that
    class's share s at every evaluation), yet its validation cross-entropy never fell halfway
    from a uniform guess's ln C to what predicting the class shares costs — at most
    −s·ln s − (1 − s)·ln((1 − s)/(C − 1)). A model that learns the imbalance learns those
    shares first (its output bias alone does it) and sits at or under that cost; one still near
    ln C has learnt nothing at all (set 361's gutter CNN at a rate 2000 times too low: 0.678
    against ln 2 = 0.693 and 0.529 for a 78 % share). None unless one class is predicted,
    C is known and the loss is a cross-entropy (never below 0)."""
    one = next((f for f in found if f.fact == "val.acc_at_majority"), None)
    share = next((f.value for f in found if f.fact == "val.acc_end"), None)
    finite = val.values[np.isfinite(val.values)]
    if one is None or one.value is not True or not isinstance(share, float) or \
            not classes or classes < 2 or finite.size < 3 or (finite < 0).any() or \
            not 1.0 / classes < share < 1.0:
        return None
    guess = math.log(classes)
    rest = 1.0 - share
    prior = -share * math.log(share) - rest * math.log(rest / (classes - 1))
    lowest = float(finite.min())
    above = lowest > prior + ABOVE_SHARES * (guess - prior)
    return Finding("val.loss_above_the_shares", above,
                   say("val.loss_above_shares" if above else "val.loss_at_shares",
                       name=val.column, low=lowest, prior=prior, share=share, guess=guess,
                       k=classes))


#: The validation loss's best within this share of ln C counts as a uniform guess's.
GUESS_BAND = 0.05


def _best_was_the_first_guess(val: Series, classes: int | None) -> Finding | None:
    """``val.best_is_first_guess``: the validation loss was at its lowest at the first of
    three or more evaluations, and that lowest is a uniform guess's ln C (within 5 %): the
    model started from a guess on held-out data and only got worse (a validation set worse
    than a guess from the start, ln 4 = 1.39 against 3.97, is another matter); None when
    unclear."""
    finite = val.values[np.isfinite(val.values)]
    if not classes or classes < 2 or finite.size < 3 or (finite < 0).any():
        return None
    guess = math.log(classes)
    first, lowest = float(finite[0]), float(finite.min())
    at_guess = first <= lowest * (1 + 1e-9) and abs(first - guess) <= GUESS_BAND * guess
    return Finding("val.best_is_first_guess", at_guess,
                   say("val.best_first_guess" if at_guess else "val.best_not_first_guess",
                       first=first, lowest=lowest, guess=guess, k=classes, name=val.column))


#: A loss column named after a regression error (train_mse, val_rmse, huber_loss …): no
#: cross-entropy, so the floor a cross-entropy fed probabilities cannot pass does not apply.
def name_words(words: str) -> re.Pattern[str]:
    """A column name holding one of ``words`` (a regex alternation) as a whole word, between
    the separators metric names use (``train_mse``, ``val/nll``, ``kl-div``)."""
    return re.compile(rf"(^|[_/\-. ])({words})($|[_/\-. ])")


_REGRESSION_NAME = name_words(r"mse|mae|wmae|rmse|huber|l1|l2|smooth_l1")
#: … a negative log-likelihood of a density; … a KL divergence.
_LIKELIHOOD_NAME = name_words(r"nll|neg_?log_?(prob|lik\w*)|log_?(prob|lik\w*)|likelihood|bpd"
                              r"|bits_per_dim")
_KL_NAME = name_words(r"kl|kld|kl_div|kldiv|kl_loss")
#: … a classifier's cross-entropy (``train_logloss``, ``val_bce``): a classifier even where
#: no accuracy is logged (a click model logs its AUC).
_CROSS_ENTROPY_NAME = name_words(r"bce|logloss|log_loss|xent|ce|cross_entropy|crossentropy")


def _kl_named(loss: Series) -> Finding | None:
    """``setup.loss_kind`` = kl: the training loss column itself is named as a KL divergence
    (``train_kl``, ``kl_div``), the whole loss and not one part of it beside others."""
    if _KL_NAME.search(loss.column.lower()) is None:
        return None
    return Finding("setup.loss_kind", "kl",
                   say("loss.kl_named", column=loss.column, file=loss.source.name))


def _density_nll(loss: Series, scored: bool) -> Finding | None:
    """``loss.density_nll``: a loss column named as a negative log-likelihood in a log with no
    accuracy — a density's NLL (a Gaussian, a mixture, a flow), which goes below 0 wherever the
    density is above 1. None for other names, or when an accuracy says it is a classifier."""
    if scored or _LIKELIHOOD_NAME.search(loss.column.lower()) is None:
        return None
    return Finding("loss.density_nll", True,
                   say("loss.density_named", column=loss.column, file=loss.source.name))


def _regression_named(column: str) -> bool:
    """Whether a loss column's name says it is a regression error, not a cross-entropy."""
    return _REGRESSION_NAME.search(column.lower()) is not None


#: … a binary cross-entropy (BCE, log loss), which no logit can take below 0 while its
#: targets lie in [0, 1].
_BINARY_CE_NAME = name_words(r"bce|bce_?loss|bce_?with_?logits|binary_?cross_?entropy|"
                             r"binary_?ce|log_?loss|logloss")


#: The highest first epoch's mean a negated binary cross-entropy of a fresh model reaches:
#: −ln 2 at logits of 0, with a margin for the logits' spread at initialisation.
FLIPPED_BCE_START = -0.85 * math.log(2)


def _went_negative(loss: Series, val: Series | None = None) -> list[Finding]:
    """``loss.crossed_below_zero``: the loss starts above 0 and goes below it — for a
    cross-entropy (binary or not) on targets in its range no output can do that, so the
    targets are outside it (labels 1/2, counts), while a flipped sign would start below 0, at
    about −ln 2 for a fresh model's binary cross-entropy (a log per epoch: its first epoch's
    mean no higher); false for a loss below 0 from the start. ``loss.bce_named_negative``
    says the same of a loss the log names a binary cross-entropy (or whose validation loss
    it so names: a bare "loss" beside "val_bce" is that loss on the training data). Nothing
    for a loss that never goes negative."""
    finite = loss.values[np.isfinite(loss.values)]
    if finite.size < 3 or not (finite < 0).any():
        return []
    named = next((series.column for series in (loss, val) if series is not None
                  and _BINARY_CE_NAME.search(series.column.lower()) is not None), None)
    start, low = float(np.median(finite[:3])), float(finite.min())
    # a row per epoch is a mean over the epoch, which a loss that starts above 0 may already
    # end below: its first row is read against where a flipped sign starts instead — a
    # fresh model's logits near 0 cost ln 2 whatever the label, so a negated BCE starts near
    # −ln 2 and only falls from there
    if start <= 0 and _per_epoch(loss) and float(finite[0]) > FLIPPED_BCE_START:
        how, crossed, start = "negative_epoch", True, float(finite[0])
    elif start <= 0 < float(finite[0]):
        # the first logged loss above 0, the next below: a negated cross-entropy is never
        # above 0, not even before the first step (set 351's audit flags: 0.729 at step 0,
        # -0.637 at step 10, BCE targets of 1 and 2)
        how, crossed, start = "negative", True, float(finite[0])
    else:
        crossed = start > 0
        how = "negative" if crossed else "starts_negative"
    seen = {"column": loss.column, "start": start, "flipped": -math.log(2), "low": low}
    found = [Finding("loss.crossed_below_zero", crossed, say(f"loss.loss_{how}", **seen))]
    if named is not None:
        by = say("loss.bce_by_own_name") if named == loss.column else \
            say("loss.bce_by_val_name", val=named)
        found.append(Finding("loss.bce_named_negative", crossed,
                             say(f"loss.bce_{how}", **seen, by=by)))
    return found


#: A regression error (MSE, MAE, L1 …) that never falls below this many units: targets in
#: unit scale (standardised, or images in [0, 1] / [-1, 1]) cost at most a few units even when
#: the model predicts a constant.
REGRESSION_LEVEL_HIGH = 10.0


def _regression_level(loss: Series) -> Finding | None:
    """``loss.regression_level_high``: a loss named as a regression error that starts and
    stays at :data:`REGRESSION_LEVEL_HIGH` or more — its targets are far from unit scale (a
    loss that blew up from a low start is not this: its start is low)."""
    finite = loss.values[np.isfinite(loss.values)]
    if not _regression_named(loss.column) or finite.size < 3 or (finite < 0).any():
        return None
    low, start = float(finite.min()), float(np.median(finite[:3]))
    high = low >= REGRESSION_LEVEL_HIGH and start >= REGRESSION_LEVEL_HIGH
    return Finding("loss.regression_level_high", high,
                   say("loss.regression_level", column=loss.column, low=low,
                       limit=REGRESSION_LEVEL_HIGH))


#: A loss that broke (NaN/inf) ran off below zero when its last value was within this share of
#: its lowest — still at its low, not back up from it (a density's NLL that underflowed).
RAN_OFF_NEAR_LOW = 0.9


#: A negative loss confined to [−b, b] for b = 1 or 2 that ends within this share of −b is a
#: negative cosine similarity (SimSiam's −cos, or the sum over two views) closing in on its
#: bound, as it is meant to.
COSINE_END_SHARE = 0.5
#: … having started near 0 (within this share of the bound), where random embeddings start.
COSINE_START_SHARE = 0.25


def _cosine_bounded(values: np.ndarray) -> Finding | None:
    """``loss.cosine_bounded``: every value within [−1, 1] (or [−2, 2]), a start near 0 and
    an end in the lower half of the range below 0; None when the values leave both ranges."""
    finite = values[np.isfinite(values)]
    if finite.size < 4:
        return None
    low, high = float(finite.min()), float(finite.max())
    bound = next((b for b in (1.0, 2.0) if low >= -b * 1.001 and high <= b * 1.001), None)
    if bound is None:
        return None
    end = float(np.median(finite[-max(2, finite.size // 10):]))
    # random embeddings start at a cosine near 0; a flipped 1 − cos starts near −1 instead
    start = float(finite[0])
    near = end <= -COSINE_END_SHARE * bound and start >= -COSINE_START_SHARE * bound
    return Finding("loss.cosine_bounded", near,
                   say("loss.cosine_bounded" if near else "loss.cosine_range", low=low,
                       high=high, bound=bound, end=end))


#: Finite points before the first NaN that a loss "ran off" needs: one negative value then
#: NaN shows no fall (a flow's NLL is negative from its first step).
RAN_OFF_MIN_POINTS = 3


#: A negative loss whose whole fall is at most this share of its level stayed where it was.
FLAT_FALL = 0.02


def _unbounded_below(values: np.ndarray, bad: int | None) -> Finding | None:
    """Whether a loss that went negative keeps falling (a flipped sign) or settles (a bounded
    error such as a KL divergence fed probabilities): the share of its whole fall that the last
    quarter of the run still adds, and how far it went; None when it is in between."""
    fact = "loss.unbounded_below"
    if bad is not None and bad >= RAN_OFF_MIN_POINTS and values[bad - 1] < 0 and \
            values[bad - 1] < values[0] and \
            values[bad - 1] <= RAN_OFF_NEAR_LOW * float(np.min(values[:bad])):
        return Finding(fact, True, say("loss.ran_off", value=float(values[bad - 1])))
    finite = values[:bad] if bad is not None else values
    if finite.size < 8:
        return None
    q = finite.size // 4
    start, third, last = (float(np.median(part)) for part in
                          (finite[:q], finite[2 * q:3 * q], finite[3 * q:]))
    fall = start - last
    if last >= 0:
        return None
    if fall <= FLAT_FALL * abs(start):
        # below zero and flat, or back up from where it went (set 411's parchment GRU, a KL
        # fed probabilities: -0.84 in the first quarter, -0.78 in the last): nothing runs off
        return Finding(fact, False, say("loss.settles_flat", a=start, b=last))
    late = (third - last) / fall
    grown = abs(last) / max(abs(start), 1e-12)
    if (late >= UNBOUNDED_LATE_SHARE and grown >= UNBOUNDED_GROWTH) or \
            (late >= STEADY_LATE_SHARE and grown >= STEADY_GROWTH):
        return Finding(fact, True, say("loss.still_falling", share=Pct(late), a=start, b=last))
    if late <= SETTLED_LATE_SHARE and abs(last) < UNBOUNDED_GROWTH * abs(start):
        return Finding(fact, False, say("loss.settles", share=Pct(max(late, 0.0)), a=start,
                                        b=last))
    return None


#: A KL divergence fed probabilities over C classes is bounded below by about −1 − ln C; a
#: loss that settles this many times further down is no such KL.
KL_FLOOR_MARGIN = 1.5


def _settled_below_a_kl(found: list[Finding], loss: Series, classes: int | None
                        ) -> list[Finding]:
    """A negative loss read as settling (``loss.unbounded_below`` false) far below where a KL
    divergence fed probabilities over ``classes`` classes can settle (−1 − ln C, by
    :data:`KL_FLOOR_MARGIN`) is UNKNOWN: an objective that runs off without bound, held by a
    floor of its own — set 272's spillway CNN, a log-likelihood without its minus whose
    ``log(p + 1e-7)`` stops it at 0.42 × ln 1e-7 = −6.8, where a binary KL cannot go below
    −1.7."""
    settled = next((f for f in found if f.fact == "loss.unbounded_below"), None)
    if settled is None or settled.value is not False or not classes or classes < 2:
        return found
    values = loss.values[np.isfinite(loss.values)]
    level, floor = float(np.median(values[-max(1, values.size // 4):])), \
        -1.0 - math.log(classes)
    if level >= KL_FLOOR_MARGIN * floor:
        return found
    words = say("loss.settles_below_kl", level=level, floor=floor, k=classes)
    return [Finding(f.fact, UNKNOWN, words) if f is settled else f for f in found]


def _negative_only_early(values: np.ndarray, negative: np.ndarray) -> Finding | None:
    """``loss.negative_only_early``: a loss below zero only in the first quarter of the log
    and above zero ever after — what raw scores fed to a loss that wants log-probabilities
    (``CTCLoss``, ``NLLLoss``) can do while the outputs are small; a flipped sign keeps falling
    and a KL fed probabilities stays negative. None for fewer than 8 finite points."""
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size < 8:
        return None
    quarter = finite[finite.size // 4]
    early = bool(negative[-1] < quarter)
    return Finding("loss.negative_only_early", early,
                   say("loss.negative_early" if early else "loss.negative_late",
                       n=int(negative.size), last=int(negative[-1]) + 1, total=int(values.size)))


#: A loss "keeps changing sign" when, from the first quarter of the log on, at least this
#: share of its points lies on each side of zero …
SIGN_SIDE_SHARE = 0.25
#: … and it crosses zero at least this many times.
SIGN_CROSSINGS = 3


def _changes_sign(values: np.ndarray) -> Finding | None:
    """``loss.changes_sign``: from the first quarter of the log on, the loss lies on both
    sides of zero (a quarter of its points or more on each) and crosses it again and again —
    a difference of two terms (contrastive divergence's data minus sample energy, a critic's
    score gap) with no floor at 0; a flipped sign or a KL fed probabilities runs or stays
    below zero. None for fewer than 8 finite points."""
    finite = values[np.isfinite(values)]
    if finite.size < 8:
        return None
    rest = finite[finite.size // 4:]
    signs = np.sign(rest[np.abs(rest) > 1e-6])
    if signs.size < 6:
        return None
    below, above = float(np.mean(signs < 0)), float(np.mean(signs > 0))
    crossings = int(np.sum(signs[1:] != signs[:-1]))
    changes = min(below, above) >= SIGN_SIDE_SHARE and crossings >= SIGN_CROSSINGS
    return Finding("loss.changes_sign", changes,
                   say("loss.changes_sign" if changes else "loss.keeps_sign",
                       below=Pct(below), above=Pct(above), n=crossings))


def _plateau_words(shape: curves.Shape) -> Said:
    """Why the curve is (or is not) flat, in words that agree with the verdict."""
    a, b = shape.initial, shape.final
    drop = Pct((a - b) / max(abs(a), 1e-12))
    if not shape.plateau:
        return say("loss.fell" if b < a else "loss.level", a=float(a), b=float(b), drop=drop)
    if abs(a - b) < curves.PLATEAU_DROP * max(abs(a), 1e-12):
        if b > a:  # a rise as small as this is still no fall: say "higher", not "-0.3% lower"
            return say("loss.barely_moves_up", a=float(a), b=float(b),
                       drop=Pct((b - a) / max(abs(a), 1e-12)))
        return say("loss.barely_moves", a=float(a), b=float(b), drop=drop)
    if b > a:  # ended higher, but not clearly (:data:`curves.RISE_SIGMAS`): not "-17% lower"
        return say("loss.flat_after_start_up", a=float(a), b=float(b),
                   rise=Pct((b - a) / max(abs(a), 1e-12)))
    return say("loss.flat_after_start", a=float(a), b=float(b), drop=drop)


def _val_end_words(finite: np.ndarray) -> Said:
    """Where the validation loss ends against its minimum (it did not rise while training
    improved, but it may still have risen)."""
    if not finite.size:
        return say("val.no_finite")
    end, low = float(finite[-1]), float(finite.min())
    if end <= low + CLOSE_FRACTION * max(abs(low), 1e-12):
        return say("val.near_min", end=end, low=low)
    return say("val.rose_train_did_not_fall", end=end, low=low)


def _periodic(loss: Series) -> Finding:
    found = _periodic_reading(loss)
    if loss.epochs is None and found.value is not True:
        # evaluations every k steps mark epochs only when the loss repeats between them: k
        # may be any count of steps, and a loss that does not repeat at k says nothing
        return Finding("loss.oscillation_periodic", UNKNOWN, say("log.no_epochs"))
    return found


def _periodic_reading(loss: Series) -> Finding:
    if loss.epochs is not None:
        epochs = loss.epochs[np.isfinite(loss.epochs)]
        counts = np.unique(epochs, return_counts=True)[1]
        period, count = int(np.median(counts)) if counts.size else 0, int(counts.size)
    elif loss.eval_period is not None:  # an evaluation at each epoch's end marks the epochs
        period = loss.eval_period
        count = int(np.isfinite(loss.values).sum()) // period
    else:
        return Finding("loss.oscillation_periodic", UNKNOWN, say("log.no_epochs"))
    if count < 3:
        return Finding("loss.oscillation_periodic", UNKNOWN, say("log.few_epochs"))
    correlation = curves.epoch_periodicity(loss.values, period)
    if correlation is None:
        return Finding("loss.oscillation_periodic", UNKNOWN, say("log.few_per_epoch"))
    limit = curves.periodic_limit(period, count)
    if curves.PERIODIC_CORRELATION < correlation <= limit:
        # under eight points an epoch, shapes between the two limits repeat by chance in
        # 13-20 % of shuffled logs and short of exactly in a fixed order: no reading either way
        return Finding("loss.oscillation_periodic", UNKNOWN,
                       say("loss.periodic_unsure", n=period, corr=float(correlation),
                           low=curves.PERIODIC_CORRELATION, limit=limit),
                       {"correlation": correlation})
    if limit < correlation < curves.PERIODIC_EXACT and period < curves.PERIODIC_MIN_POINTS:
        ripple = curves.epoch_ripple(loss.values, period)
        if ripple is not None and ripple < curves.PERIODIC_FEW_MIN_RIPPLE:
            return Finding("loss.oscillation_periodic", False,
                           say("loss.periodic_small", n=period, corr=float(correlation),
                               ripple=Pct(ripple), least=Pct(curves.PERIODIC_FEW_MIN_RIPPLE)),
                           {"correlation": correlation, "ripple": ripple})
    if limit < correlation < curves.PERIODIC_LOOSE:
        ramp = curves.epoch_ramp(loss.values, period)
        if ramp is not None and ramp >= curves.PERIODIC_RAMP:
            return Finding("loss.oscillation_periodic", False,
                           say("loss.periodic_ramp", n=period, corr=float(correlation),
                               ramp=float(ramp), loose=curves.PERIODIC_LOOSE),
                           {"correlation": correlation, "ramp": ramp})
    words = say("loss.periodic", n=period, corr=float(correlation), limit=limit)
    if loss.epochs is None:
        words = say("loss.periodic_by_evaluations", n=period, corr=float(correlation),
                    limit=limit)
    return Finding("loss.oscillation_periodic", correlation > limit, words,
                   {"correlation": correlation})


def _grad_spike_size(grad: Series, heights: list[tuple[int, float]]) -> list[Finding]:
    count = Finding("grad.norm_spike_count", float(len(heights)),
                    say("grad.spike_count", n=len(heights), total=grad.values.size))
    if not heights:
        return [count, Finding("grad.norm_spike_max_ratio", 1.0, say("grad.no_spikes"))]
    index, ratio = max(heights, key=lambda h: h[1])
    words = say("grad.spike_largest", value=float(grad.values[index]), at=at(grad, index),
                ratio=Times(ratio))
    finite = np.flatnonzero(np.isfinite(grad.values))
    if finite.size:  # the largest jump need not be the largest norm: quote both
        top = int(finite[np.argmax(grad.values[finite])])
        if grad.values[top] > 2 * grad.values[index]:
            words = say("grad.spike_largest_below_peak", value=float(grad.values[index]),
                        at=at(grad, index), ratio=Times(ratio), peak=float(grad.values[top]),
                        peak_at=at(grad, top))
    return [count, Finding("grad.norm_spike_max_ratio", ratio, words)]


#: A logged gradient norm that grows this many times over its first values has blown up.
GRAD_BLOW_UP = 1e4
#: … or that turns inf/NaN after first values below this.
GRAD_MODEST_START = 1e3


def _grad_blow_up(grad: Series) -> list[Finding]:
    """``grad.norm_blew_up``: the logged gradient norm grows :data:`GRAD_BLOW_UP` times or
    more over its first finite values (the median of up to three), or turns inf/NaN after
    them — a GRU-D's 9.8 → 1.4e6 → 4.9e13 → inf in 15 steps."""
    values = grad.values
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size < 2:
        return []
    first = float(np.median(values[finite[:3]]))
    top = int(finite[np.argmax(values[finite])])
    broken = np.flatnonzero(~np.isfinite(values))
    after = broken[broken > finite[0]]
    ratio = float(values[top]) / first if first > 0 else float("inf")
    # a norm already huge at the first log (1e18) started exploded: a bad initialisation's
    # reading, not a growth
    blew = ratio >= GRAD_BLOW_UP or (after.size > 0 and first < GRAD_MODEST_START)
    if after.size and ratio < GRAD_BLOW_UP:
        words = say("grad.norm_turns_non_finite", first=first, at=at(grad, int(after[0])))
    else:
        words = say("grad.norm_growth", first=first, peak=float(values[top]),
                    at=at(grad, top), ratio=Times(ratio))
    return [Finding("grad.norm_blew_up", bool(blew), words)]


def _spike_findings(loss: Series, grad: Series | None) -> list[Finding]:
    found: list[Finding] = []
    loss_spikes = curves.spikes(loss.values)
    one = len(loss_spikes) == 1
    found.append(Finding("loss.spikes", bool(loss_spikes),
                         say("loss.one_spike" if one else "loss.spikes", n=len(loss_spikes),
                             at=at(loss, loss_spikes[0]))
                         if loss_spikes else say("loss.no_spikes"),
                         {"steps": [float(loss.steps[i]) for i in loss_spikes]}))
    found.append(Finding("loss.spike_count", float(len(loss_spikes)),
                         say("loss.one_spike_count" if one else "loss.spike_count",
                             n=len(loss_spikes), total=loss.values.size)))
    found.append(_spikes_repeated(loss.values, loss_spikes))
    found.append(_climb_finding(loss))
    if grad is None:
        return found
    heights = curves.spike_heights(grad.values)
    found += _grad_spike_size(grad, heights)
    found += _grad_blow_up(grad)
    grad_spikes = [i for i, _ in heights]
    grad_steps = grad.steps[grad_spikes] if grad_spikes else np.array([])
    if loss_spikes:
        gap = np.median(np.diff(loss.steps)) if loss.steps.size > 1 else 1.0
        matched = [i for i in loss_spikes
                   if grad_steps.size and np.min(np.abs(grad_steps - loss.steps[i])) <= 2 * gap]
        found.append(Finding("grad.norm_spikes", bool(matched),
                             say("grad.spikes_matched", k=len(matched), n=len(loss_spikes))))
    else:
        found.append(Finding("grad.norm_spikes", bool(grad_spikes),
                             say("grad.spikes", n=len(grad_spikes)) if grad_spikes
                             else say("grad.no_spikes")))
    return found


def _climb_finding(loss: Series) -> Finding:
    """``loss.climbed_and_came_back``: the loss stood far above its first logged value for
    several logged points, then fell back (see :func:`curves.climb_and_return`)."""
    fact = "loss.climbed_and_came_back"
    if np.isfinite(loss.values).sum() < 4:
        return Finding(fact, UNKNOWN, say("loss.climb_too_short"))
    climb = curves.climb_and_return(loss.values)
    if climb is None:
        return Finding(fact, False, say("loss.no_climb", factor=curves.CLIMB_FACTOR))
    return Finding(fact, True,
                   say("loss.climb", base=climb.base, top=climb.top,
                       ratio=Times(climb.top / climb.base), start=at(loss, climb.first),
                       end=at(loss, climb.last), n=climb.last - climb.first + 1,
                       factor=curves.CLIMB_FACTOR, final=climb.final),
                   {"first_step": float(loss.steps[climb.first]),
                    "last_step": float(loss.steps[climb.last]),
                    "peak_over_first": climb.top / climb.base})


def _spikes_repeated(values: np.ndarray, spikes: list[int]) -> Finding:
    """Spikes that make a failure: :data:`REPEATED_SPIKES` or more, or one the loss has not
    come back from (its final level above the level before the first spike)."""
    fact = "loss.spikes_repeated"
    if not spikes:
        return Finding(fact, False, say("loss.no_spikes"))
    if len(spikes) >= REPEATED_SPIKES:
        return Finding(fact, True, say("loss.spikes_again", n=len(spikes)))
    before = values[max(0, spikes[0] - 10):spikes[0]]
    before = before[np.isfinite(before)]
    end = values[-max(3, values.size // 10):]
    end = end[np.isfinite(end)]
    if not before.size or not end.size:
        return Finding(fact, UNKNOWN, say("loss.spikes_unclear", n=len(spikes)))
    level, final = float(np.median(before)), float(np.median(end))
    if final > level * 1.2 + 1e-12:
        return Finding(fact, True, say("loss.spike_not_recovered", before=level, end=final))
    return Finding(fact, False, say("loss.spikes_recovered", n=len(spikes), before=level,
                                    end=final))


#: An accuracy fall counts when it exceeds this many times the median change between two
#: consecutive evaluations (about three standard deviations of the evaluations' noise).
JITTER_MARGIN = 3.0


def _half_medians(values: np.ndarray) -> tuple[float, float]:
    """The medians of the first and the second half of a curve's finite values."""
    half = values.size // 2
    return float(np.median(values[:half])), float(np.median(values[half:]))


def _paired(a: Series, b: Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two series at the steps both logged a finite value: (index into ``a``, a's values,
    b's values)."""
    shared, ai, bi = np.intersect1d(a.steps, b.steps, return_indices=True)
    ok = np.isfinite(a.values[ai]) & np.isfinite(b.values[bi])
    return ai[ok], a.values[ai[ok]], b.values[bi[ok]]


#: A score in decibels (SNR, SDR, SI-SDR, PSNR) falls when it loses more than this many dB.
DB_FALL = 1.0


def _beyond_jitter(values: np.ndarray, floor: float) -> float:
    """A change beyond a curve's own jitter: three times the typical change between two points
    in a row (:data:`JITTER_MARGIN`), and at least ``floor``."""
    return max(floor, JITTER_MARGIN * float(np.median(np.abs(np.diff(values)))))


def _before(metric: Series, loss: Series, bad: int) -> np.ndarray:
    """Which evaluations of ``metric`` precede the loss's point ``bad``: by epoch where both
    logs count epochs (an evaluation file that logs only its epoch counts in epochs, the
    training log in steps: set 350's halftone autoencoder, NaN at step 360 of epoch 7), else
    by step."""
    if metric.epochs is not None and loss.epochs is not None and \
            np.isfinite(loss.epochs[bad]) and np.isfinite(metric.epochs).all():
        return metric.epochs < loss.epochs[bad]
    return metric.steps < loss.steps[bad]


def _metric_falls_before_nan(loss: Series, metric: Series) -> Finding | None:
    """:func:`_metric_falls` on the training loss and a validation metric up to the loss's
    first NaN/inf: once the weights are NaN the model answers one class whatever it learnt, so
    an accuracy that falls after it says nothing of what the loss rewarded. Unknown when too
    few evaluations precede the NaN; None when a finite run is too short to judge."""
    bad = curves.first_non_finite(loss.values)
    if bad is None:
        return _metric_falls(loss.values, metric.values)
    falls = _metric_falls(loss.values[:bad], metric.values[_before(metric, loss, bad)])
    return falls or Finding("metric.acc_falls_while_loss_falls", UNKNOWN,
                            say("metric.acc_unjudged_before_nan", at=at(loss, bad)))


def _metric_falls(loss: np.ndarray, acc: np.ndarray, floor: float = 2 * FLAT_ACCURACY,
                  name: str | None = None) -> Finding | None:
    """Whether validation accuracy ends clearly below where it started (medians of the first
    and last three evaluations, apart by more than the evaluations' jitter) while the
    training loss falls (the second half's median at least 5 % below the first's, and by more
    than the loss's jitter); None when either curve is too short."""
    train, acc = loss[np.isfinite(loss)], acc[np.isfinite(acc)]
    if acc.size < 3:
        return None
    # the first three against the last three: one noisy early evaluation is no trend
    first, last = float(np.median(acc[:3])), float(np.median(acc[-3:]))
    margin = _beyond_jitter(acc, floor)
    if train.size < 8:
        # too few losses to call a fall, but an accuracy that clearly rose fell nowhere
        if name is None and last > first + margin:
            return Finding("metric.acc_falls_while_loss_falls", False,
                           say("metric.acc_not_falling", a=first, b=last))
        return None
    early, late = _half_medians(train)
    # a flat loss's noise is no fall, nor is a noisy loss's drift within its own jitter
    fell = late < early - _beyond_jitter(train, curves.PLATEAU_DROP * abs(early))
    worse = fell and last < first - margin
    if name is not None:  # a score in dB: higher is better, as an accuracy
        return Finding("metric.acc_falls_while_loss_falls", bool(worse),
                       say("metric.db_falls" if worse else "metric.db_not_falling",
                           score=name, a=first, b=last))
    return Finding("metric.acc_falls_while_loss_falls", bool(worse),
                   say("metric.acc_falls" if worse else "metric.acc_not_falling",
                       a=first, b=last))


def _val_accuracy_fell(acc: Series) -> Finding | None:
    """``val.acc_fell``: validation accuracy ends clearly below where it started (medians of the
    first and last three evaluations, apart by more than the evaluations' jitter), whatever
    the training loss did; None for fewer than six evaluations."""
    values = accuracy_fractions(acc)
    if values is None or values.size < 6:
        return None
    first, last = float(np.median(values[:3])), float(np.median(values[-3:]))
    fell = last < first - _beyond_jitter(values, 2 * FLAT_ACCURACY)
    return Finding("val.acc_fell", fell,
                   say("val.acc_fell" if fell else "val.acc_not_fell", column=acc.column,
                       a=first, b=last))


def _training_accuracy_rose(acc: Series) -> Finding | None:
    """``train.acc_rose``: the training accuracy ends clearly above where it started (medians
    of the first and last three points, apart by more than 2 × :data:`FLAT_ACCURACY` and three
    times the typical change between two points in a row); None when fewer than six points."""
    values = acc.values[np.isfinite(acc.values)]
    if values.size < 6:
        return None
    first, last = float(np.median(values[:3])), float(np.median(values[-3:]))
    rose = last > first + _beyond_jitter(values, 2 * FLAT_ACCURACY)
    return Finding("train.acc_rose", rose,
                   say("train.acc_rose" if rose else "train.acc_not_rising", a=first, b=last,
                       name=acc.column))


def _metric_follows(loss: np.ndarray, acc: np.ndarray, classes: int | None = None
                    ) -> Finding | None:
    """Whether validation accuracy improves while the training loss falls by a third or more
    from the first half of the run to the second (True: it stays flat near chance); None when
    the loss does not fall, the accuracy is too short, or it is flat at a good level."""
    train, acc = loss[np.isfinite(loss)], acc[np.isfinite(acc)]
    if train.size < 8 or acc.size < 3 or (train < 0).any():
        return None
    start, end = _half_medians(train)  # a blow-up in the first steps is no fall
    if not start > 0 or end > (1 - METRIC_LOSS_DROP) * start:
        return None
    first, last = float(acc[0]), float(np.median(acc[-3:]))
    fact = "metric.flat_while_loss_falls"
    # flat near chance is a failure; flat at a good accuracy is a model that has converged
    # while its loss still falls (growing confidence)
    low = 1.0 / classes + NEAR_CHANCE if classes and classes >= 2 else 0.5
    if last - first <= FLAT_ACCURACY and first <= min(low, 1 - ACCURACY_ROOM):
        return Finding(fact, True, say("metric.flat", a=first, b=last, start=start, end=end))
    if last - first >= 2 * FLAT_ACCURACY:
        return Finding(fact, False, say("metric.follows", a=first, b=last, start=start,
                                        end=end))
    return None


def _epoch_of(val: Series, index: int, loss: Series | None) -> tuple[float, Said]:
    if val.epochs is not None and np.isfinite(val.epochs[index]):
        return float(val.epochs[index]), say("when.epoch", n=float(val.epochs[index]))
    if loss is not None and loss.epochs is not None:
        position = int(np.searchsorted(loss.steps, val.steps[index]))
        position = min(position, loss.epochs.size - 1)
        if np.isfinite(loss.epochs[position]):
            return float(loss.epochs[position]), say("when.epoch",
                                                     n=float(loss.epochs[position]))
    return float(index + 1), say("when.val_point", n=index + 1)


#: What compares the validation loss with the training loss (the last one only when there is
#: an evaluation to compare at).
_GAP_FACTS = ("train_val.gap_ratio", "train_val.gap_over_initial", "train_val.close_and_high",
              "train_val.both_near_zero", "train_val.close", "val.gap_at_first_eval")


#: Error measures in the target's units squared (quadratic near 0, as Huber is) …
_SQUARED_MEASURES = frozenset({"mse", "l2", "huber", "smooth_l1", "smoothl1", "sse",
                               "mean_squared_error"})
#: … and in the target's own units.
_LINEAR_MEASURES = frozenset({"mae", "l1", "rmse", "medae", "mean_absolute_error",
                              "root_mean_squared_error"})


def _measure_units(column: str) -> str | None:
    """``"squared"`` or ``"linear"`` for a column named after an error measure (``val_mae``,
    ``train_huber``, ``val_rmse_log``); None for a generic ``loss`` or anything else."""
    kind = column_kind(column)
    words = {kind, *kind.split("_")}
    if words & _SQUARED_MEASURES:
        return "squared"
    if words & _LINEAR_MEASURES:
        return "linear"
    return None


def _other_units(train: str, val: str) -> tuple[str, str] | None:
    """(the training measure's units, the validation's) when the two columns are named after
    error measures in different units — a Huber or MSE training loss beside a validation MAE
    or RMSE: 0.0005 against 0.03 is one error of 0.03 in both — so their levels are not
    compared; None otherwise."""
    a, b = _measure_units(train), _measure_units(val)
    return (a, b) if a is not None and b is not None and a != b else None


def _unit_only_in_val(train: str, val: str) -> str | None:
    """The physical unit a validation column carries (``val_mae_mm``) when the training loss
    beside it names none (``train_loss``): a metric reported in the target's real units
    beside a loss computed on the targets as the model sees them (scaled, standardised), so
    their levels are not compared; None otherwise."""
    unit = physical_unit(val)
    return unit if unit is not None and physical_unit(train) is None else None


#: A validation loss that turned up matters when its rise is at least this share of where the
#: training loss started …
MATERIAL_RISE = 0.05
#: … or when validation accuracy fell at least this much (absolute) since the best loss.
MATERIAL_ACC_DROP = 0.01


def _rise_material(loss: Series | None, val: Series, val_acc: Series | None, low: int
                   ) -> list[Finding]:
    """``val.rise_is_material``: whether a validation loss that turned up rose by 5 % or more
    of the training loss's starting level, or took validation accuracy down by a point; a
    rise from 0.06 to 0.09 on a loss that started at 1.7, accuracy unchanged, is a model
    growing a little over-confident, not a failure."""
    train = loss.values[np.isfinite(loss.values)] if loss is not None else np.array([])
    finite = val.values[np.isfinite(val.values)]
    if train.size < 3 or finite.size < 4:
        return []
    start = float(np.median(train[:3]))
    rise = (curves.level(finite, False) if finite.size >= 10 else float(finite[-1])) - \
        float(np.min(finite))
    share = rise / max(abs(start), 1e-12)
    drop = None
    if val_acc is not None and val_acc.values.size == val.values.size:
        acc = val_acc.values
        drop = float(acc[low]) - float(np.median(acc[-3:]))
    material = share >= MATERIAL_RISE or (drop is not None and drop >= MATERIAL_ACC_DROP)
    if drop is None:
        words = say("val.rise_share", share=Pct(share), start=start)
    elif drop >= 0:
        words = say("val.rise_share_acc", share=Pct(share), start=start, drop=drop)
    else:
        words = say("val.rise_share_acc_up", share=Pct(share), start=start, rise=-drop)
    return [Finding("val.rise_is_material", material, words)]


#: A validation loss that lost this share of its first value by its best, and turned up no
#: earlier than this share of the evaluations, with the accuracy at the end within this much
#: of the accuracy at that best: the run generalised, then trained past its best point.
GENERALISED_SHARE = 0.5
LATE_TURN = 0.3
ACC_HELD = 0.03


def _turned_up_after_generalising(val: Series, val_acc: Series | None, low: int
                                  ) -> list[Finding]:
    """``val.turned_up_after_generalising``: a validation loss that turned up had first lost
    half or more of its first value, turned up only after 30 % of the evaluations, and
    (where accuracy is logged beside it) the accuracy at the end is within 0.03 of the
    accuracy at the loss's best — keeping the best checkpoint would gain no accuracy. Over-
    fitting that costs something looks otherwise: a loss that barely improved before it
    climbed (a training set too small to generalise from), or accuracy that falls."""
    values = val.values
    if values.size < 4 or not np.isfinite(values[0]) or values[0] <= 0:
        return []
    gained = 1.0 - float(np.nanmin(values)) / float(values[0])
    late = low / (values.size - 1)
    accuracy = accuracy_fractions(val_acc) if val_acc is not None else None
    if accuracy is not None and accuracy.size == values.size:
        end, at = float(np.median(accuracy[-3:])), float(accuracy[low])
        held = end >= at - ACC_HELD
        words = say("val.generalised_then_turned_acc", gained=Pct(gained), late=Pct(late),
                    end=end, at=at)
    else:
        held, words = True, say("val.generalised_then_turned", gained=Pct(gained),
                                late=Pct(late))
    after = gained >= GENERALISED_SHARE and late >= LATE_TURN and held
    return [Finding("val.turned_up_after_generalising", after, words)]


#: A log whose training loss starts below this share of a guess's (ln C) started after the
#: model had learnt: the guess stands for the untrained model's loss.
GUESS_CLEARLY_BELOW = 0.9


def _paired_training(metrics: Metrics, loss: Series | None, val: Series | None
                     ) -> Series | None:
    """The training series a validation loss is compared with: the training loss, unless the
    validation column measures one part of it that is logged too (``val_churn_bce`` beside
    ``churn_bce``, under a total ``loss`` = churn + 200 × spend) — a total against one task's
    validation loss compares two different quantities."""
    if loss is None or val is None:
        return loss
    kind = column_kind(val.column)
    if column_kind(loss.column) == kind:
        return loss
    return next((part for column, part in metrics.parts.items() if column_kind(column) == kind),
                loss)


#: An accuracy ending at or above this is no high-bias model, whatever its loss's level (a
#: negative-sampling or label-smoothed loss has a floor well above 0).
ACCURATE_FIT = 0.95


def _ends_accurate(*series: Series | None) -> tuple[float, str] | None:
    """(accuracy, column) of the first logged accuracy that ends (median of its last three)
    at :data:`ACCURATE_FIT` or more; None when none does."""
    for acc in series:
        values = accuracy_fractions(acc)
        if acc is not None and values is not None and \
                (end := float(np.median(values[-3:]))) >= ACCURATE_FIT:
            return end, acc.column
    return None


def _validation_findings(loss: Series | None, val: Series | None,
                         val_acc: Series | None, restarts: int = 0,
                         classes: int | None = None, acc: Series | None = None
                         ) -> list[Finding]:
    """The validation curve's facts; ``restarts``: the schedule's warm restarts, which make
    validation jump while training improves (so such jumps tell nothing); ``classes``: the
    classes of a single-label task, when known: a guess's loss ln C stands for the untrained
    model's where the log starts lower (its first row came after the model had learnt);
    ``acc``: the training accuracy, which says a loss ending "high" is the loss's floor."""
    found = [Finding("log.has_validation", val is not None or val_acc is not None,
                     say("log.val_column", name=val.column) if val else
                     say("log.val_column", name=val_acc.column) if val_acc else
                     say("log.no_validation"))]
    if val is None:
        return found + [Finding(f, UNKNOWN, say("val.no_loss")) for f in
                        ("val.rising_while_train_falls", "train_val.close_and_high",
                         "train_val.both_near_zero", "val.fell_from_first")] + \
            [Finding("val.short_still_falling", False, say("val.no_loss"))]
    finite = val.values[np.isfinite(val.values)]
    found += _val_fell_from_first(finite) + _val_short_still_falling(
        finite, broke=bool(np.isfinite(val.values).any() and not np.isfinite(val.values[-1])))
    low = curves.turn_up(val.values)
    train_falls = False
    if low is not None and loss is not None:
        since = loss.values[(loss.steps >= val.steps[low]) & np.isfinite(loss.values)]
        train_falls = since.size >= 2 and curves.level(since, False) < since[0] * 0.98
    rising = low is not None and train_falls
    if rising and low is not None:
        shown = curves.lowest_near(val.values, low)  # the point itself, to quote
        epoch, words = _epoch_of(val, shown, loss)
        found += [
            Finding("val.rising_while_train_falls", True,
                    say("val.bottoms", low=float(finite[shown]), when=words,
                        end=float(finite[-1]))),
            Finding("val.divergence_epoch", epoch, say("val.turns_up", when=words)),
        ]
        rise = curves.rise_after_min(val.values)
        if rise is not None:
            found.append(Finding("val.rise_from_best", rise,
                                 say("val.rise_from_best", share=Pct(rise))))
        found += _rise_material(loss, val, val_acc, low)
        found += _turned_up_after_generalising(val, val_acc, low)
        if finite.size >= 4:
            first_best = bool(np.argmin(finite) == 0)
            found.append(Finding("val.best_at_first_eval", first_best,
                                 say("val.best_first" if first_best else "val.best_later",
                                     value=float(np.min(finite)), n=int(finite.size))))
        if val_acc is not None and val_acc.values.size == val.values.size:
            accuracy = val_acc.values
            found.append(Finding("val.acc_rising_while_loss_rising",
                                 bool(accuracy[-1] > accuracy[low] + 0.01),
                                 say("val.acc_while_rising", a=float(accuracy[low]),
                                     b=float(accuracy[-1]))))
    else:
        found.append(Finding("val.rising_while_train_falls", False, _val_end_words(finite)))
        found.append(Finding("val.acc_rising_while_loss_rising", False,
                             say("val.not_rising")))
    if loss is not None and loss.values.size and not np.isfinite(loss.values[-1]):
        words = say("train_val.blew_up", word="NaN" if np.isnan(loss.values[-1]) else "inf")
        return found + [Finding(f, UNKNOWN, words) for f in _GAP_FACTS]
    if loss is not None and (units := _other_units(loss.column, val.column)) is not None:
        words = say(f"train_val.{units[0]}_beside_{units[1]}", train=loss.column,
                    val=val.column)
        return found + [Finding(f, UNKNOWN, words) for f in _GAP_FACTS]
    if loss is not None and (unit := _unit_only_in_val(loss.column, val.column)) is not None:
        # set 410's carbonation GRU: an MSE on depth / 10 logged as train_loss beside the
        # validation MAE in mm, "30× the training loss from the first evaluation"
        words = say("train_val.unit_only_in_val", train=loss.column, val=val.column, unit=unit)
        return found + [Finding(f, UNKNOWN, words) for f in _GAP_FACTS]
    if loss is not None and finite.size and np.isfinite(loss.values).sum() >= 3:
        train = loss.values[np.isfinite(loss.values)]
        start, end, v_end = curves.level(train, True), curves.level(train, False), \
            float(np.median(finite[-3:]))
        close = abs(end - v_end) <= CLOSE_FRACTION * max(abs(end), abs(v_end), 1e-12)
        high = start > 0 and end > HIGH_FRACTION * start
        summed = _summed_over(end / v_end) if end > 0 and v_end > 0 else None
        if summed is not None:  # a sum over n samples (or micro-batches) against a mean
            words = say("train_val.summed", t=float(end), v=v_end, n=summed)
            return found + [Finding(f, UNKNOWN, words) for f in _GAP_FACTS[:5]]
        if end > 0 and v_end > 0:
            found.append(Finding("train_val.gap_ratio", v_end / end,
                                 say("train_val.gap", v=v_end, ratio=Times(v_end / end),
                                     t=float(end))))
        elif end == 0 and v_end > 0 and (train >= 0).all() and (train > 0).any():
            # logged as 0 at the end: below the smallest positive value the log printed, so
            # the validation loss is at least that many times the training loss
            floor = float(train[train > 0].min())
            found.append(Finding("train_val.gap_ratio", v_end / floor,
                                 say("train_val.gap_over_zero", v=v_end,
                                     ratio=Times(v_end / floor), floor=floor)))
        if rising:  # over-fitting memorises: the training loss goes below what validation got
            best = float(np.min(finite))
            found.append(Finding("val.train_never_below_best", bool(end >= best),
                                 say("val.train_above_best" if end >= best else
                                     "val.train_below_best", t=float(end), v=best)))
        guess = math.log(classes) if classes and classes >= 2 else 0.0
        per_epoch = _per_epoch(loss)
        first_epoch = float(train[0]) if per_epoch or _first_row_after_a_stretch(loss) \
            else 0.0
        if first_epoch > start > 0 and GUESS_CLEARLY_BELOW * guess <= first_epoch:
            # one row per epoch (or per stretch of steps, the first logged after it): the
            # first row sums up a stretch that began untrained, so it is nearer the untrained
            # loss than the level the next rows already fell to
            found.append(Finding("train_val.gap_over_initial", (v_end - end) / first_epoch,
                                 say("train_val.gap_over_first_epoch" if per_epoch else
                                     "train_val.gap_over_first_row", v=v_end, t=float(end),
                                     a=first_epoch, share=Pct((v_end - end) / first_epoch),
                                     step=num(float(loss.steps[0])))))
        elif GUESS_CLEARLY_BELOW * guess > start > 0:  # the first rows came after learning
            found.append(Finding("train_val.gap_over_initial", (v_end - end) / guess,
                                 say("train_val.gap_over_guess", v=v_end, t=float(end),
                                     a=float(start), guess=guess, k=classes,
                                     share=Pct((v_end - end) / guess))))
        elif start > 0:
            found.append(Finding("train_val.gap_over_initial", (v_end - end) / start,
                                 say("train_val.gap_over_start", v=v_end, t=float(end),
                                     a=float(start), share=Pct((v_end - end) / start))))
        # a density's NLL has no floor at 0 to measure "high" against (it ends at the data's
        # entropy, below 0 wherever the density exceeds 1)
        density = val_acc is None and _LIKELIHOOD_NAME.search(loss.column.lower()) is not None
        # (a classifier's cross-entropy that stays high beside a high accuracy is itself the
        # anomaly — predictions kept timid — so only a loss of no known classes rests on a floor)
        accurate = _ends_accurate(val_acc, acc) if close and high and not classes else None
        found += [
            Finding("train_val.close_and_high", UNKNOWN,
                    say("train_val.density_no_floor", t=float(end), v=v_end, a=float(start),
                        column=loss.column))
            if density and close and high else
            Finding("train_val.close_and_high", False,
                    say("train_val.high_but_accurate", t=float(end), v=v_end, a=float(start),
                        acc=accurate[0], column=accurate[1]))
            if accurate is not None else
            Finding("train_val.close_and_high", bool(close and high),
                    say("train_val.finals_start", t=float(end), v=v_end, a=float(start))),
            Finding("train_val.both_near_zero",
                    bool(abs(end) < curves.NEAR_ZERO and abs(v_end) < curves.NEAR_ZERO),
                    say("train_val.finals", t=float(end), v=v_end)),
            Finding("train_val.close", bool(close), say("train_val.finals", t=float(end), v=v_end)),
        ]
        gap = _gap_at_first_eval(loss, val)
        ratios = gap.details.get("ratios") if gap is not None else None
        found.append(Finding("val.first_eval_over_train", float(ratios[0]),
                             say("val.first_eval_over_train", first=Times(ratios[0]),
                                 end=Times(ratios[-1])))
                     if ratios else
                     Finding("val.first_eval_over_train", UNKNOWN, say("val.no_first_ratio")))
        if gap is not None:
            found.append(gap)
            below = _below_train_throughout(gap)
            if below is not None:
                found.append(below)
        if finite.size >= 5 and loss is not None:
            v_shape_noise = _val_noise(finite)
            oscillating = bool(end < start and v_shape_noise)
            found.append(Finding("val.oscillating", UNKNOWN,
                                 say("val.jumps_at_restarts", n=restarts))
                         if oscillating and restarts else
                         Finding("val.oscillating", oscillating,
                                 say("val.jumps") if v_shape_noise else say("val.smooth")))
    return found


def _val_fell_from_first(finite: np.ndarray) -> list[Finding]:
    """``val.fell_from_first``: how much of its first value a positive validation loss lost
    by its lowest evaluation (0 when the first is the lowest): what the run learnt that holds
    on held-out data. Needs three evaluations."""
    if finite.size < 3 or not (finite > 0).all():
        return [Finding("val.fell_from_first", UNKNOWN,
                        say("val.fall_unmeasured"))]
    first, lowest = float(finite[0]), float(finite.min())
    share = 1.0 - lowest / first
    return [Finding("val.fell_from_first", round(share, 4),
                    say("val.fell_from_first", first=first, low=lowest, share=Pct(share)))]


#: A validation loss evaluated this many times or fewer is too short for a curve's shape.
VAL_SHORT_EVALS = 5


def _val_short_still_falling(finite: np.ndarray, broke: bool = False) -> list[Finding]:
    """``val.short_still_falling``: a validation loss evaluated two to
    :data:`VAL_SHORT_EVALS` times, all positive, that fell at every evaluation, the last
    :data:`SHORT_STILL_FALLING` or more below the one before — held-out data still gaining
    fast when the run stopped, whatever a schedule that annealed the rate to 0 did to the
    training curve's end (a validation loss that went up and down on the way is noise, a
    tiny batch's, not a clean fall). False for a longer or shorter validation log, or one
    not above 0, and for one that ``broke``: evaluations went on after its finite ones, NaN/inf
    (the run did not stop while it improved; set 327's FTIR MLP, two finite evaluations of
    thirty)."""
    if broke:
        return [Finding("val.short_still_falling", False,
                        say("val.broke_after", n=int(finite.size)))]
    if not 2 <= finite.size <= VAL_SHORT_EVALS or not (finite > 0).all():
        return [Finding("val.short_still_falling", False,
                        say("val.not_short", n=int(finite.size), limit=VAL_SHORT_EVALS))]
    last_fall = 1.0 - float(finite[-1]) / float(finite[-2])
    still = last_fall >= SHORT_STILL_FALLING and bool(np.all(np.diff(finite) < 0))
    return [Finding("val.short_still_falling", still,
                    say("val.short_still_falling" if still else "val.short_levelled",
                        n=int(finite.size), share=Pct(last_fall),
                        limit=Pct(SHORT_STILL_FALLING)))]


def _train_levels(loss: Series, val_steps: list[float]) -> list[float | None]:
    """Median training loss over the steps since the previous evaluation (at most the last
    20 points) at each evaluation step; bisection when the steps are in order."""
    finite = np.isfinite(loss.values)
    steps, values = loss.steps[finite], loss.values[finite]
    ordered = steps.size < 2 or bool(np.all(np.diff(steps) >= 0))
    out: list[float | None] = []
    previous = -np.inf
    for step in val_steps:
        if ordered:
            lo, hi = np.searchsorted(steps, [previous, step], side="right")
            window = values[lo:hi][-20:]
        else:
            window = values[(steps <= step) & (steps > previous)][-20:]
        out.append(float(np.median(window)) if window.size else None)
        previous = step
    return out


def _gap_at_first_eval(loss: Series | None, val: Series) -> Finding | None:
    """Validation far above training at the first evaluation, and above it at every later one.

    Compared as a ratio while both losses are positive; a loss that crosses 0 (a density's
    NLL) has no ratio, so the gap is measured against the training loss's own scale (the
    distance it travelled over the run, or its typical size when that is larger)."""
    fact = "val.gap_at_first_eval"
    points = [i for i in range(val.values.size) if np.isfinite(val.values[i])]
    if loss is None or not points:
        return None
    levels = _train_levels(loss, [float(val.steps[i]) for i in points])
    if any(train is None for train in levels):
        return None
    pairs = [(float(val.values[i]), float(train or 0.0))
             for i, train in zip(points, levels, strict=True)]
    if all(train > 0 and v > 0 for v, train in pairs):
        ratios = [v / train for v, train in pairs]
        gap = ratios[0] >= VAL_GAP_FIRST and min(ratios) >= VAL_GAP_KEPT
        words = say("val.gap_first", at=at(val, points[0]), first=Times(ratios[0]),
                    low=min(ratios), high=max(ratios), n=len(ratios))
        if gap and min(ratios) < VAL_GAP_HELD and (fell := _val_kept_pace(pairs)) is not None:
            gap, words = False, say("val.gap_closing", words=words, val=Pct(fell[0]),
                                    train=Pct(fell[1]), at=at(val, points[fell[2]]))
        return Finding(fact, bool(gap), words, {"ratios": ratios})
    train_values = loss.values[np.isfinite(loss.values)]
    scale = max(float(np.ptp(train_values)), float(np.median(np.abs(train_values))))
    if scale <= 0:
        return Finding(fact, UNKNOWN, say("val.not_positive"))
    gaps = [(v - train) / scale for v, train in pairs]
    gap = gaps[0] >= VAL_GAP_SCALES_FIRST and min(gaps) >= VAL_GAP_SCALES_KEPT
    return Finding(fact, bool(gap),
                   say("val.gap_first_scale", at=at(val, points[0]), first=gaps[0],
                       low=min(gaps), high=max(gaps), n=len(gaps), scale=scale),
                   {"gaps": gaps, "scale": scale})


def _val_kept_pace(pairs: list[tuple[float, float]]) -> tuple[float, float, int] | None:
    """(the validation loss's fall to its lowest, as a share of its first value; the training
    loss's over the same evaluations; the index of that lowest) when the validation loss fell
    by :data:`VAL_GAP_CLOSING_FALL` at least and by no smaller a share than the training
    loss: the first evaluation's gap closed as training went on."""
    low = min(range(len(pairs)), key=lambda i: pairs[i][0])
    if low == 0:
        return None
    (v0, t0), (v1, t1) = pairs[0], pairs[low]
    val_fall, train_fall = 1.0 - v1 / v0, 1.0 - t1 / t0
    if val_fall >= VAL_GAP_CLOSING_FALL and val_fall >= train_fall:
        return val_fall, train_fall, low
    return None


#: Validation at most this share of the training loss at every evaluation (at least
#: BELOW_EVALS of them): the training pass is the noisier one all run long.
BELOW_TRAIN_SHARE, BELOW_EVALS = 0.9, 3


def _below_train_throughout(gap: Finding) -> Finding | None:
    """``val.below_train_throughout`` from the validation/training ratios at every evaluation
    (positive losses only): dropout, augmentation or BatchNorm's batch statistics make the
    training pass worse than the evaluation one."""
    ratios = gap.details.get("ratios")
    if not ratios or len(ratios) < BELOW_EVALS:
        return None
    below = max(ratios) <= BELOW_TRAIN_SHARE
    return Finding("val.below_train_throughout", below,
                   say("val.below_train", high=max(ratios), n=len(ratios)))


#: Evaluations at least, for the later half of the validation curve to be judged on its own.
VAL_NOISE_LATE_EVALS = 8


def _val_noise(values: np.ndarray) -> bool:
    """Most consecutive changes flip sign and the swings are large against the level: over
    the whole curve, or (with :data:`VAL_NOISE_LATE_EVALS` evaluations or more) over its
    later half, once the first epochs' steady fall no longer hides the zigzag."""
    if values.size >= VAL_NOISE_LATE_EVALS and _zigzag(values[(values.size - 1) // 2:]):
        return True
    return _zigzag(values)


def _zigzag(values: np.ndarray) -> bool:
    """Most consecutive changes of ``values`` flip sign and swing large against the level."""
    changes = np.diff(values)
    flips = np.mean(np.sign(changes[1:]) != np.sign(changes[:-1])) if changes.size > 1 else 0
    swing = np.median(np.abs(changes)) / max(float(np.median(np.abs(values))), 1e-12)
    return bool(flips > 0.6 and swing > curves.OSCILLATION_NOISE)


def _chance(acc: np.ndarray, classes: int, majority: float | None = None,
            floor: float | None = None) -> Finding:
    """Final accuracy at or below chance for ``classes`` classes (known from the batch); with
    imbalanced classes chance is the majority class's share (always predicting it), read
    from a batch: an accuracy below it but above its ``floor`` (the lowest the held-out
    data's share plausibly is) is UNKNOWN — the batch may hold more of that class than they
    do (set 270's cheese grading: 0.867 against 58 of 64, a validation set of 0.81)."""
    final = float(np.median(acc[-3:]))
    chance = max(1.0 / classes, majority or 0.0)
    margin = CHANCE_MARGIN
    imbalanced = majority is not None and majority > 1.0 / classes
    if imbalanced:
        margin = CHANCE_MARGIN * (1.0 - chance)  # the same share of the room left above it
    at = final <= chance + margin
    lowest = None if floor is None else max(floor, 1.0 / classes)
    if at and imbalanced and lowest is not None and final > lowest + margin:
        return Finding("val.acc_at_chance", UNKNOWN,
                       say("val.acc_prior_unsure", final=final, k=classes, chance=chance,
                           floor=lowest),
                       {"classes": classes, "final": final, "chance": chance})
    if imbalanced:
        words = say("val.acc_prior_at" if at else "val.acc_prior", final=final, k=classes,
                    chance=chance)
    else:
        words = say("val.acc_chance_at" if at else "val.acc_chance", final=final, k=classes,
                    chance=chance)
    return Finding("val.acc_at_chance", at, words,
                   {"classes": classes, "final": final, "chance": chance})


def accuracy_fractions(acc: Series | None) -> np.ndarray | None:
    """The finite accuracies of a series as fractions (percentages divided by 100); None for
    fewer than three."""
    if acc is None:
        return None
    values = acc.values[np.isfinite(acc.values)]
    if values.size < 3:
        return None
    return curves.as_fractions(values)


def _never_finite(loss: Series | None, val: Series | None) -> Series | None:
    """The validation or training loss that is NaN/inf at every logged point, if one is."""
    return next((s for s in (val, loss) if s is not None and s.values.size
                 and not np.isfinite(s.values).any()), None)


#: What a recall (or F1) of 0 at the end says of the classes: nothing, where NaN outputs made it.
NAN_BLIND = frozenset({"val.recall_zero", "val.recall_zero_while_learning",
                       "metric.f1_far_below_accuracy", "metric.rare_class_mostly_missed"})


def _nan_outputs_predict_nothing(found: list[Finding], loss: Series | None,
                                 val: Series | None, recall: Series | None = None
                                 ) -> list[Finding]:
    """A recall or F1 of 0 is what NaN outputs give too (no NaN clears a threshold): with a
    loss that is NaN/inf at every logged point, or a ``recall`` that fell to 0 only once the
    loss had gone NaN/inf, a recall at 0 at the end (``val.recall_zero`` and the readings of
    :data:`NAN_BLIND`) says nothing of the classes (the seventy-second set's raw-watts
    seq2point: F1 0 from its first epoch; set 344's harness MLP: 0.6–0.87 until its loss went
    NaN)."""
    key = "val.recall_zero_nan"
    if (broken := _never_finite(loss, val)) is None:
        key, broken = "val.recall_zero_since_nan", _zero_since_non_finite(recall, loss, val)
    if broken is None:
        return found
    return [Finding(f.fact, UNKNOWN, say(key, column=broken.column))
            if f.fact in NAN_BLIND and f.value is True else f for f in found]


def _sign_split(loss: Series | None, val: Series | None) -> Finding | None:
    """``loss.negative_while_val_positive``: whether the training loss ends below zero while
    every logged validation loss is above it — the training objective and the validation
    loss then disagree in sign: the loop minimised a negated loss (a hand-written
    log-likelihood that lost its minus) while the evaluation scores the task's own. False
    when both run below zero; None without a training loss ending below zero, or without
    three finite points of each."""
    if loss is None or val is None:
        return None
    train = loss.values[np.isfinite(loss.values)]
    held = val.values[np.isfinite(val.values)]
    if train.size < 3 or held.size < 2 or (end := curves.level(train, False)) >= 0:
        return None
    split = bool(held.min() > 0)
    return Finding("loss.negative_while_val_positive", split,
                   say("loss.sign_split" if split else "loss.sign_same", loss=loss.column,
                       end=end, val=val.column, low=float(held.min()), high=float(held.max())))


def _zero_since_non_finite(recall: Series | None, loss: Series | None, val: Series | None
                           ) -> Series | None:
    """The loss (validation first) that went NaN/inf at or before the evaluation from which
    ``recall`` stands at 0 to the end, after a recall above 0: the zero is the NaN's (set
    344's harness MLP: 0 at its first epoch, 0.6–0.87 later, 0 again from the NaN on)."""
    if recall is None or not recall.values.size:
        return None
    above = np.flatnonzero(np.isfinite(recall.values) & (recall.values > 1e-9))
    if not above.size or above[-1] + 1 >= recall.values.size:
        return None
    since = recall.steps[above[-1] + 1]  # the first evaluation of the zeros that end the log
    for series in (val, loss):
        if series is not None and (bad := curves.first_non_finite(series.values)) is not None \
                and series.steps[bad] <= since:
            return series
    return None


#: At the first validation loss that is NaN/inf, a metric on the same row still this share of
#: its best so far or more: the predictions were fine, the loss's arithmetic broke.
SCORED_SHARE = 0.9


def _val_loss_non_finite_while_scored(val: Series | None, scores: list[Series | None],
                                      loss: Series | None = None) -> Finding | None:
    """``val.loss_non_finite_while_scored``: whether, at the evaluation before the first one
    whose validation loss is NaN/inf, the validation metrics logged with it (accuracy, F1,
    recall) are all finite and at :data:`SCORED_SHARE` of their best so far — a recall
    fallen to 0 beside them says the predictions broke first — with a training loss that
    never stood :data:`BLOWUP` times its start up to then — weights that still predict well
    beside a loss that no longer is a number: the loss's own arithmetic (the log of a
    probability that rounded to exactly 0 or 1) broke, not the model. None without a
    validation loss that goes NaN/inf after a finite start, or a metric at that step."""
    if val is None or not (bad := curves.first_non_finite(val.values)):  # None, or from row 0
        return None
    step = val.steps[bad]
    blew_up = False
    if loss is not None and (train := loss.values[(loss.steps <= step)
                                                  & np.isfinite(loss.values)]).size:
        start = float(np.median(train[:3]))
        blew_up = start > 0 and float(train.max()) > BLOWUP * start
    read: list[tuple[Series, float, float, bool]] = []
    for score in scores:
        if score is None:
            continue
        same = np.flatnonzero(score.steps == step)
        if not same.size or same[0] == 0:
            continue
        # read at the evaluation before: NaN outputs at the broken row already give one
        # class (argmax of NaNs), whatever the weights did before
        before = score.values[:same[0]]
        value = float(before[-1])
        if not np.isfinite(value):
            continue
        best = float(np.nanmax(before))
        read.append((score, value, best, best > 0 and value >= SCORED_SHARE * best))
    if not read:
        return None
    # every metric logged must hold: an accuracy at the majority's share beside a recall
    # fallen to 0 is one class predicted (set 422's tanning-bath CNN trained in eval mode:
    # val_acc 0.629 at its best, burnt-pack recall 0.90 -> 0, then a NaN loss)
    score, value, best, _ = next((r for r in read if not r[3]), read[0])
    held = all(r[3] for r in read) and not blew_up
    return Finding("val.loss_non_finite_while_scored", held,
                   say("val.loss_nan_scored" if held else "val.loss_nan_unscored",
                       loss=val.column, score=score.column, value=value, best=best,
                       at=at(val, bad)))


def _nan_outputs_one_class(found: list[Finding], loss: Series | None, val: Series | None
                           ) -> list[Finding]:
    """One class predicted at every evaluation is what NaN outputs give (argmax of NaNs is a
    fixed index): with a loss that is NaN/inf at every logged point, ``val.acc_at_majority``
    says nothing of the classes."""
    if (broken := _never_finite(loss, val)) is None:
        return found
    return [Finding(f.fact, UNKNOWN, say("val.acc_one_class_nan", column=broken.column))
            if f.fact == "val.acc_at_majority" and f.value is True else f for f in found]


def _multi_label_accuracy(found: list[Finding], val_acc: Series | None) -> list[Finding]:
    """Under a BCE over several labels an accuracy that merely moves is no sign of learning:
    a gain under :data:`LEARNS_THE_REST` from the first three evaluations to the last three
    leaves ``val.acc_at_chance`` unknown (set 345's flipped BCE: 0.188 to 0.218 per label): its
    chance level is not known (each label's majority, or an exact match over all of them),
    only the rise that says a model learns (:data:`LEARNS_THE_REST`)."""
    acc = accuracy_fractions(val_acc)
    if acc is None:
        return found
    first, last = float(np.median(acc[:3])), float(np.median(acc[-3:]))
    if last - first >= LEARNS_THE_REST:
        return found
    words = say("val.acc_multi_label_unsure", a=float(acc[0]), b=float(acc[-1]),
                gain=last - first)
    return [Finding(f.fact, UNKNOWN, words) if f.fact == "val.acc_at_chance" and f.value is False
            else f for f in found]


def _accuracy_findings(val_acc: Series | None, classes: int | None = None,
                       majority: float | None = None, floor: float | None = None
                       ) -> list[Finding]:
    acc = accuracy_fractions(val_acc)
    if acc is None:
        return []
    last = float(np.median(acc[-3:]))
    end = Finding("val.acc_end", last, say("val.acc_last", value=last, n=int(acc.size)))
    return [end, *_accuracy_level_findings(acc, classes, majority, floor)]


#: A recall averaged over K classes this near 1/K at every evaluation is one class predicted.
BALANCED_AT_ONE_CLASS = 0.01


def _one_class_by_balanced_recall(found: list[Finding], val_acc: Series | None,
                                  balanced: Series | None, classes: int | None
                                  ) -> list[Finding]:
    """``val.acc_at_majority`` from a macro recall (balanced accuracy) logged beside the
    accuracy: within :data:`BALANCED_AT_ONE_CLASS` of 1/K at three evaluations or more while
    the accuracy sits well above 1/K, the model gives every sample the majority class, and the
    accuracy is that class's share (a keyword spotter at 0.871 = the background's share)."""
    recall, acc = accuracy_fractions(balanced), accuracy_fractions(val_acc)
    if recall is None or acc is None or not classes or classes < 2 or recall.size < 3:
        return found
    guess = 1.0 / classes
    stuck = recall[-3:]
    if not (np.abs(stuck - guess) <= BALANCED_AT_ONE_CLASS).all() or \
            float(np.median(acc[-3:])) < guess + CHANCE_MARGIN:
        return found
    word = say("val.balanced_at_one_class", column=balanced.column if balanced else "",
               value=float(np.median(stuck)), k=classes, acc=float(np.median(acc[-3:])))
    return [f for f in found if f.fact != "val.acc_at_majority"] + \
        [Finding("val.acc_at_majority", True, word)]


def _accuracy_level_findings(acc: np.ndarray, classes: int | None, majority: float | None,
                             floor: float | None = None) -> list[Finding]:
    flat = float(acc.max() - acc.min()) < FLAT_ACCURACY
    mean = float(np.median(acc))
    known = [_chance(acc, classes, majority, floor)] if classes and classes >= 2 else []
    if not flat:
        words = say("val.acc_moves", a=float(acc[0]), b=float(acc[-1]))
        chance = known or [Finding("val.acc_at_chance", False, words)]
        return [*chance, Finding("val.acc_at_majority", False, words)]
    guess = curves.chance_classes(mean)
    # the same accuracy at every evaluation is one predicted class, unless it is perfect
    identical = float(acc.max() - acc.min()) <= IDENTICAL_ACCURACY and mean < 1 - CHANCE_MARGIN
    if identical and classes and known and known[0].value is False and majority is None:
        # one class predicted for everything scores that class's share, whatever 1/C is: a
        # guess's accuracy on these data (set 201's multi-label lace CNN: 0.426 at all ten
        # evaluations against a five-wide head's 0.2)
        known = [Finding("val.acc_at_chance", True,
                         say("val.acc_one_class_chance", mean=mean, n=int(acc.size), k=classes,
                             chance=1.0 / classes),
                         {"classes": classes, "final": mean, "chance": mean})]
    found = known or [Finding("val.acc_at_chance", True if guess else UNKNOWN,
                              say("val.acc_stays_guess", mean=mean, k=guess) if guess
                              else say("val.acc_stays_unknown", mean=mean),
                              {"classes": guess})]
    found.append(Finding("val.acc_at_majority", True if identical else UNKNOWN,
                         say("val.acc_identical", mean=mean, n=int(acc.size)) if identical
                         else say("val.acc_near", mean=mean)))
    if identical and classes and classes >= 2:
        # one class predicted for everything scores that class's share of the validation
        # data: under an even share it is a minority class, which no imbalance favours
        even = 1.0 / classes
        found.append(Finding("val.one_class_is_a_minority", mean < MINORITY_SHARE * even,
                             say("val.one_class_share", mean=mean, even=even, k=classes)))
    return found


#: One predicted class scoring under this share of an even split (1 / classes) is a minority.
MINORITY_SHARE = 0.85


def _start_end(series: Series) -> tuple[float, float, np.ndarray] | None:
    """A series' level at its start and at its end (:func:`.curves.level`) and its finite
    values; None for fewer than three of them."""
    finite = series.values[np.isfinite(series.values)]
    if finite.size < 3:
        return None
    return curves.level(finite, True), curves.level(finite, False), finite


#: Two evaluations in a row at this multiple of chance or more (and :data:`BEAT_CHANCE_BY`
#: above it) is held-out data the model once scored: labels that carry a signal.
BEAT_CHANCE_TIMES = 1.6
BEAT_CHANCE_BY = 0.15


def _val_beat_chance_once(val_acc: Series | None, classes: int | None,
                          majority: float | None = None) -> Finding | None:
    """``val.acc_beat_chance_once``: at two consecutive evaluations validation accuracy stood
    at :data:`BEAT_CHANCE_TIMES` chance or more (and :data:`BEAT_CHANCE_BY` above it) — a
    model that scored held-out data by its labels at some point, whatever it ends at; a pair,
    not one evaluation, so one lucky draw of a small validation set does not count. With
    imbalanced classes chance is the largest class's share, as for ``val.acc_at_chance``
    (always predicting it scores that, by the labels or not), and the bar above it is
    2 × :data:`BEAT_CHANCE_BY` of the room left — which also caps the bar for balanced classes
    (0.65 for two, not 0.8). None without classes or three evaluations."""
    acc = accuracy_fractions(val_acc)
    if acc is None or acc.size < 3 or not classes or classes < 2:
        return None
    chance = max(1.0 / classes, majority or 0.0)
    pairs = np.minimum(acc[:-1], acc[1:])
    best = int(np.argmax(pairs))
    level = float(pairs[best])
    # the room-left bar caps the multiple: for two balanced classes 1.6 × 0.5 would ask for
    # 0.8, beyond what an imbalanced pair needs above the same share
    room = chance + BEAT_CHANCE_BY * (1.0 - chance) * 2
    bar = min(max(BEAT_CHANCE_TIMES * chance, chance + BEAT_CHANCE_BY), room) \
        if chance <= 1.0 / classes else room
    return Finding("val.acc_beat_chance_once", level >= bar,
                   say("val.acc_beat_chance_once", level=level, first=best + 1, bar=bar,
                       chance=chance, k=classes))


#: A validation accuracy under this share of a guess's is wrong on purpose, not untrained.
BELOW_GUESS = 0.5


def _val_below_guess(val_acc: Series | None, loss: Series | None, classes: int | None
                     ) -> Finding | None:
    """``val.acc_below_guess``: validation accuracy ends under half of a uniform guess's
    (1 / classes; 0.5 for a one-output model) while the training loss fell by a fifth or
    more. A model that learnt nothing sits at chance; one that learns and gets held-out data
    wrong more often than a coin has learnt the opposite of what is scored (pairs or labels
    flipped, class ids mapped differently, a loss whose sign rewards the wrong answer)."""
    acc = accuracy_fractions(val_acc)
    levels = _start_end(loss) if loss is not None else None
    if acc is None or not classes or classes < 2 or levels is None:
        return None
    a, b, _ = levels
    final, chance = float(np.median(acc[-3:])), 1.0 / classes
    fell = a > 0 and b <= 0.8 * a
    below = fell and final < BELOW_GUESS * chance
    words = say("val.acc_below_guess" if below else "val.acc_not_below_guess", final=final,
                chance=chance, k=classes, a=float(a), b=float(b))
    return Finding("val.acc_below_guess", bool(below), words)


def _train_accuracy_findings(acc: Series | None, classes: int | None) -> list[Finding]:
    """``train.acc_end``: where the training accuracy ends (median of the last three points).
    ``train.acc_below_chance``: the training accuracy ends below half of chance (1 / the
    number of classes). A model that learns nothing sits at chance; one that is wrong more
    often than a guess on the very batches it trains on predicts the class of the batches
    before: each batch holds one class. Without a training accuracy the end is unknown (not
    missing: rules that need it to be low or absent can then conclude)."""
    values = accuracy_fractions(acc)
    if values is None:
        return [Finding("train.acc_end", UNKNOWN, say("train.no_accuracy"))]
    end = float(np.median(values[-3:]))
    found = [Finding("train.acc_end", end, say("train.acc_last", value=end, n=int(values.size)))]
    if not classes or classes < 2:
        return found
    chance = 1.0 / classes
    return found + [Finding("train.acc_below_chance", end < chance / 2,
                            say("train.acc_end", value=end, chance=chance, k=classes))]


def _accuracy_gap(acc: Series | None, val_acc: Series | None) -> Finding:
    """``train_val.acc_gap``: the training accuracy's end minus the validation accuracy's
    (medians of the last three points each); unknown without both."""
    train, val = accuracy_fractions(acc), accuracy_fractions(val_acc)
    if train is None or val is None:
        return Finding("train_val.acc_gap", UNKNOWN, say("train_val.no_acc_pair"))
    a, b = float(np.median(train[-3:])), float(np.median(val[-3:]))
    return Finding("train_val.acc_gap", a - b, say("train_val.acc_gap", train=a, val=b,
                                                    gap=a - b))


#: A training accuracy below this share of chance, at a point where validation beats chance,
#: is systematically wrong on its own batches, not merely untrained.
DIP_BELOW_CHANCE = 0.7


def _train_dips_below_chance(acc: Series | None, val_acc: Series | None,
                             classes: int | None) -> Finding | None:
    """``train.acc_dips_below_chance``: at some logged point the training accuracy is below
    :data:`DIP_BELOW_CHANCE` of chance while the validation accuracy logged at the same step
    is above chance. Held-out data scored better than a guess means the model has learnt
    something; being wrong more often than a guess on the batches it trains on then means
    each batch holds what the model did not just learn — one class, when the data is sorted
    by label and never shuffled. None without both accuracies at shared steps."""
    train, val = accuracy_fractions(acc), accuracy_fractions(val_acc)
    if acc is None or val_acc is None or train is None or val is None or not classes or \
            classes < 2:
        return None
    rows, t, v = _paired(acc, val_acc)
    if rows.size < 3:
        return None
    t = t / 100.0 if train.max() > 1.5 else t  # on the scale _fractions read them at
    v = v / 100.0 if val.max() > 1.5 else v
    chance = 1.0 / classes
    dips = (t < DIP_BELOW_CHANCE * chance) & (v > chance)
    if not dips.any():
        lowest = int(np.argmin(t))
        return Finding("train.acc_dips_below_chance", False,
                       say("train.acc_lowest", value=float(t[lowest]), chance=chance,
                           k=classes, where=acc.where(int(rows[lowest]))))
    first = int(np.argmax(dips))
    return Finding("train.acc_dips_below_chance", True,
                   say("train.acc_dips", value=float(t[first]), val=float(v[first]),
                       chance=chance, k=classes, where=acc.where(int(rows[first])),
                       n=int(dips.sum()), m=int(rows.size)))


def _configured_lr(lr: Series) -> float | None:
    """The learning rate the run was configured with, where the log's folder says it: the HF
    Trainer's ``training_args.bin`` beside its ``trainer_state.json`` (read as data)."""
    args_file = lr.source.parent / "training_args.bin"
    if lr.source.name != "trainer_state.json" or not args_file.is_file():
        return None
    from .train_args import read_pickled_args

    value = read_pickled_args(args_file).get("learning_rate")
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 and \
            math.isfinite(value):
        return float(value)
    return None


def _lr_zero_findings(lr: Series, values: np.ndarray) -> list[Finding]:
    """A learning rate logged as 0 at every point: a schedule that reached 0 before the first
    logged step when the run was configured with a positive rate; else it cannot tell."""
    configured = _configured_lr(lr)
    if configured is None:
        return [Finding("lr.decays", UNKNOWN, say("lr.zero_unknown", n=values.size,
                                                   file=lr.source.name))]
    words = say("lr.zero_all_logged", n=values.size, first=at(lr, 0), lr=configured,
                file=lr.source.name)
    return [Finding("lr.decays", True, words, {"configured": configured}),
            Finding("lr.vanished_share", 1.0, words, {"configured": configured})]


#: A warm-up that ends at the last logged point after growing the rate this many times over
#: never reached the rate it was meant to warm up to.
WARMUP_GROWTH = 3.0
#: … and is still rising after this share of the logged points.
WARMUP_LATE = 0.8


def _warming_up(values: np.ndarray) -> Finding:
    """``lr.still_warming_up``: the learning rate climbs to its last logged value (its peak,
    at least :data:`WARMUP_GROWTH` times the first, never falling on the way): the warm-up
    outlasted the run, which trained at a fraction of its rate."""
    first, last, peak = float(values[0]), float(values[-1]), float(values.max())
    rising = bool(np.all(np.diff(values) >= -1e-12 * max(abs(peak), 1e-30)))
    # still climbing over the last fifth of the points: a warm-up that reached its rate at
    # epoch 5 of 60 and held it is over (a Poincaré embedding's 0.1 → 1 had read as unending)
    late = float(values[int(WARMUP_LATE * (values.size - 1))])
    warming = rising and last >= peak and first > 0 and last >= WARMUP_GROWTH * first \
        and last > (1 + 1e-3) * late
    return Finding("lr.still_warming_up", warming,
                   say("lr.warming_to_end" if warming else "lr.warmup_done", a=first, b=last,
                       n=values.size))


def logged_warmup_unfinished(inputs: Inputs, ctx: ProbeContext) -> bool:
    """Whether the run's log has its learning rate still warming up at its end
    (``lr.still_warming_up``); False when the log cannot be read or logs no rate."""
    try:
        lr = read_logs(inputs.logs, ctx).get("lr")
    except (InputError, ProbeError):
        return False
    values = lr.values[np.isfinite(lr.values)] if lr is not None else np.array([])
    return values.size >= 3 and _warming_up(values).value is True


def _logged_loss(inputs: Inputs, ctx: ProbeContext) -> Series | None:
    """The training loss of the run's logs, for a probe that reads the checkpoint; None
    without logs or when they cannot be read (the log probe says why)."""
    if not inputs.logs:
        return None
    try:
        return read_logs(inputs.logs, ctx).get("loss")
    except (InputError, ProbeError):
        return None


def logged_last_step(inputs: Inputs, ctx: ProbeContext) -> float | None:
    """The last optimizer step the run's log records (its loss's last step, when the log
    has a row per step, not per epoch); None when the log cannot be read or counts epochs."""
    loss = _logged_loss(inputs, ctx)
    if loss is None or loss.steps.size < 2 or _per_epoch(loss):
        return None
    return float(loss.steps[-1])


def logged_loss_peak(inputs: Inputs, ctx: ProbeContext) -> float | None:
    """The largest finite training loss the run's log records; None when the log cannot be
    read, holds fewer than three finite points, or goes below 0 anywhere (no error or
    cross-entropy does)."""
    loss = _logged_loss(inputs, ctx)
    finite = loss.values[np.isfinite(loss.values)] if loss is not None else np.array([])
    if finite.size < 3 or float(finite.min()) < 0:
        return None
    return float(finite.max())


#: A logged learning rate below this share of the first epoch's peak before that epoch ends …
LR_COLLAPSE_SHARE = 0.01
#: … in a run of at least this many epochs: a schedule planned in epochs, stepped per batch.
LR_COLLAPSE_EPOCHS = 3


#: The fact's horizon: the first this many optimizer steps (or the first epoch, if longer) …
LR_COLLAPSE_STEPS = 1000
#: … read only while it ends before this share of the run's logged steps (a short run whose
#: schedule reaches 0 by design gets there at its end).
LR_COLLAPSE_RUN_SHARE = 0.5


def _lr_collapse_in_first_epoch(lr: Series) -> Finding | None:
    """``loop.lr_collapsed_early`` from a learning rate logged several times an epoch: below
    1 % of its peak by the end of the first epoch or of the first 1000 steps, whichever is
    later, in a run of three epochs or more whose logged steps go on past twice that horizon
    (a schedule that ends at 0 by design gets there at the run's end, not early); in a run
    too short for that horizon, by the end of the first epoch or, read as a log without
    epochs, within the run's first quarter to stay there (StepLR(10, 0.5) stepped per batch:
    under 1 % by step 72 of 640); None when the log holds one row an epoch or too few
    epochs, or when a short run's first epoch fell tenfold from its first row
    (:func:`_falling_from_first_row`: the start is not logged). A log with no epoch column
    is read by :func:`_lr_collapse_without_epochs`."""
    if lr.epochs is None:
        return _lr_collapse_without_epochs(lr)
    keep = np.isfinite(lr.values) & np.isfinite(lr.epochs) & np.isfinite(lr.steps)
    values, epochs, steps = lr.values[keep], lr.epochs[keep], lr.steps[keep]
    if values.size < 4 or np.unique(epochs).size < LR_COLLAPSE_EPOCHS:
        return None
    in_first = epochs == epochs.min()
    first = values[in_first]
    horizon = max(float(steps[in_first].max()), LR_COLLAPSE_STEPS)
    early = steps <= horizon
    if horizon > LR_COLLAPSE_RUN_SHARE * float(steps.max()) or \
            int(early.sum()) <= max(first.size, 2):
        if first.size < 3 or float(first.max()) <= 0:
            return None
        peak, end = float(first.max()), float(first[-1])
        if end >= LR_COLLAPSE_SHARE * peak:  # a short run: under 1 % within its first quarter?
            quarter = _lr_collapse_without_epochs(lr)
            if quarter is not None and quarter.value:
                return quarter
            if _falling_from_first_row(first):
                return None
        return Finding("loop.lr_collapsed_early", end < LR_COLLAPSE_SHARE * peak,
                       say("lr.first_epoch", a=peak, b=end, n=int(first.size),
                           epochs=int(np.unique(epochs).size), share=LR_COLLAPSE_SHARE))
    window = values[early]
    peak, end = float(window.max()), float(window[-1])
    if peak <= 0:
        return None
    return Finding("loop.lr_collapsed_early", end < LR_COLLAPSE_SHARE * peak,
                   say("lr.early_steps", a=peak, b=end, n=int(window.size),
                       step=int(steps[early][-1]), epochs=int(np.unique(epochs).size)))


#: A first epoch whose logged rate already fell to this share of its first row …
LR_FIRST_EPOCH_FALL = 0.1


def _falling_from_first_row(first: np.ndarray) -> bool:
    """True when the first epoch's logged rate is highest at its first row and has fallen to
    a tenth of it by the epoch's end: the rate was falling before the first row was written
    (MultiStepLR([8, 14], 0.1) stepped per batch, logged every 8 batches: 3e-4 then 3e-5,
    from a start of 3e-3), so the start is not in the log and "stayed above 1 % of its
    start" cannot be read from it."""
    tenth = LR_FIRST_EPOCH_FALL * float(first[0]) * (1 + 1e-9)  # 3e-4 × 0.1 in floating point
    return int(np.argmax(first)) == 0 and float(first[-1]) <= tenth


#: With no epoch column, the rate must fall below 1 % of its peak within the first 1000
#: steps and within this share of the logged steps (a schedule that ends at 0 by design gets
#: there at the run's end; step decays of 0.1 at a third and two thirds reach 1 % at two
#: thirds; warm restarts climb back, which the next condition catches), …
LR_COLLAPSE_NO_EPOCH_SHARE = 0.25
#: … stay there for this share of the rows after, …
LR_COLLAPSE_STAYS = 0.9
#: … in a log of at least this many learning-rate rows.
LR_COLLAPSE_MIN_ROWS = 20


def _lr_collapse_without_epochs(lr: Series) -> Finding | None:
    """``loop.lr_collapsed_early`` from a learning rate logged with steps but no epochs (an
    ExponentialLR(0.9) stepped per batch: under 1 % of its start by step 44 of 600): true
    when it falls under 1 % of its peak within the first 1000 steps and the first quarter of
    the run and stays there; None for a short log."""
    keep = np.isfinite(lr.values) & np.isfinite(lr.steps)
    values, steps = lr.values[keep], lr.steps[keep]
    if values.size < LR_COLLAPSE_MIN_ROWS:
        return None
    top = int(np.argmax(values))
    peak = float(values[top])
    if peak <= 0:
        return None
    horizon = min(float(LR_COLLAPSE_STEPS), LR_COLLAPSE_NO_EPOCH_SHARE * float(steps.max()))
    below = np.flatnonzero(values[top:] < LR_COLLAPSE_SHARE * peak) + top
    if below.size == 0:
        return Finding("loop.lr_collapsed_early", False,
                       say("lr.no_collapse", a=peak, b=float(values.min()),
                           total=int(steps.max())))
    first = int(below[0])
    stays = float((values[first:] < LR_COLLAPSE_SHARE * peak).mean()) >= LR_COLLAPSE_STAYS
    return Finding("loop.lr_collapsed_early", bool(float(steps[first]) <= horizon and stays),
                   say("lr.collapse_at", a=peak, b=float(values[first]),
                       step=int(steps[first]), total=int(steps.max()),
                       share=Pct(float(steps[first]) / max(float(steps.max()), 1.0))))


#: A rate below this share of its peak barely trains …
LR_TINY_SHARE = 0.01
#: … and when it stays there for this share of the logged points after the peak …
LR_TINY_STRETCH = 0.4
#: … while the training loss moves by less than this share of its level, the run stalled —
#: when the schedule's first cut (the rate below this share of its peak) came while the loss
#: was still falling by this share over its last four points.
LR_TINY_LOSS_MOVE = 0.02
LR_CUT_SHARE = 0.99
LR_CUT_WHILE_FALLING = 0.05


def _stalled_at_a_tiny_rate(lr: Series | None, loss: Series | None) -> list[Finding]:
    """``lr.stalled_at_a_tiny_rate``: the logged rate sank below 1 % of its peak for 40 % or
    more of the points after the peak, the training loss moved by under 2 % over that
    stretch, and the schedule's first cut came while the loss was still falling (5 % or more
    over its last four points) — the schedule took the rate away while there was still
    something to learn (a cosine or step schedule reaches 1 % of its peak only near the end;
    a plateau schedule on the right metric cuts once the loss has flattened)."""
    if lr is None or loss is None:
        return []
    ok = np.isfinite(lr.values)
    steps, values = lr.steps[ok], lr.values[ok]
    if values.size < 5 or not values.max() > 0:
        return []
    top = int(np.argmax(values))
    after_steps, after = steps[top:], values[top:]
    if after.size < 4:
        return []
    tiny = np.flatnonzero(after < LR_TINY_SHARE * float(values.max()))
    share = float(tiny.size / after.size) if tiny.size else 0.0
    since = float(after_steps[tiny[0]]) if tiny.size else math.inf
    kept = np.isfinite(loss.values) & (loss.steps >= since)
    stretch = loss.values[kept]
    if share < LR_TINY_STRETCH or stretch.size < 3:
        return [Finding("lr.stalled_at_a_tiny_rate", False,
                        say("lr.tiny_share", share=Pct(share), limit=LR_TINY_SHARE))]
    third = max(1, stretch.size // 3)
    a, b = float(np.median(stretch[:third])), float(np.median(stretch[-third:]))
    moved = abs(a - b) / max(abs(a), 1e-12)
    # the first cut came while the loss was still falling: a schedule that waits for a
    # plateau (ReduceLROnPlateau on the right metric) cuts only once the loss has flattened
    cut = np.flatnonzero(after < LR_CUT_SHARE * float(values.max()))
    before = loss.values[np.isfinite(loss.values) & (loss.steps <= after_steps[cut[0]])] \
        if cut.size else np.array([])
    falling = before.size >= 2 and float(before[-min(4, before.size)] - before[-1]) >= \
        LR_CUT_WHILE_FALLING * abs(float(before[-min(4, before.size)]))
    stalled = moved < LR_TINY_LOSS_MOVE and falling
    words = "lr.tiny_stalled" if stalled else "lr.tiny_still_learning" \
        if moved >= LR_TINY_LOSS_MOVE else "lr.tiny_after_a_plateau"
    return [Finding("lr.stalled_at_a_tiny_rate", stalled,
                    say(words, share=Pct(share), limit=LR_TINY_SHARE, step=since, a=a, b=b,
                        moved=Pct(moved)))]


def _lr_findings(lr: Series | None) -> list[Finding]:
    if lr is None or np.isfinite(lr.values).sum() < 2:
        return []
    values = lr.values[np.isfinite(lr.values)]
    peak = float(values.max())
    if peak == 0.0 and float(values.min()) == 0.0:
        return _lr_zero_findings(lr, values)
    decays = bool(values[-1] < LR_DECAY_FRACTION * peak)
    words = (say("lr.constant", a=float(values[0]), n=values.size)
             if float(values.min()) == peak else
             say("lr.goes", a=float(values[0]), peak=peak, b=float(values[-1])))
    found = [Finding("lr.decays", decays, words), _warming_up(values)]
    if (collapse := _lr_collapse_in_first_epoch(lr)) is not None:
        found.append(collapse)
    if peak > 0:
        after = values[int(np.argmax(values)):]
        share = float((after < LR_VANISHED_FRACTION * peak).mean())
        found.append(Finding("lr.vanished_share", share,
                             say("lr.vanished", limit=LR_VANISHED_FRACTION,
                                 share=Pct(share))))
        found.append(Finding("setup.lr_final_ratio", float(values[-1]) / peak,
                             say("lr.final_ratio", last=float(values[-1]), peak=peak)))
        found.append(Finding("lr.peak", peak, say("lr.final_ratio", last=float(values[-1]),
                                                  peak=peak)))
    return found


#: The loss fell "through its penalty" when it fell by half or more, the penalty part to a
#: tenth of its start or less, the data part by under a tenth, and the penalty was the larger
#: part at the start.
PENALTY_GONE, DATA_FLAT, LOSS_HALVED = 0.1, 0.9, 0.5


#: A validation set is counted from its accuracies only up to this many samples (beyond,
#: logged rounding hides the step), and from this many distinct values.
COUNTED_UP_TO, COUNTED_VALUES = 500, 5


def _accuracy_steps(acc: Series | None, every_trial: np.ndarray | None = None
                    ) -> Finding | None:
    """``val.size_from_accuracy``: the validation set's size where every logged validation
    accuracy is a whole number of 1/n (the smallest such n up to :data:`COUNTED_UP_TO`, over
    :data:`COUNTED_VALUES` distinct values or more, allowing the log's rounding to four
    decimals); None otherwise (an accuracy averaged over batches of unequal size, a large
    set). A search log's trials all score the one validation set: ``every_trial``, their
    accuracies together, counts it where the best trial alone has too few distinct values."""
    if acc is None:
        return None
    values = acc.values[np.isfinite(acc.values)]
    if every_trial is not None and np.isfinite(every_trial).any():
        values = every_trial[np.isfinite(every_trial)]
    if values.size and float(values.max()) > 1.0:
        values = values / 100.0
    distinct = np.unique(np.round(values, 6))
    if distinct.size < COUNTED_VALUES or distinct.min() < 0 or distinct.max() > 1:
        return None
    for n in range(2, COUNTED_UP_TO + 1):
        counts = distinct * n
        if np.all(np.abs(counts - np.round(counts)) <= n * 5.01e-5 + 1e-9):
            example = float(distinct[len(distinct) // 2])
            return Finding("val.size_from_accuracy", float(n),
                           say("val.accuracy_steps", n=n, example=example,
                               count=round(example * n), k=int(distinct.size)))
    return None


def _penalty_levels(metrics: Metrics) -> tuple[tuple[float, float], tuple[float, float],
                                                tuple[float, float], Series, str] | None:
    """The start and end levels of the training loss, its data term (a loss part or
    ``recon``) and its penalty — the logged penalty column, or what the total has beyond a
    reconstruction term where the log has neither a penalty nor a KL column (an
    autoencoder's reconstruction is its whole task; a loss part's rest may be another task's
    loss) — with the data series and the penalty's column name ("" for the rest); None
    without a loss and a data term with three finite points each."""
    loss, penalty = metrics.get("loss"), metrics.get("penalty")
    data = metrics.get("recon") or next(iter(metrics.parts.values()), None)
    if loss is not None and penalty is not None and data is None:
        return _loss_beside_penalty(loss, penalty)
    if loss is None or data is None or \
            (penalty is None and (metrics.get("kl") is not None or data.name != "recon")):
        return None
    levels = _start_end_levels(loss, data) if penalty is None else \
        _start_end_levels(loss, data, penalty)
    if levels is None:
        return None
    (l0, l1), (d0, d1) = levels[0], levels[1]
    rest = levels[2] if penalty is not None else (l0 - d0, l1 - d1)
    return (l0, l1), (d0, d1), rest, data, penalty.column if penalty is not None else ""


def _start_end_levels(*series: Series) -> list[tuple[float, float]] | None:
    """Each series' level at its start and at its end (finite values); None when one has
    fewer than three finite points."""
    levels = []
    for one in series:
        finite = one.values[np.isfinite(one.values)]
        if finite.size < 3:
            return None
        levels.append((curves.level(finite, True), curves.level(finite, False)))
    return levels


def _loss_beside_penalty(loss: Series, penalty: Series
                         ) -> tuple[tuple[float, float], tuple[float, float],
                                    tuple[float, float], Series, str] | None:
    """A logged loss beside a penalty column and no other part: the loss is the data term
    when it starts below the penalty (a total is never smaller than a part of it — set
    224's hand-written L2 logged as mse 1.37 beside l2 5.2), and the total their sum; None
    when the loss may be the total."""
    if (levels := _start_end_levels(loss, penalty)) is None:
        return None
    (d0, d1), (p0, p1) = levels
    if not 0 <= d0 < p0 or min(p0, p1, d1) < 0:
        return None
    return (d0 + p0, d1 + p1), (d0, d1), (p0, p1), loss, penalty.column


def _penalty_named(column: str) -> Said:
    """How the evidence names the penalty: its logged column, or the rest of the total."""
    return say("loss.penalty_part", column=column) if column else say("loss.penalty_rest")


def _fall_through_penalty(metrics: Metrics) -> Finding | None:
    """``loss.fall_is_penalty``: whether the training loss fell only because its penalty term
    shrank (an L1 sparsity term driven to 0 by a model that stopped fitting: the data term
    flat) — None without a penalty (see :func:`_penalty_levels`)."""
    if (levels := _penalty_levels(metrics)) is None:
        return None
    (l0, l1), (d0, d1), (p0, p1), data, penalty = levels
    if min(l0, d0) <= 0 or (penalty and p0 <= 0):
        return None
    through = l1 <= LOSS_HALVED * l0 and p1 <= PENALTY_GONE * p0 and d1 >= DATA_FLAT * d0 \
        and p0 >= d0
    return Finding("loss.fall_is_penalty", through,
                   say("loss.penalty_fall", a=l0, b=l1, data=data.column, d0=d0, d1=d1,
                       penalty=_penalty_named(penalty), p0=p0, p1=p1))


def _penalty_fall_share(metrics: Metrics) -> Finding | None:
    """``loss.penalty_fall_share``: the share of the training loss's fall that its penalty
    (see :func:`_penalty_levels`) made. An L1 or L2 penalty written a thousand times too
    strong is most of the loss at the start, and the run spends itself shrinking the weights
    (and with them the penalty) while the data term falls a little. None unless the loss
    fell by half or more and the penalty was the larger part at the start."""
    if (levels := _penalty_levels(metrics)) is None:
        return None
    (l0, l1), (d0, d1), (p0, p1), data, penalty = levels
    if min(l0, d0) <= 0 or l1 > LOSS_HALVED * l0 or p0 < d0:
        return None
    share = (p0 - p1) / (l0 - l1)
    return Finding("loss.penalty_fall_share", share,
                   say("loss.penalty_fall_share", a=l0, b=l1, data=data.column, d0=d0, d1=d1,
                       p0=p0, p1=p1, share=Pct(share), penalty=_penalty_named(penalty)))


def _parts_share(metrics: Metrics) -> Finding | None:
    """``loss.parts_share``: the logged parts of the training loss (``loss_cls``,
    ``loss_box`` …) added up, over the total, at the start and at the end (the larger of the
    two). Far under 1, most of what the run minimised is a term the log does not show — a
    penalty added by hand. None without a total, a part, or three finite points in each; and
    with a penalty column (:func:`_fall_through_penalty` reads that)."""
    loss = metrics.get("loss")
    if loss is None or not metrics.parts or metrics.get("penalty") is not None:
        return None
    if (levels := _start_end_levels(loss, *metrics.parts.values())) is None:
        return None
    (t0, t1), parts = levels[0], levels[1:]
    if min(t0, t1) <= 0 or any(min(p) < 0 for p in parts):
        return None
    start, end = sum(p[0] for p in parts), sum(p[1] for p in parts)
    share = max(start / t0, end / t1)
    return Finding("loss.parts_share", share,
                   say("loss.parts_share", parts=[p.column for p in metrics.parts.values()],
                       start=start, end=end, t0=t0, t1=t1, column=loss.column,
                       share=Pct(share)))


def curve_findings(metrics: Metrics, classes: int | None = None,
                   majority: float | None = None, head_width: int | None = None,
                   single_label: int | None = None, majority_floor: float | None = None,
                   guess_classes: int | None = None) -> list[Finding]:
    """Every fact the curves of ``metrics`` establish; ``classes``: the number of classes,
    when known (it makes chance level exact); ``majority``: the largest class's share in the
    batch, ``majority_floor`` the lowest the held-out data's plausibly is; ``head_width``: the
    checkpoint's output width (one output and a logged accuracy is a binary classifier);
    ``single_label``: the number of classes when the batch's targets are class indices (one
    class per sample); ``guess_classes``: the classes a guess's loss is ln of where no
    count of classes is known (2: a BCE on each of several labels) — the loss is measured
    against it, no accuracy is."""
    loss, val = metrics.get("loss"), metrics.get("val_loss")
    val_acc, grad = metrics.get("val_acc"), metrics.get("grad_norm")
    if metrics.get("recon") is not None or metrics.get("kl") is not None:
        # a reconstruction plus a KL (a VAE), or a KL alone (distillation): no cross-entropy
        # over the head's width, so no guess's ln C to measure it against
        classes = single_label = guess_classes = None
    reference_classes = classes or (2 if head_width == 1 else None)
    loss_classes = classes or guess_classes  # what a guess pays, ln of it
    loss_reference = reference_classes or guess_classes
    found: list[Finding] = []
    if loss is not None:
        found += _settled_below_a_kl(_loss_findings(loss), loss, loss_reference)
        found += _train_exactly_zero(loss)
        found += [level] if (level := _regression_level(loss)) is not None else []
        if _regression_named(loss.column):  # a regression error: no class to ask about
            found.append(Finding("loss.named_as_regression", True,
                                 say("loss.named_as_regression", column=loss.column,
                                     file=loss.source.name)))
        named_kl = next((series for series in (loss, val, metrics.get("val_kl"))
                         if series is not None and _KL_NAME.search(series.column.lower())), None)
        if named_kl is not None:  # the loss is a KL divergence, by its own column's name
            found.append(Finding("loss.named_kl", True,
                                 say("loss.named_kl", column=named_kl.column,
                                     file=named_kl.source.name)))
        found += _went_negative(loss, val)
        floor = None if _regression_named(loss.column) else \
            _logit_loss_floor(loss.values, single_label)
        found += [floor] if floor is not None else []
        # a classifier's starting loss has a known level; a regression's depends on its targets
        scored = val_acc is not None or metrics.get("acc") is not None or \
            _CROSS_ENTROPY_NAME.search(loss.column.lower()) is not None
        if scored and loss_reference and loss.values.size:
            found += _initial_loss_vs_chance(loss, loss_reference)
            if (uniform := _uniform_over_another_axis(loss, loss_reference)) is not None:
                found.append(uniform)
        if (density := _density_nll(loss, scored)) is not None:
            found.append(density)
        if (kl := _kl_named(loss)) is not None:
            found.append(kl)
        found += _spike_findings(loss, grad)
        if (two_levels := one_class_levels(loss, _per_epoch(loss), loss_reference,
                                           _regression_named(loss.column))) is not None:
            found.append(two_levels)
        if (onset := onset_finding(loss, grad, _per_epoch(loss), val)) is not None:
            found.append(onset)
        if (steady := steady_finding(loss, _per_epoch(loss), val)) is not None:
            found.append(steady)
        if (blowup := blowup_step_finding(loss, _per_epoch(loss))) is not None:
            found.append(blowup)
        found.append(Finding("train.step", float(loss.steps[-1]),
                             say("train.last_epoch" if _per_epoch(loss) else "train.last_step",
                                 file=loss.source.name)))
    if grad is not None and \
            (accumulates := accumulation_finding(grad, _per_epoch(grad))) is not None:
        found.append(accumulates)
    if grad is not None and (first := first_norm_finding(grad)) is not None:
        found.append(first)
    found += _validation_findings(_paired_training(metrics, loss, val), val, val_acc,
                                  _warm_restarts(metrics.get("lr")), single_label,
                                  metrics.get("acc"))
    if metrics.trials is not None:
        found.append(Finding("log.trials", float(metrics.trials),
                             say("log.trials", n=metrics.trials)))
    if (steps := _accuracy_steps(val_acc, metrics.trial_accuracies)) is not None:
        found.append(steps)
    if (share := _parts_share(metrics)) is not None:
        found.append(share)
    if (penalty := _fall_through_penalty(metrics)) is not None:
        found.append(penalty)
    if (fall := _penalty_fall_share(metrics)) is not None:
        found.append(fall)
    if loss is not None and not _regression_named(loss.column) and \
            (trained := _training_end_over_a_guess(loss, loss_classes)) is not None:
        found.append(trained)
    if val is not None and not _regression_named(val.column) and \
            (guess := _val_never_beat_a_guess(val, loss_classes)) is not None:
        found.append(guess)
        if (first_guess := _best_was_the_first_guess(val, loss_classes)) is not None:
            found.append(first_guess)
        if (low_at_chance := _val_loss_low_at_chance(val, val_acc, classes)) is not None:
            found.append(low_at_chance)
    if loss is not None and val_acc is not None and \
            (follows := _metric_follows(loss.values, val_acc.values, classes)) is not None:
        found.append(follows)
    if val_acc is not None and (fell := _val_accuracy_fell(val_acc)) is not None:
        found.append(fell)
    if loss is not None and val_acc is not None and \
            (falls := _metric_falls_before_nan(loss, val_acc)) is not None:
        found.append(falls)
        if (train_acc := metrics.get("acc")) is not None and \
                (rose := _training_accuracy_rose(train_acc)) is not None:
            found.append(rose)
    elif loss is not None and (db := metrics.get("val_db_score")) is not None and \
            (falls := _metric_falls(loss.values, db.values, DB_FALL, db.column)) is not None:
        found.append(falls)
    if loss is not None and not _regression_named(loss.column) and \
            (rests := _rests_on_floor(loss.values, metrics.get("acc") or val_acc, classes,
                                      _values(metrics.get("val_loss")))
             ) is not None:
        found.append(rests)
    elif loss is not None and classes is None and not _regression_named(loss.column) and \
            (rests := _rests_on_floor_of_its_start(loss, metrics.get("acc") or val_acc,
                                                   _values(metrics.get("val_loss")))
             ) is not None:
        found.append(rests)
    if loss is not None and not _regression_named(loss.column) and \
            (accurate := _high_while_accurate(loss.values, metrics.get("acc") or val_acc,
                                              classes)) is not None:
        found.append(accurate)
    accuracy = _accuracy_findings(val_acc, classes, majority, majority_floor)
    if guess_classes == 2 and classes is None:
        accuracy = _multi_label_accuracy(accuracy, val_acc)
    found += _nan_outputs_one_class(
        _one_class_by_balanced_recall(accuracy, val_acc, metrics.get("val_balanced"), classes),
        loss, val)
    if (below := _val_below_guess(val_acc, loss, reference_classes)) is not None:
        found.append(below)
    if val is not None and not _regression_named(val.column) and \
            (shares := _val_loss_above_the_shares(val, found, classes)) is not None:
        found.append(shares)
    if (once := _val_beat_chance_once(val_acc, classes, majority)) is not None:
        found.append(once)
    found += _train_accuracy_findings(metrics.get("acc"), classes)
    if (swings := swings_once_fitted(metrics.get("acc"), val_acc)) is not None:
        found.append(swings)
    found.append(_accuracy_gap(metrics.get("acc"), val_acc))
    if (dips := _train_dips_below_chance(metrics.get("acc"), val_acc, classes)) is not None:
        found.append(dips)
    found += _lr_findings(metrics.get("lr"))
    found += _stalled_at_a_tiny_rate(metrics.get("lr"), loss)
    found += _val_identical(val)
    found += _r2_findings(metrics.get("val_r2"))
    found += _corr_findings(metrics.get("val_corr"))
    found += _test_findings(metrics)
    found += _kl_findings(metrics.get("kl"), metrics.get("recon"))
    recall = metrics.get("val_recall")
    found += _nan_outputs_predict_nothing(_recall_findings(recall), loss, val, recall)
    if (split := _sign_split(loss, val)) is not None:
        found.append(split)
    if (held := _val_loss_non_finite_while_scored(
            val, [val_acc, metrics.get("val_f1"), metrics.get("val_recall")], loss)) is not None:
        found.append(held)
    found += _recall_bound(metrics.get("val_recall"), val or loss)
    found += _nan_outputs_predict_nothing(_recall_zero_while_learning(recall, val_acc, val),
                                          loss, val, recall)
    found += _score_findings(loss, val, metrics.get("val_score"))
    if (apart := _train_score_apart(metrics.get("score"), metrics.get("val_score"))) is not None:
        found.append(apart)
    found += _metric_converged(val_acc or metrics.get("val_score"))
    found += _step_time_findings(metrics.get("step_time"))
    found += _reward_findings(metrics.get("reward"))
    f1 = metrics.get("val_f1") or recall
    found += _nan_outputs_predict_nothing(_f1_below_accuracy(f1, val_acc), loss, val, f1)
    found += _nan_outputs_predict_nothing(_rare_class_missed(recall, val_acc), loss, val, recall)
    levels = _part_levels(loss, metrics.parts)
    found += _part_findings(levels)
    weighted = _weighted_parts(loss, metrics.parts)
    if weighted is not None:
        found += _light_task_lagging(weighted, metrics.parts)
    found += _weighted_task_ratio(weighted) if weighted is not None else \
        _task_ratio(levels, loss.column if loss is not None else None,
                    other_logged=metrics.get("penalty") is not None)
    if weighted is None:
        found += _small_term_lagging(_first_epoch_starts(levels, loss, metrics.parts),
                                     loss.column if loss is not None else None)
    blew_up = _blew_up_before_first_eval(loss, val)
    if blew_up is not None:
        found.append(blew_up)
    if (raw := _one_output_raw_scale(loss, metrics, head_width,
                                     blew_up is not None and blew_up.value is True)) is not None:
        found.append(raw)
    return found


#: A first logged training loss this many times the first validation loss (the RMS error a
#: thousand times over: targets in raw units learnt within the first epoch reach a few
#: hundred times, set 287's blow-up under Adam at lr 0.5 1e12) …
FIRST_POINT_OVER_VAL = 1e6
#: … while the two end within this factor of each other: the training loss blew up before
#: the first evaluation and came back (a loss summed over the batch stays that far above).
ENDS_WITHIN = 10.0


def _blew_up_before_first_eval(loss: Series | None, val: Series | None) -> Finding | None:
    """``loss.blew_up_before_first_eval``: the first logged training loss (an epoch's mean, as
    a rule) is :data:`FIRST_POINT_OVER_VAL` times the first validation loss or more, and the
    two end within :data:`ENDS_WITHIN` of each other — the model the first evaluation scored
    was no worse than the training loss later says, so the first point's size is steps that
    blew up inside the first epoch, not targets in raw units; None without both losses."""
    if loss is None or val is None:
        return None
    train = loss.values[np.isfinite(loss.values)]
    held = val.values[np.isfinite(val.values)]
    if train.size < 3 or held.size < 3 or held[0] <= 0 or held[-1] <= 0 or train[-1] <= 0:
        return None
    first, end = float(train[0] / held[0]), float(train[-1] / held[-1])
    value = first >= FIRST_POINT_OVER_VAL and end <= ENDS_WITHIN
    return Finding("loss.blew_up_before_first_eval", value,
                   say("loss.blew_up_first" if value else "loss.no_first_blowup",
                       a=float(train[0]), v=float(held[0]), b=float(train[-1]),
                       w=float(held[-1]), times=Times(first)))


#: A one-output regressor's first loss at or above this is in its targets' raw units …
RAW_SCALE_LOSS = 1000.0
#: … unless the loss ends this many times lower or more, at unit scale (:data:`UNIT_SCALE_END`
#: or less): no real targets are fitted to within a hundred-thousandth of their mean square,
#: so the start was steps that blew up and came back (set 348's accumulated micro-batches:
#: 5.7e7 at the start, 1.0 at the end). Raw inputs that drove the first outputs huge leave the
#: end high (set 326's orifice readings: 1.8e7 to 92).
RAW_SCALE_FALL = 1e5
UNIT_SCALE_END = 10.0


def _one_output_raw_scale(loss: Series | None, metrics: Metrics, head_width: int | None,
                          blew_up: bool = False) -> Finding | None:
    """``loss.one_output_raw_scale``: a model with one output and no accuracy logged (a
    regressor) whose training loss starts at 1000 or more: an output layer starting near 0
    scores about E[y²] (MSE) or E|y| (L1), so the targets are in the tens or hundreds, not
    standardised — unless the loss ``blew_up`` before the first evaluation, which scored the
    same targets far lower."""
    if loss is None or head_width != 1 or metrics.get("acc") is not None or \
            metrics.get("val_acc") is not None or (levels := _start_end(loss)) is None:
        return None
    # the first logged loss too: a rate far too high lifts the loss to thousands within
    # steps of a first loss near 1
    start, end, finite = levels
    large = bool(start >= RAW_SCALE_LOSS and finite[0] >= RAW_SCALE_LOSS)
    if large and not blew_up and 0 < end <= min(UNIT_SCALE_END, start / RAW_SCALE_FALL):
        return Finding("loss.one_output_raw_scale", False,
                       say("loss.one_output_came_back", a=start, b=end, times=Times(start / end)))
    raw = large and not blew_up
    return Finding("loss.one_output_raw_scale", raw,
                   say("loss.one_output_raw" if raw else "loss.one_output_scaled", a=start,
                       limit=RAW_SCALE_LOSS))


#: A part of the loss that rises by this share of its start while another part falls …
PART_RISE = 0.3
#: … by at least this share of its own start.
PART_FALL = 0.5
#: Parts that are no task of their own: adversarial players, regularisers, auxiliary
#: balancing terms, a KL or entropy term …
_NOT_TASK_WORDS = ("g", "d", "gen", "disc", "generator", "discriminator", "adv", "gan", "l1",
                   "l2", "weight", "decay", "aux", "balance", "kl", "kld", "entropy", "commit",
                   "vq", "penalty")
_NOT_A_TASK = re.compile(rf"(^|_)({'|'.join(_NOT_TASK_WORDS)})(_|$)")
#: … which may rise in healthy training, as may a ``reg`` term (a regulariser, though in a
#: multi-task log it may name a regression task).
_RISING_BY_DESIGN = re.compile(rf"(^|_)({'|'.join((*_NOT_TASK_WORDS, 'reg'))})(_|$)")


def _loss_columns(loss: Series | None, parts: dict[str, Series]) -> dict[str, Series]:
    """The training loss and each other training-loss column, by column."""
    return {s.column: s for s in ([loss] if loss is not None else []) + list(parts.values())}


def _part_levels(loss: Series | None, parts: dict[str, Series]
                 ) -> dict[str, tuple[float, float]]:
    """Start and end level of the training loss and of each other training-loss column, by
    column (those with three or more finite values)."""
    return {column: found[:2] for column, series in _loss_columns(loss, parts).items()
            if (found := _start_end(series)) is not None}


def _part_findings(levels: dict[str, tuple[float, float]]) -> list[Finding]:
    """``loss.part_rises_while_others_fall``: with several training-loss columns (a
    detector's cls_loss and box_loss, with or without their sum), one part's level ends 30 %
    or more above its start while another falls by half. One optimizer steps all of them;
    a part that climbs while the rest fall is a head the loss's gradient does not reach
    (its prediction detached) or a term too small to matter in the sum."""
    if len(levels) < 2:
        return []
    rising = [(c, a, b) for c, (a, b) in levels.items()
              if a > 0 and b >= (1 + PART_RISE) * a and not _RISING_BY_DESIGN.search(c)]
    falling = [(c, a, b) for c, (a, b) in levels.items() if a > 0 and b <= (1 - PART_FALL) * a]
    below = [c for c, (a, _) in levels.items() if a <= 0]
    if rising and not falling and below:  # a part below zero cannot be judged to fall
        return [Finding("loss.part_rises_while_others_fall", UNKNOWN,
                        say("loss.parts_below_zero", columns=", ".join(below)))]
    if not rising or not falling:
        return [Finding("loss.part_rises_while_others_fall", False,
                        say("loss.parts_move_together", columns=", ".join(levels)))]
    (up, a, b), (down, c, d) = rising[0], falling[0]
    return [Finding("loss.part_rises_while_others_fall", True,
                    say("loss.part_rises", up=up, a=a, b=b, down=down, c=c, d=d),
                    {"rising": up, "falling": down})]


#: A total that a weighted sum of its logged parts reproduces to within this share, at every
#: row, is that weighted sum …
WEIGHTED_FIT = 0.02
#: … and its weights matter when one is at least this many times another.
WEIGHTS_APART = 5.0


def _weighted_parts(loss: Series | None, parts: dict[str, Series]
                    ) -> tuple[str, dict[str, float], dict[str, float]] | None:
    """(total's column, weight per part, weighted end level per part) when the training loss
    is a weighted sum of two or more logged task parts whose weights differ by
    :data:`WEIGHTS_APART` or more (``loss = churn_bce + 200 × spend_mse``); None otherwise."""
    if loss is None:
        return None
    tasks = {c: p for c, p in parts.items()
             if not _NOT_A_TASK.search(c) and p.values.size == loss.values.size}
    if len(tasks) < 2:
        return None
    columns = list(tasks)
    matrix = np.column_stack([tasks[c].values for c in columns])
    rows = np.isfinite(loss.values) & np.isfinite(matrix).all(axis=1)
    if rows.sum() < max(4, len(columns) + 2):
        return None
    a, b = matrix[rows], loss.values[rows]
    weights, *_ = np.linalg.lstsq(a, b, rcond=None)
    fitted = a @ weights
    if (weights <= 0).any() or \
            np.max(np.abs(fitted - b) / np.maximum(np.abs(b), 1e-12)) > WEIGHTED_FIT:
        return None
    if weights.max() < WEIGHTS_APART * weights.min():
        return None
    ends = {c: float(w) * float(np.median(tasks[c].values[rows][-3:]))
            for c, w in zip(columns, weights, strict=True)}
    return loss.column, {c: float(w) for c, w in zip(columns, weights, strict=True)}, ends


#: Task weights this many times apart, …
LIGHT_TASK_WEIGHTS_APART = 20.0
#: … with the lighter task's loss falling by less than this share of the heavier one's fall
#: (each as a share of its own start), leave the lighter task behind.
LIGHT_TASK_LAG = 0.5


def _light_task_lagging(weighted: tuple[str, dict[str, float], dict[str, float]],
                        parts: dict[str, Series]) -> list[Finding]:
    """``loss.light_task_lagging``: in a total that is a weighted sum of its logged task
    parts with weights :data:`LIGHT_TASK_WEIGHTS_APART` or more apart, whether the lightest
    task's own loss fell by less than :data:`LIGHT_TASK_LAG` of the heaviest one's relative
    fall — the optimizer all but ignores a task weighted that little."""
    _, weights, _ = weighted
    heavy, light = max(weights, key=weights.__getitem__), min(weights, key=weights.__getitem__)
    if weights[heavy] < LIGHT_TASK_WEIGHTS_APART * weights[light]:
        return []

    def fall(column: str) -> float | None:
        values = parts[column].values[np.isfinite(parts[column].values)]
        if values.size < 4 or values[0] <= 0:
            return None
        return 1.0 - float(np.median(values[-3:])) / float(values[0])

    a, b = fall(heavy), fall(light)
    if a is None or b is None or a <= 0:
        return []
    return _lag_finding("light_task", light, heavy, weights[heavy] / weights[light], b, a)


def _lag_finding(words: str, light: str, heavy: str, ratio: float, fell_light: float,
                 fell_heavy: float) -> list[Finding]:
    """``loss.light_task_lagging``: the light task's relative fall under :data:`LIGHT_TASK_LAG`
    of the heavy one's; ``words``: ``light_task`` (apart by weight) or ``small_term`` (by
    scale), whose ``…_lagging`` / ``…_keeps_up`` messages say so."""
    lagging = fell_light < LIGHT_TASK_LAG * fell_heavy
    return [Finding("loss.light_task_lagging", lagging,
                    say(f"loss.{words}_lagging" if lagging else f"loss.{words}_keeps_up",
                        light=light, heavy=heavy, ratio=Times(ratio), b=Pct(fell_light),
                        a=Pct(fell_heavy)))]


def _first_epoch_starts(levels: dict[str, tuple[float, float]], loss: Series | None,
                        parts: dict[str, Series]) -> dict[str, tuple[float, float]]:
    """``levels`` with a per-epoch column's start taken from its first row where that is
    higher: a row sums up a whole epoch, no spike, and the first one holds the scale the
    terms started at, which the median of three rows loses when the first epoch already
    fell far (set 324's shaft CNN: a deviation MSE of 189 in epoch 0, 2.0 and 0.4 after)."""
    every = _loss_columns(loss, parts)
    out = dict(levels)
    for column, (start, end) in levels.items():
        series = every.get(column)
        if series is None or not _per_epoch(series):
            continue
        finite = series.values[np.isfinite(series.values)]
        if finite.size and float(finite[0]) > start:
            out[column] = (float(finite[0]), end)
    return out


def _small_term_lagging(levels: dict[str, tuple[float, float]], main: str | None
                        ) -> list[Finding]:
    """``loss.light_task_lagging`` for task losses added as they come: the task whose term
    starts :data:`LIGHT_TASK_WEIGHTS_APART` or more times below another's in the total
    (an MSE in raw millimetres beside a cross-entropy) fell by less than
    :data:`LIGHT_TASK_LAG` of that one's relative fall — a scale does what a weight does."""
    starts = {c: (a, b) for c, (a, b) in levels.items()
              if c != main and a > 0 and b >= 0 and not _NOT_A_TASK.search(c)}
    if len(starts) < 2:
        return []
    heavy = max(starts, key=lambda c: starts[c][0])
    light = min(starts, key=lambda c: starts[c][0])
    (a0, a1), (b0, b1) = starts[heavy], starts[light]
    if a0 < LIGHT_TASK_WEIGHTS_APART * b0:
        return []
    fell_heavy, fell_light = 1.0 - a1 / a0, 1.0 - b1 / b0
    if fell_heavy <= 0:
        return []
    return _lag_finding("small_term", light, heavy, a0 / b0, fell_light, fell_heavy)


def _weighted_task_ratio(weighted: tuple[str, dict[str, float], dict[str, float]]
                         ) -> list[Finding]:
    """``loss.multi_task`` and ``loss.task_loss_ratio`` from a total that is a weighted sum of
    its logged task parts: the ratio of the weighted terms the optimizer sees at the end."""
    total, weights, ends = weighted
    big, small = max(ends, key=ends.__getitem__), min(ends, key=ends.__getitem__)
    ratio = ends[big] / ends[small] if ends[small] > 0 else float("inf")
    if not math.isfinite(ratio):
        return []
    formula = " + ".join(f"{num(w)} × {c}" for c, w in weights.items())
    return [Finding("loss.multi_task", True, say("loss.tasks", columns=", ".join(weights))),
            Finding("loss.task_loss_ratio", ratio,
                    say("loss.task_ratio_weighted", total=total, formula=formula, big=big,
                        a=ends[big], small=small, b=ends[small], ratio=Times(ratio)))]


def _task_ratio(levels: dict[str, tuple[float, float]], main: str | None,
                other_logged: bool = False) -> list[Finding]:
    """``loss.multi_task`` and ``loss.task_loss_ratio`` measured: two or more task losses
    logged side by side (a classifier's and a regressor's), and the largest end level over the
    smallest. The main loss (column ``main``) counts as a task unless it is their sum (its
    level within 5 % of the parts' summed levels)."""
    ends = {c: end for c, (_, end) in levels.items()
            if c != main and end > 0 and not _NOT_A_TASK.search(c)}
    if main is not None and main in levels and (total := levels[main][1]) > 0 and \
            abs(total - sum(ends.values())) > 0.05 * total:
        if len(ends) == 1 and not other_logged and \
                all(levels[main][i] >= levels[c][i] for c in ends for i in (0, 1)):
            # one logged part below the total at start and end, and nothing else logged: the
            # total holds that part and a term not logged (a penalty) — no second task shown
            return []
        ends[main] = total
    if len(ends) < 2:
        return []
    big, small = max(ends, key=ends.__getitem__), min(ends, key=ends.__getitem__)
    ratio = ends[big] / ends[small]
    return [Finding("loss.multi_task", True, say("loss.tasks", columns=", ".join(ends))),
            Finding("loss.task_loss_ratio", ratio,
                    say("loss.task_ratio", big=big, a=ends[big], small=small,
                        b=ends[small], ratio=ratio))]


#: A logged rate at least this multiple of the one before, after falling below half of its
#: peak so far, is a warm restart (SGDR, cosine with restarts), not a warm-up.
RESTART_JUMP = 2.0


def _warm_restarts(lr: Series | None) -> int:
    """How often the logged learning rate restarts: it jumps ≥ :data:`RESTART_JUMP`× after
    falling below half of its peak so far (a warm-up only climbs)."""
    if lr is None:
        return 0
    values = lr.values[np.isfinite(lr.values)]
    peaks = np.maximum.accumulate(values)
    return sum(1 for i in range(1, values.size)
               if values[i] >= RESTART_JUMP * values[i - 1] > 0
               and values[i - 1] < 0.5 * peaks[i - 1])


#: A validation recall or F1 at or below this at the end: the class is never predicted.
RECALL_ZERO = 0.02


def _recall_findings(recall: Series | None) -> list[Finding]:
    """``val.recall_zero``: the logged validation recall (or F1) of the class that matters
    ends at about 0 — the model never predicts it, whatever its accuracy says."""
    if recall is None:
        return []
    values = accuracy_fractions(recall)
    if values is None:
        return []
    final = float(np.median(values[-3:]))
    return [Finding("val.recall_zero", final <= RECALL_ZERO,
                    say("val.recall", name=recall.column, final=final, n=values.size))]


#: The validation accuracy gains at least this much, or the validation loss loses at least
#: this share of its first level, over the evaluations: the model learns the other classes.
LEARNS_THE_REST = 0.1
LOSS_SHARE_LOST = 0.3
#: A recall (or F1) at or under this at every evaluation: the class is (all but) never
#: predicted — one hit in twenty of its samples at most.
RECALL_NEVER = 0.05


def _learns(val_acc: Series | None, val: Series | None) -> tuple[bool, str, float, float] | None:
    """Whether the run learns, read from the validation accuracy (a gain of 0.1 or more) or
    else the validation loss (30 % of its first level lost): (learns, column, first, last)."""
    accuracy = accuracy_fractions(val_acc) if val_acc is not None else None
    gain = None
    if val_acc is not None and accuracy is not None and accuracy.size >= 3:
        first, last = float(np.median(accuracy[:3])), float(np.median(accuracy[-3:]))
        gain = (last - first >= LEARNS_THE_REST, val_acc.column, first, last)
        if gain[0]:
            return gain
    losses = val.values[np.isfinite(val.values)] if val is not None else np.empty(0)
    if val is not None and losses.size >= 3 and losses[0] > 0:
        first, last = float(np.median(losses[:3])), float(np.median(losses[-3:]))
        return last <= (1 - LOSS_SHARE_LOST) * first, val.column, first, last
    return gain


def _recall_zero_while_learning(recall: Series | None, val_acc: Series | None,
                                val: Series | None) -> list[Finding]:
    """``val.recall_zero_while_learning``: the logged recall (or F1) of one class stays at
    about 0 (0.05 or less) at every evaluation, three or more, while the run learns — the
    validation accuracy gains 0.1 or more, or the validation loss loses 30 % of its first
    level: the model learns the other classes and never this one. A recall 0 throughout a run
    that learns nothing at all says nothing of the class (false)."""
    values = accuracy_fractions(recall) if recall is not None else None
    if recall is None or values is None or values.size < 3:
        return []
    if values.max() > RECALL_NEVER:
        return [Finding("val.recall_zero_while_learning", False,
                        say("val.recall_not_always_zero", name=recall.column,
                            best=float(values.max()), n=values.size))]
    if (learning := _learns(val_acc, val)) is None:
        return []
    learns, column, first, last = learning
    return [Finding("val.recall_zero_while_learning", learns,
                    say("val.recall_zero_learning" if learns else "val.recall_zero_flat",
                        name=recall.column, n=values.size, other=column, a=first, b=last))]


#: A positive share bounded at or under this by a zero recall at a low loss is imbalance.
RARE_SHARE = 0.05


def _recall_bound(recall: Series | None, loss: Series | None) -> list[Finding]:
    """``val.recall_zero_at_low_loss``: at an evaluation where the logged recall (or F1) is
    about 0, every sample of that class was scored under 0.5 and paid a cross-entropy of at
    least ln 2; a mean loss L there bounds the class's share of the samples by L / ln 2. A
    bound of 5 % or less is a rare class the model learnt to ignore (a detector's anchors:
    recall 0 at a loss of 0.03 bounds the positives to 4 %)."""
    if recall is None or loss is None or _regression_named(loss.column) or \
            accuracy_fractions(recall) is None:
        return []
    rows, losses, recalls = _paired(loss, recall)
    if recalls.size and recalls.max() > 1.5:  # percentages
        recalls = recalls / 100.0
    zero = recalls <= RECALL_ZERO
    if rows.size < 3 or not zero.any():
        return []
    at = int(np.argmin(np.where(zero, losses, np.inf)))
    share = float(losses[at]) / math.log(2)
    if share <= 0:
        return []
    return [Finding("val.recall_zero_at_low_loss", share <= RARE_SHARE,
                    say("val.recall_bound", recall=recall.column, loss=loss.column,
                        value=float(losses[at]), share=Pct(min(share, 1.0)),
                        n=int(zero.sum()), total=int(rows.size)))]


#: A validation score "sinks to 0" when it ends at or below this (on a 0–1 scale) and at a
#: quarter of its best or less, while the training loss loses at least half its level.
SCORE_ENDS_AT = 0.05
SCORE_SHARE_OF_BEST = 0.25


def _score_findings(loss: Series | None, val: Series | None, score: Series | None
                    ) -> list[Finding]:
    """``metric.loss_is_the_score``: the validation loss is, value for value, a validation
    score that grows with quality (Dice, IoU, AUC) — the loss is the score itself, so
    minimising it makes the model worse. ``metric.score_collapses``: such a score stays near 0
    (ends at about 0, a quarter of its best or less) while the training loss falls by half
    or more."""
    values = accuracy_fractions(score)
    if score is None or values is None:
        return []
    found: list[Finding] = []
    if val is not None:
        rows, a, b = _paired(val, score)
        if rows.size >= 3:
            same = bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))
            found.append(Finding("metric.loss_is_the_score", same,
                                 say("metric.loss_is_score" if same else "metric.loss_not_score",
                                     loss=val.column, score=score.column, n=int(rows.size))))
    train = loss.values[np.isfinite(loss.values)] if loss is not None else np.array([])
    if train.size >= 6 and loss is not None:
        early, late = _half_medians(train)
        fell = early > 0 and late <= 0.5 * early
        sank = float(values[-1]) <= min(SCORE_ENDS_AT, SCORE_SHARE_OF_BEST * float(values.max()))
        found.append(Finding("metric.score_collapses", bool(fell and sank),
                             say("metric.score_collapses" if fell and sank else
                                 "metric.score_holds", score=score.column,
                                 top=float(values.max()), end=float(values[-1]),
                                 a=early, b=late)))
    if values.size >= 3 and "auc" not in score.column.lower():  # an AUC's floor is 0.5
        never = float(values.max()) <= SCORE_NEVER_ABOVE
        found.append(Finding("metric.score_never_above_zero", never,
                             say("metric.score_zero_throughout" if never else
                                 "metric.score_above_zero", score=score.column,
                                 n=int(values.size), top=float(values.max()))))
    elif values.size >= 3 and float(np.ptp(values)) > 0:  # one value each time: tied scores
        chance = bool(np.all(np.abs(values - 0.5) <= AUC_CHANCE_BAND))
        found.append(Finding("metric.auc_at_chance", chance,
                             say("metric.auc_chance" if chance else "metric.auc_learns",
                                 score=score.column, n=int(values.size),
                                 low=float(values.min()), top=float(values.max()))))
    return found


#: A validation score (IoU, Dice, F1, mAP) that never rises above this at any evaluation: the
#: model never once predicted the positive class where it belongs.
SCORE_NEVER_ABOVE = 1e-3
#: A training score (Dice, IoU) ending at or above this …
TRAIN_SCORE_GOOD = 0.5
#: … beside a validation score never above this share of it, at every evaluation.
VAL_SCORE_APART = 0.1


def _train_score_apart(score: Series | None, val_score: Series | None) -> Finding | None:
    """``metric.train_score_good_val_none``: the training score (a segmenter's running Dice)
    ends at 0.5 or more while the same kind of score on the validation data stays under a
    tenth of it at every evaluation, the first included — the model finds on its training
    data what it never finds on the validation data (a camera, a gain, a region it never
    saw); None without both scores."""
    train, val = accuracy_fractions(score), accuracy_fractions(val_score)
    if score is None or val_score is None or train is None or val is None:
        return None
    end = float(np.median(train[-3:]))
    top = float(val.max())
    apart = end >= TRAIN_SCORE_GOOD and top <= VAL_SCORE_APART * end
    return Finding("metric.train_score_good_val_none", apart,
                   say("metric.scores_apart" if apart else "metric.scores_together",
                       train=score.column, val=val_score.column, end=end, top=top,
                       n=int(val.size)))


#: A validation AUC within this of 0.5 at every evaluation ranks positives no better than a
#: coin: the scores carry nothing about the labels.
AUC_CHANCE_BAND = 0.05


#: A reward whose last quarter sits below its start by at least this share of the curve's
#: range (the median of the last quarter against that of the first three points — a policy
#: made worse falls within its first updates; at least :data:`REWARD_POINTS` finite points)
#: has fallen. A flat, noisy reward passes it by chance about once in a hundred curves.
REWARD_FALL = 0.4
#: … and well above it (this share of its span, and a fifth of where it started): the policy
#: learnt, whatever its surrogate loss column does.
REWARD_RISE = 0.5
REWARD_POINTS = 8
REWARD_START_POINTS = 3


def _reward_findings(reward: Series | None) -> list[Finding]:
    """``metric.reward_falls``: a logged reward or return whose last quarter sits well below
    its first — training made the policy worse than where it started; ``metric.reward_rises``:
    well above it — the policy learnt."""
    values = reward.values[np.isfinite(reward.values)] if reward is not None else np.array([])
    if reward is None or values.size < REWARD_POINTS:
        return []
    early = float(np.median(values[:REWARD_START_POINTS]))
    late = float(np.median(values[-(values.size // 4):]))
    drop, span = early - late, float(values.max() - values.min())
    fell = bool(span > 0 and drop >= REWARD_FALL * span and drop >= 0.05 * abs(early))
    rose = bool(span > 0 and -drop >= REWARD_RISE * span and -drop >= 0.2 * abs(early))
    return [Finding("metric.reward_falls", fell,
                    say("metric.reward_falls" if fell else "metric.reward_holds",
                        reward=reward.column, a=early, b=late, n=int(values.size))),
            Finding("metric.reward_rises", rose,
                    say("metric.reward_rises" if rose else "metric.reward_holds",
                        reward=reward.column, a=early, b=late, n=int(values.size)))]


#: An F1 at most this while the accuracy is at least :data:`F1_ACCURATE`: the accuracy is
#: carried by the negatives (the majority), the positives are hardly ever predicted.
F1_LOW = 0.25
F1_ACCURATE = 0.9


def _ends_beside_accuracy(score: Series | None, acc: Series | None
                         ) -> tuple[float, float] | None:
    """Where a class score (F1, recall) and the validation accuracy end, as fractions (the
    medians of their last three evaluations); None without both."""
    scores, accs = accuracy_fractions(score), accuracy_fractions(acc)
    if scores is None or accs is None:
        return None
    return float(np.median(scores[-3:])), float(np.median(accs[-3:]))


def _f1_below_accuracy(f1: Series | None, acc: Series | None) -> list[Finding]:
    """``metric.f1_far_below_accuracy``: the validation F1 (or the class's recall) ends at
    :data:`F1_LOW` or less while the validation accuracy ends at :data:`F1_ACCURATE` or
    more (medians of the last three evaluations)."""
    ends = _ends_beside_accuracy(f1, acc)
    if f1 is None or ends is None:
        return []
    end_f1, end_acc = ends
    low = end_f1 <= F1_LOW and end_acc >= F1_ACCURATE
    return [Finding("metric.f1_far_below_accuracy", low,
                    say("metric.f1_below_acc" if low else "metric.f1_with_acc",
                        name=f1.column, f1=end_f1, acc=end_acc))]


#: A class recall at most this while accuracy bounds the class's share by
#: :data:`RARE_CLASS_BOUND`: the class is rare (its share is at most (1 − accuracy) /
#: (1 − recall)) and mostly missed.
RECALL_MOSTLY_MISSED = 0.5
RARE_CLASS_BOUND = 0.2


def _rare_class_missed(recall: Series | None, acc: Series | None) -> list[Finding]:
    """``metric.rare_class_mostly_missed``: a class's own logged recall (the lowest of one
    per class) ends at :data:`RECALL_MOSTLY_MISSED` or less while the validation accuracy
    bounds that class's share of the data by :data:`RARE_CLASS_BOUND` or less (medians of
    the last three evaluations): wrong on most of a class yet right on so many samples bounds
    the class's share by (1 − accuracy) / (1 − recall). Not read from an F1 (precision
    enters it)."""
    ends = _ends_beside_accuracy(recall, acc)
    if recall is None or ends is None or "f1" in recall.column.lower():
        return []
    end_recall, end_acc = ends
    share = (1 - end_acc) / (1 - end_recall) if end_recall < 1 else 1.0
    # the bound, not the accuracy, says the class is rare: 0.889 with a recall of 0.145 bounds
    # it by 0.13 (set 348's removal orders, 4 % of the entries)
    missed = end_recall <= RECALL_MOSTLY_MISSED and share <= RARE_CLASS_BOUND
    return [Finding("metric.rare_class_mostly_missed", missed,
                    say("metric.rare_class_missed" if missed else "metric.class_recall_held",
                        name=recall.column, recall=end_recall, acc=end_acc, share=share))]


#: Evaluations a validation loss must be bit-identical at to count as frozen.
IDENTICAL_EVALS = 3


#: A held-out score that made at least this share of its whole gain by the middle of the run
#: has levelled off …
CONVERGED_SHARE = 0.9
#: … when its best is at least this many times its first value: it learnt, then levelled (a
#: score that crept from 0.16 to 0.23 and stalled is no finished run — a rate too low did it).
CONVERGED_GAIN = 2.0
#: Evaluations a held-out score needs before its course is read.
CONVERGED_EVALS = 5


def _metric_converged(score: Series | None) -> list[Finding]:
    """``val.metric_converged``: the run's held-out score (validation accuracy, MRR, Dice …:
    higher is better) made :data:`CONVERGED_SHARE` of its gain by the middle evaluation and
    has been level since — a DistMult whose MRR went 0.043 → 0.208 by epoch 4 of 10 and
    0.219 at best. A learning rate too low leaves the score still climbing."""
    if score is None:
        return []
    values = score.values[np.isfinite(score.values)]
    if values.size < CONVERGED_EVALS:
        return []
    first, best = float(values[0]), float(values.max())
    gain = best - first
    if first < 0 or best < CONVERGED_GAIN * first or gain <= 0:
        return [Finding("val.metric_converged", False,
                        say("val.metric_little_gain", column=score.column, a=first, b=best))]
    middle = float(values[: values.size // 2 + 1].max())
    share = (middle - first) / gain
    converged = share >= CONVERGED_SHARE
    return [Finding("val.metric_converged", converged,
                    say("val.metric_by_middle", column=score.column, a=first, mid=middle,
                        b=best, share=Pct(share), n=int(values.size)))]


#: A logged step time that ends an epoch this many times above where it began …
STEP_TIME_GROWTH = 3.0
#: … in at least this many epochs, dropping back at each new one.
STEP_TIME_EPOCHS = 2


def _step_time_findings(times: Series | None) -> list[Finding]:
    """``runtime.step_time_grows``: the run's own logged time per step climbs within every
    epoch (its last eighth :data:`STEP_TIME_GROWTH` × its first or more, the second half
    above the first) and drops back when the next epoch starts, in :data:`STEP_TIME_EPOCHS` epochs
    or more: each step back-propagates through every step of the epoch before it — a
    recurrent state carried without ``detach()`` (reset each epoch) and kept alive by
    ``retain_graph=True``. Read from the log as data; a machine's load makes single values
    noisy, not this shape in every epoch."""
    if times is None or times.epochs is None:
        return []
    values, epochs = times.values, times.epochs
    keep = np.isfinite(values) & np.isfinite(epochs) & (values > 0)
    values, epochs = values[keep], epochs[keep]
    runs = [values[epochs == e] for e in np.unique(epochs)]
    runs = [r for r in runs if r.size >= 4]
    if len(runs) < STEP_TIME_EPOCHS:
        return []
    # an epoch's ends as the median of its first and last eighth (at least one step each): a
    # first step slowed by warm-up (set 225's 33.7 ms before 3.2 ms) is no end of its own
    heads = [float(np.median(r[:max(1, r.size // 8)])) for r in runs]
    tails = [float(np.median(r[-max(1, r.size // 8):])) for r in runs]
    climbing = [r for r, head, tail in zip(runs, heads, tails, strict=True)
                if tail >= STEP_TIME_GROWTH * head
                and np.median(r[r.size // 2:]) > np.median(r[: r.size // 2])]
    resets = sum(1 for tail, head in zip(tails, heads[1:], strict=False) if head < 0.5 * tail)
    grows = len(climbing) >= STEP_TIME_EPOCHS and len(climbing) == len(runs) and \
        resets >= len(runs) - 1
    return [Finding("runtime.step_time_grows", grows,
                    say("runtime.step_time_grows" if grows else "runtime.step_time_steady",
                        column=times.column, k=len(climbing), n=len(runs),
                        a=float(runs[0][0]), b=float(runs[0][-1])))]


def _train_exactly_zero(loss: Series) -> list[Finding]:
    """``loss.exactly_zero``: every logged training loss, from the first, is exactly 0 (at
    least three): no model starts at a perfect fit — a softmax or log-softmax over an axis
    of size 1 (each "distribution" is the single value 1, its log 0), a cross-entropy over
    one class, gives that number and no gradient."""
    finite = loss.values[np.isfinite(loss.values)]
    if finite.size < IDENTICAL_EVALS:
        return []
    zero = bool(np.all(finite == 0))
    return [Finding("loss.exactly_zero", zero,
                    say("loss.all_exactly_zero" if zero else "loss.not_all_zero",
                        n=int(finite.size), column=loss.column))]


def _val_identical(val: Series | None) -> list[Finding]:
    """``val.loss_identical``: the validation loss is the same number, to the last digit, at
    every evaluation: the model that was evaluated never changed (or its loss is degenerate);
    ``val.loss_exactly_zero`` (from two evaluations): that number is 0, a log-softmax over a
    dimension of size 1."""
    if val is None:
        return []
    finite = val.values[np.isfinite(val.values)]
    if finite.size < 2:
        return []
    zero = bool(np.all(finite == 0))
    found = [Finding("val.loss_exactly_zero", zero,
                     say("val.all_zero" if zero else "val.not_all_zero", n=int(finite.size)))]
    if finite.size < IDENTICAL_EVALS:
        return found
    same = bool(np.all(finite == finite[0]))
    words = say("val.identical", value=float(finite[0]), n=finite.size, column=val.column) \
        if same else say("val.changes", low=float(finite.min()), high=float(finite.max()),
                         n=finite.size, column=val.column)
    return [*found, Finding("val.loss_identical", same, words)]


#: R² within this band of 0 at every evaluation: the model scores what predicting the
#: targets' mean scores (a little below 0 is the mean of the training targets, not these)
R2_AT_ZERO = (-0.15, 0.1)
R2_EVALS = 3


def _pinned_score(series: Series | None, low: float, high: float, fact: str,
                  key: str) -> list[Finding]:
    """``fact`` true when a validation score stays within [low, high] at every evaluation
    (at least :data:`R2_EVALS`), with the words ``key.at_zero`` / ``key.not_at_zero``."""
    if series is None:
        return []
    finite = series.values[np.isfinite(series.values)]
    if finite.size < R2_EVALS:
        return []
    pinned = bool(np.all((finite >= low) & (finite <= high)))
    return [Finding(fact, pinned,
                    say(f"{key}.at_zero" if pinned else f"{key}.not_at_zero",
                        column=series.column, n=int(finite.size), low=float(finite.min()),
                        high=float(finite.max())))]


def _r2_findings(r2: Series | None) -> list[Finding]:
    """``val.r2_at_zero``: the validation R² never rises above the band's top and sits in
    the band at most evaluations (at least three, by their median): the model does no better
    than the targets' mean, whatever the loss reads — a mean predictor on a small set dips
    below the band now and then (set 270's pickling MLP: −0.21 to 0.055, median −0.02).
    False when it rises above the band (it explains part of the spread) or sits below it
    (worse than the mean)."""
    if r2 is None:
        return []
    finite = r2.values[np.isfinite(r2.values)]
    if finite.size < R2_EVALS:
        return []
    low, high = R2_AT_ZERO
    top, middle = float(finite.max()), float(np.median(finite))
    pinned = top <= high and middle >= low
    key = "r2.at_zero" if pinned else "r2.not_at_zero" if top > high else "r2.below_zero"
    return [Finding("val.r2_at_zero", pinned,
                    say(key, column=r2.column, n=int(finite.size), low=float(finite.min()),
                        high=top, middle=middle))]


#: A correlation within this band of 0 at every evaluation carries nothing about the targets.
CORR_AT_ZERO = 0.15


def _corr_findings(corr: Series | None) -> list[Finding]:
    """``val.corr_at_zero``: the validation correlation between predictions and targets
    (Pearson's or Spearman's) stays within ±0.15 at every evaluation (at least three): the
    predictions rank the targets no better than chance."""
    return _pinned_score(corr, -CORR_AT_ZERO, CORR_AT_ZERO, "val.corr_at_zero", "corr")


def _last(series: Series) -> tuple[float, int] | None:
    """The last finite value of a series and its index (None when it has none)."""
    finite = np.flatnonzero(np.isfinite(series.values))
    return (float(series.values[finite[-1]]), int(finite[-1])) if finite.size else None


def _test_findings(metrics: Metrics) -> list[Finding]:
    """The held-out test reading (a ``test_*`` column: Lightning's ``trainer.test()`` row)
    against the validation curve's last value — a search's best, the one it chose: a test far
    worse than validation means the validation numbers do not carry over."""
    found: list[Finding] = []
    for test_name, val_name, fact in (("test_loss", "val_loss", "test.loss_over_val"),
                                      ("test_acc", "val_acc", "test.acc_below_val")):
        test, val = metrics.get(test_name), metrics.get(val_name)
        if test is None or val is None:
            continue
        test_end, val_end = _last(test), _last(val)
        if test_end is None or val_end is None:
            continue
        if metrics.trials:  # a search keeps its best validation score: that is what it chose
            val_end = _best(val, higher=fact == "test.acc_below_val")
        values = {"test": test_end[0], "val": val_end[0], "test_at": at(test, test_end[1]),
                  "val_at": at(val, val_end[1]), "test_column": test.column,
                  "val_column": val.column}
        if fact == "test.loss_over_val":
            if val_end[0] <= 0 or test_end[0] < 0:
                continue  # a ratio of losses needs positive losses
            ratio = test_end[0] / val_end[0]
            found.append(Finding(fact, ratio, say(
                "test.loss_vs_best_val" if metrics.trials else "test.loss_vs_val",
                ratio=Times(ratio), **values)))
        else:
            test_acc = _fraction(test_end[0], test.values)
            val_acc = _fraction(val_end[0], val.values)
            drop = val_acc - test_acc
            found.append(Finding(fact, drop, say(
                "test.acc_vs_best_val" if metrics.trials else "test.acc_vs_val",
                drop=drop, **values)))
    return found


def _best(series: Series, higher: bool) -> tuple[float, int]:
    """The best finite value of a series (highest or lowest) and its index; the series has
    one."""
    finite = np.flatnonzero(np.isfinite(series.values))
    index = int(finite[np.argmax(series.values[finite]) if higher
                       else np.argmin(series.values[finite])])
    return float(series.values[index]), index


def _fraction(value: float, values: np.ndarray) -> float:
    """An accuracy as a fraction: a column logged in percent (values above 1) is divided."""
    return value / 100.0 if float(np.nanmax(values)) > 1.0 else value


#: A KL term counts as below zero under this (numerical noise of a KL near 0 aside).
KL_NEGATIVE_SLACK = 1e-3


def _kl_below_zero(kl: Series) -> Finding | None:
    """``loss.kl_part_negative``: a logged KL term (a VAE's, a distillation's ``kd_loss``)
    below zero at a third or more of its points — a KL divergence between two distributions
    never is: ``F.kl_div`` was given probabilities where it takes log-probabilities."""
    finite = kl.values[np.isfinite(kl.values)]
    if finite.size < 3:
        return None
    share = float((finite < -KL_NEGATIVE_SLACK).mean())
    negative = share >= 1 / 3
    return Finding("loss.kl_part_negative", negative,
                   say("loss.kl_part_below_zero" if negative else "loss.kl_part_not_negative",
                       column=kl.column, low=float(finite.min()), share=Pct(share)))


def _kl_findings(kl: Series | None, recon: Series | None) -> list[Finding]:
    """``loss.kl_collapsed``: a VAE's KL term (logged beside its reconstruction term) ends
    near 0, so the latent code carries next to no information about the input."""
    below = _kl_below_zero(kl) if kl is not None else None
    found = [below] if below is not None else []
    if kl is None or recon is None or (below is not None and below.value is True):
        return found  # a KL below zero is broken, not collapsed
    finite = kl.values[np.isfinite(kl.values)]
    recon_end = _last(recon)
    if finite.size < 2 or recon_end is None:
        return found
    end = float(np.median(finite[-3:]))
    start = float(finite[0])
    return [*found,
            Finding("loss.kl_collapsed", bool(0 <= end < KL_COLLAPSED),
                    say("loss.kl_end" if 0 <= end < KL_COLLAPSED else "loss.kl_end_healthy",
                        end=end, start=start, limit=KL_COLLAPSED,
                        column=kl.column, recon=recon_end[0], recon_column=recon.column,
                        k=min(3, finite.size)),
                    {"kl_end": end, "kl_start": start, "recon_end": recon_end[0]})]


def _scores_accuracy(metrics: Metrics) -> bool:
    """The log holds an accuracy (training or validation): the model classifies."""
    return metrics.get("val_acc") is not None or metrics.get("acc") is not None


def _classes(inputs: Inputs, ctx: ProbeContext, metrics: Metrics
             ) -> tuple[int | None, float | None, int | None, int | None, float | None,
                        int | None]:
    """The number of classes, the largest class's share, the output layer's width, the
    number of classes when the batch's targets are class indices and the lowest the
    held-out data's largest share plausibly is, from the checkpoint and batch when given
    (else None); one output whose log scores an accuracy is a binary classifier's logit:
    two classes; several outputs under a loss the log names a BCE are labels of their own
    (multi-label): no count of classes, but a guess's loss of ln 2 on each (the sixth
    element, what the loss is measured against)."""
    try:
        from .task_info import classes_for, head_width, majority_floor, majority_share, single_label

        classes = classes_for(inputs, ctx)
        majority = majority_share(inputs, ctx, classes) if classes else None
        floor = majority_floor(inputs, ctx, majority)
        width = head_width(inputs, ctx)
        single = single_label(inputs, ctx, classes)
    except Exception as exc:  # optional here: any failure only leaves chance level unknown
        ctx.notes.append(say("note.classes_unknown", error=f"{type(exc).__name__}: {exc}"))
        return None, None, None, None, None, None
    if classes is None and width == 1 and _scores_accuracy(metrics):
        classes = 2
    if single is None and inputs.batch is None and classes is not None and classes > 2 and \
            width == classes and _categorical_ce_logged(metrics) and _scores_accuracy(metrics):
        # no batch shows the targets, but a log that scores an accuracy and names its loss a
        # cross-entropy, not a binary one, over the head's C outputs trains one class per
        # sample (set 416's acrospire CNN: ``ce`` and ``val_acc`` beside a 4-wide head)
        single = classes
    if classes is not None and classes > 2 and _binary_ce_logged(metrics):
        # a BCE per output (multi-label): a guess pays ln 2 on each, not ln C; its
        # accuracy (per label, exact match or a share of both) has no chance level read here
        return None, None, width, single, floor, 2
    return classes, majority, width, single, floor, None


def _val_at_prior(inputs: Inputs, ctx: ProbeContext, metrics: Metrics, classes: int | None
                  ) -> Finding | None:
    """``val.loss_at_the_shares`` for a classifier's validation loss, priced by the batch's
    class-index targets (see :mod:`.prior_cost`); None without them."""
    val = metrics.get("val_loss")
    if inputs.batch is None or not classes or val is None or _regression_named(val.column) \
            or metrics.get("recon") is not None or metrics.get("kl") is not None:
        return None
    try:
        from .task_info import batch_targets

        targets = batch_targets(inputs, ctx)
    except Exception:  # noqa: BLE001 - an unreadable batch is said by the probes that need it
        return None
    return val_at_prior_finding(val, shares_entropy(targets, classes))


def _categorical_ce_logged(metrics: Metrics) -> bool:
    """Whether the log names its training loss a cross-entropy that is not a binary one."""
    loss = metrics.get("loss")
    return loss is not None and _CROSS_ENTROPY_NAME.search(loss.column.lower()) is not None \
        and _BINARY_CE_NAME.search(loss.column.lower()) is None


def _binary_ce_logged(metrics: Metrics) -> bool:
    """Whether the log names its training or validation loss a binary cross-entropy."""
    return any(series is not None and _BINARY_CE_NAME.search(series.column.lower()) is not None
               for series in (metrics.get("loss"), metrics.get("val_loss")))


def probe_curves(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Read every log the user gave and classify its loss, validation and lr curves."""
    if not inputs.logs:
        raise ProbeError(err("probe.needs", option="--log"))
    ctx.progress(0.0, say("progress.reading_logs"))
    try:
        metrics = read_logs(inputs.logs, ctx)
    except InputError as exc:
        # a log that names no metric dldoctor knows refuses the run only when it is all
        # there is to examine: beside a checkpoint or a model, those are still examined
        message = exc.message
        others = inputs.checkpoint or inputs.model or inputs.batch or inputs.trace
        if not (isinstance(message, ErrorText) and message.key == "log.no_columns" and others):
            raise
        raise ProbeError(err("log.no_columns_skipped", **message.values)) from None
    ctx.notes.extend(metrics.unused)
    ctx.check()
    classes = _classes(inputs, ctx, metrics)
    findings = curve_findings(metrics, *classes)
    if (prior := _val_at_prior(inputs, ctx, metrics, classes[0])) is not None:
        findings.append(prior)
    if metrics.layer_grads is not None:
        first, last = metrics.layer_grads
        _, a, b = _paired(first, last)
        findings += layer_grad_findings((first.column, a), (last.column, b))
    ctx.progress(1.0, say("progress.classified", n=len(metrics.series)))
    return findings
