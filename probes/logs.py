"""Read metrics logs (CSV, JSON-lines, TensorBoard) into named series.

Column names vary between tools (``loss``, ``train_loss``, ``train/loss``, ``train_loss_step``
…). :data:`ALIASES` maps each canonical metric to the names it goes by, most preferred first;
add a spelling there and every reader understands it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from textwrap import shorten
from typing import Any

import numpy as np

from dldoctor.error_texts import ErrorText, err
from dldoctor.errors import EmptyLogError, InputError

from . import run_folders
from .base import Inputs, ProbeContext
from .console_log import read_console_columns
from .evidence import Said, say
from .layer_grads import first_and_last, layer_position
from .log_columns import Columns, columns_from_records, read_csv_columns, read_jsonl_columns
from .metric_names import canonical_name, load_aliases, normalise, unused_note

__all__ = ["ALIASES", "Series", "Metrics", "read_logs", "read_log", "logged", "canonical_name",
           "column_kind", "physical_unit"]

#: Canonical metric → accepted column/tag names, most preferred first (from the documented
#: table ``metric_aliases.yaml``; names are compared after :func:`normalise`).
ALIASES: dict[str, tuple[str, ...]] = load_aliases()
_normalise = normalise


@dataclass
class Series:
    """One metric over training: x positions (steps), values, and where they came from."""

    name: str
    column: str
    source: Path
    steps: np.ndarray
    values: np.ndarray
    rows: np.ndarray | None = None  # 1-based data rows of a text log
    epochs: np.ndarray | None = None
    #: with no epoch column, the rows between evaluations when a validation column is filled
    #: at regular spacing from the first such span on (an evaluation at each epoch's end)
    eval_period: int | None = None

    def thinned(self, max_points: int = 2000) -> Series:
        """At most about ``max_points`` points for drawing: extremes and the first NaN/inf
        kept exactly (:func:`.curves.decimate`)."""
        from .curves import decimate

        keep = decimate(self.values, max_points)
        if keep.size == self.values.size:
            return self
        rows = None if self.rows is None else self.rows[keep]
        epochs = None if self.epochs is None else self.epochs[keep]
        return Series(self.name, self.column, self.source, self.steps[keep], self.values[keep],
                      rows, epochs, self.eval_period)

    def where(self, index: int) -> str:
        """Human words for the index-th point: 'step 37 (row 38 of train.csv)'."""
        text = f"step {self.steps[index]:g}"
        if self.rows is not None:
            text += f" (row {int(self.rows[index])} of {self.source.name})"
        return text


@dataclass
class Metrics:
    """Every recognised series of one or more logs."""

    series: dict[str, Series] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # one report note per log
    #: the other training-loss columns beside the one read as the loss (a detector's
    #: cls_loss and box_loss beside their sum), by column name
    parts: dict[str, Series] = field(default_factory=dict)
    #: the first and the last layer's logged gradient norms, when the log names both
    layer_grads: tuple[Series, Series] | None = None
    #: the trials of a search log (the series are the best trial's), else None
    trials: int | None = None
    #: a search log's validation accuracies over every trial (the series holds the best's)
    trial_accuracies: np.ndarray | None = None

    def get(self, name: str) -> Series | None:
        return self.series.get(name)


def _numberless_rows(columns: Columns) -> np.ndarray:
    """The 1-based data rows that hold no number in any column read (none when a column has
    a number in every row)."""
    parts = [rows for rows, _ in columns.data.values()]
    if not parts or columns.rows == 0 or any(rows is None for rows in parts):
        return np.zeros(0, dtype=np.int64)
    covered = np.zeros(columns.rows + 1, dtype=bool)
    for rows in parts:
        covered[rows] = True
    return np.flatnonzero(~covered[1:]) + 1


def _rows_without_numbers(path: Path, missing: np.ndarray) -> Said | None:
    """A note for the data rows that hold no number in any column read (``missing``: a
    traceback or a print() interleaved with the CSV): they are skipped, and the report says
    so."""
    if not missing.size:
        return None
    return say("note.rows_without_numbers", file=path.name, n=int(missing.size),
               row=int(missing[0]), line=int(missing[0]) + 1)


def _words_in_columns(path: Path, columns: Columns, chosen: set[str], skipped: np.ndarray
                      ) -> Said | None:
    """A note for the cells of a column read that hold a word, not a number ("oops",
    "n/a"), in rows that hold a number elsewhere (``skipped``: the rows with none, noted as
    such): each is read as a missing value, and the report says how many and where the
    first is."""
    found = [(column, rows[~np.isin(rows, skipped)], first)
             for column, (rows, first) in columns.words.items() if column in chosen]
    found = [(column, rows, first) for column, rows, first in found if rows.size]
    if not found:
        return None
    column, rows, first = min(found, key=lambda f: int(f[1][0]))
    return say("note.cells_without_numbers", file=path.name, column=column,
               n=sum(int(rows.size) for _, rows, _ in found), row=int(rows[0]),
               line=int(rows[0]) + 1, text=shorten(first, 40))


def _step_goes_back(steps: np.ndarray | None, epochs: np.ndarray | None
                    ) -> tuple[int, float, float] | None:
    """The first data row (1-based) whose logged step is below one an earlier row logged —
    a run restarted or resumed and appended to the same log — with the highest step before
    it and its own; None when the steps never go back, none are logged, or the step starts
    again with each new epoch (it counts the batches within one)."""
    if steps is None:
        return None
    finite = np.flatnonzero(np.isfinite(steps))
    if finite.size < 2:
        return None
    values = steps[finite]
    peak = np.maximum.accumulate(values)
    back = np.flatnonzero(values[1:] < peak[:-1])
    if not back.size:
        return None
    i = int(back[0]) + 1
    row = int(finite[i])
    if epochs is not None and row > 0 and np.isfinite(epochs[:row]).any() and \
            epochs[row] > np.nanmax(epochs[:row]):
        return None
    return row + 1, float(peak[i - 1]), float(values[i])


def _epochs_filled(epochs: np.ndarray) -> np.ndarray:
    """The epoch of every row of a log that writes it on some rows only (the evaluation
    row at an epoch's end, ``{"global_step": 32, "epoch": 0, "mse_valid": …}`` after the
    training rows it closes): each row without one takes the next row's that has one, in
    the order written; rows after the last take the epoch after it (one still running)."""
    filled = epochs.copy()
    following = float(np.nanmax(epochs)) + 1.0
    for row in range(filled.size - 1, -1, -1):
        if np.isnan(filled[row]):
            filled[row] = following
        elif np.isfinite(filled[row]):
            following = float(filled[row])
    return filled


def _finer(column: str, chosen: str, canon: str) -> bool:
    """Of two training-loss columns one pattern names alike, Lightning's per-step one
    (``train_mse_step``) over its per-epoch mean (``train_mse_epoch``): its points say how
    the loss started, as ``train_loss_step`` is preferred to ``train_loss_epoch``."""
    a, b = normalise(column), normalise(chosen)
    return canon == "loss" and a.endswith("_step") and b.endswith("_epoch") and \
        a[:-len("_step")] == b[:-len("_epoch")]


def _with_rows(columns: Columns, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A column's (1-based rows, values), its rows spelled out where it has a number in every
    row (stored as None)."""
    rows, values = columns.data[column]
    return (np.arange(1, columns.rows + 1) if rows is None else rows), values


#: A search log holds at least this many trials (two runs may be a rerun and its restart).
MIN_TRIALS = 3


def _best_trial(columns: Columns, best: dict[str, tuple[int, str]]
                ) -> tuple[Columns, tuple[int, str, Said, np.ndarray, np.ndarray] | None]:
    """The rows of one trial of a search log (a ``trial`` column holding :data:`MIN_TRIALS`
    values or more): the trial whose validation accuracy peaks highest, else whose
    validation loss falls lowest, else the last one — with (the number of trials, the trial
    kept, why, the rows kept, the rows any trial owns). Rows no trial owns after the search
    (the chosen model's ``test`` row) go with the trial kept; others with none. The columns
    unchanged, and None, for any other log."""
    rows, values = _with_rows(columns, best["trial"][1])
    finite = np.isfinite(values)
    rows, values = rows[finite], values[finite]
    ids = list(dict.fromkeys(values.tolist()))  # in order of first appearance
    if len(ids) < MIN_TRIALS:
        return columns, None
    owner = np.full(columns.rows + 1, np.nan)
    owner[rows] = values

    def score(canon: str, pick: Callable[[np.ndarray], float]) -> dict[float, float]:
        if canon not in best:
            return {}
        got, vals = _with_rows(columns, best[canon][1])
        out: dict[float, float] = {}
        for trial in ids:
            mine = vals[(owner[got] == trial) & np.isfinite(vals)]
            if mine.size:
                out[trial] = pick(mine)
        return out

    if accuracy := score("val_acc", np.max):
        kept = max(accuracy, key=accuracy.__getitem__)
        words = say("note.trial_best_acc", value=accuracy[kept], column=best["val_acc"][1])
    elif loss := score("val_loss", np.min):
        kept = min(loss, key=loss.__getitem__)
        words = say("note.trial_best_loss", value=loss[kept], column=best["val_loss"][1])
    else:
        kept, words = ids[-1], say("note.trial_last")
    owned = np.isfinite(owner[1:])
    # rows after the last trial's that no trial owns (the chosen model's test row) go with
    # the trial kept: its test score is read against its validation score
    after = np.arange(1, columns.rows + 1) > int(rows.max())
    keep = (owner[1:] == kept) | (~owned & after)
    narrowed = Columns(rows=columns.rows, order=columns.order, seen=columns.seen,
                       bad_lines=columns.bad_lines, bad_bytes=columns.bad_bytes,
                       garbled_from=columns.garbled_from, words=columns.words,
                       not_json=columns.not_json)
    for column in columns.data:
        got, vals = _with_rows(columns, column)
        mine = keep[got - 1]
        narrowed.data[column] = (got[mine], vals[mine])
    return narrowed, (len(ids), f"{kept:g}", words, keep, owned)


def _from_columns(path: Path, columns: Columns, roles: dict[str, str] | None = None
                  ) -> Metrics:
    """Build series from a log's recognised columns: the preferred spelling of each metric,
    at the step column's steps (the data row - 1 where a row has no step). Columns with a
    number in every row share one row, step and epoch array. ``roles`` names the metric of
    columns no alias names (:func:`paired_loss_columns`)."""
    best: dict[str, tuple[int, str]] = {}
    roles = roles or {}
    for column in columns.order:
        canon, rank = (roles[column], 0) if column in roles else \
            canonical_name(column) or ("", 0)
        if canon and (canon not in best or rank < best[canon][0] or
                      rank == best[canon][0] and _finer(column, best[canon][1], canon)):
            best[canon] = (rank, column)
    _pair_held_out_with_training(best, columns.order)
    _lowest_class_recall(best, columns, roles)
    source, trials = columns, None
    if "trial" in best:
        columns, trials = _best_trial(columns, best)
    every_row = np.arange(1, columns.rows + 1, dtype=np.int64)

    def per_row(canon: str) -> np.ndarray | None:
        """The column's value at every row (NaN where it has none)."""
        if canon not in best:
            return None
        rows, values = columns.data[best[canon][1]]
        if rows is None:
            return values
        full = np.full(columns.rows, np.nan)
        full[rows - 1] = values
        return full

    steps, epochs = per_row("step"), per_row("epoch")
    logged_steps = steps
    corrupt = np.zeros(columns.rows, dtype=bool)  # an infinite step or epoch: a corrupt row
    for counter in (steps, epochs):
        if counter is not None:
            corrupt |= np.isinf(counter)
    # a row with no step (nor epoch), a loss that is no number and no other number either
    # ("nan,inf,hello,-"): a garbled line, not a training loss that went inf
    train = per_row("loss")
    counted = [c for c in (steps, epochs) if c is not None]
    others = [v for canon in best if canon not in ("step", "epoch", "loss")
              if (v := per_row(canon)) is not None]
    if counted and train is not None and any(np.isfinite(c).any() for c in counted):
        blank = np.logical_and.reduce([~np.isfinite(c) for c in [*counted, train, *others]])
        # nor a row that counts no step or epoch, holds an infinite loss and a word in a
        # column of numbers, among rows that count theirs ("nan,inf,-,abc,1e999,0": a new
        # user's garbled line had read as a loss gone inf and back)
        with_words = np.zeros(columns.rows, dtype=bool)
        for rows, _ in columns.words.values():
            with_words[rows[rows <= columns.rows] - 1] = True
        garbled = blank | np.logical_and.reduce([~np.isfinite(c) for c in counted]) & \
            np.isinf(train) & with_words
        # other trials' rows: not read
        corrupt |= garbled if trials is None else garbled & trials[3]
    if steps is None:
        steps = every_row - 1.0
    elif np.isnan(steps).any():
        steps = np.where(np.isnan(steps), every_row - 1.0, steps)
    if epochs is not None and np.isnan(epochs).all():
        epochs = None
    elif epochs is not None and np.isnan(epochs).any():
        epochs = _epochs_filled(epochs)
    metrics = Metrics(sources=[path])
    loss = best.get("loss", (0, ""))[1]
    aliases = {normalise(name) for name in load_aliases().get("loss", ())}
    held_part = []  # "loss_dev" (a deviation) beside "loss_fault", adding up to the total
    if "val_loss" in best and _part_not_held_out(columns, loss, best["val_loss"][1], aliases):
        held_part = [best.pop("val_loss")[1]]
    chosen = {column for _, column in best.values()}
    parts = [c for c in columns.order if c not in chosen and c in columns.data
             and (c in held_part or _loss_part(c, loss, aliases))] \
        if _names_a_total(loss, aliases) else []
    chosen |= set(parts)
    layers = first_and_last([c for c in columns.order if c not in chosen and c in columns.data])
    chosen |= set(layers or ())
    numberless = _numberless_rows(source)  # the rows with no number in any column read
    skipped = [c for c in columns.seen if c not in chosen]
    if skipped:
        metrics.unused.append(unused_note(path, skipped))
    if trials is not None:
        metrics.trials = trials[0]
        if "val_acc" in best:  # the rows a trial owns (not a test row after the search)
            got, accuracies = _with_rows(source, best["val_acc"][1])
            metrics.trial_accuracies = accuracies[trials[4][got - 1]]
        metrics.unused.append(say("note.search_log", file=path.name, column=best["trial"][1],
                                  n=trials[0], trial=trials[1], words=trials[2]))
    elif (blank := _rows_without_numbers(path, numberless)) is not None:
        metrics.unused.append(blank)
    if (worded := _words_in_columns(path, source, chosen, numberless)) is not None:
        metrics.unused.append(worded)
    if columns.not_json is not None:
        metrics.unused.append(say("note.read_as_printed", file=path.name,
                                  line=columns.not_json[0], reason=columns.not_json[1]))
    if columns.bad_lines:
        metrics.unused.append(say("note.lines_skipped", file=path.name,
                                  n=len(columns.bad_lines), line=columns.bad_lines[0]))
    if columns.bad_bytes:
        metrics.unused.append(say("note.bad_bytes", file=path.name))
    if columns.garbled_from is not None:
        metrics.unused.append(say("note.garbled_tail", file=path.name,
                                  line=columns.garbled_from))
    corrupt[numberless - 1] = False  # rows with no number anywhere have their own note
    if corrupt.any():
        first = int(np.argmax(corrupt)) + 1  # 1-based data row, as the evidence counts
        metrics.unused.append(say("note.rows_infinite_step", file=path.name,
                                  n=int(corrupt.sum()), row=first, line=first + 1))
    if trials is None and (back := _step_goes_back(logged_steps, epochs)) is not None:
        metrics.unused.append(say("note.step_goes_back", file=path.name, row=back[0],
                                  line=back[0] + 1, before=back[1], step=back[2]))

    period = _evaluation_period(columns, best) if epochs is None else None

    def series(canon: str, column: str) -> Series:
        rows, values = columns.data[column]
        dense = rows is None
        if rows is None:
            rows = every_row
        keep = ~corrupt[rows - 1]
        rows, values = rows[keep], values[keep]
        return Series(canon, column, path, steps[rows - 1], values, rows,
                      None if epochs is None else epochs[rows - 1],
                      period if dense and canon == "loss" else None)

    for canon, (_, column) in best.items():
        if canon not in ("step", "epoch", "trial"):
            metrics.series[canon] = series(canon, column)
    for column in parts:
        metrics.parts[column] = series("loss", column)
    if layers is not None:
        metrics.layer_grads = (series("grad_first", layers[0]), series("grad_last", layers[1]))
    return metrics


#: Evaluations needed to read their spacing as the length of an epoch.
EVAL_PERIOD_MIN_EVALS = 3
EVAL_PERIOD_MIN_ROWS = 4


def _evaluation_period(columns: Columns, best: dict[str, tuple[int, str]]) -> int | None:
    """The rows between evaluations of a per-step log with no epoch column: a validation
    column filled on every k-th row from row k on, k rows apart each time (``it, xent,
    val_acc`` with the accuracy on rows 30, 60, 90 …), as evaluations at each epoch's end are;
    None for any other spacing, too few evaluations, or a dense column."""
    for canon in ("val_loss", "val_acc"):
        if canon not in best:
            continue
        rows, _ = columns.data[best[canon][1]]
        if rows is None or rows.size < EVAL_PERIOD_MIN_EVALS:
            continue
        gaps = np.diff(rows)
        k = int(rows[0])
        if k >= EVAL_PERIOD_MIN_ROWS and bool((gaps == k).all()):
            return k
    return None


_AGGREGATE = re.compile(r"_(step|epoch)$")
#: Words that name a column's split: training, held-out (validation or a held-out set), test.
_TRAIN_WORDS = ("train", "training", "tr")
_VAL_WORDS = ("val", "va", "valid", "validation", "eval", "dev", "heldout", "holdout")


def _affix(words: tuple[str, ...]) -> re.Pattern[str]:
    """A split word at the start or the end of a normalised column name."""
    either = "|".join(words)
    return re.compile(rf"^({either})_|_({either})$")


_SPLIT_WORD = _affix((*_TRAIN_WORDS, *_VAL_WORDS, "test"))


def column_kind(column: str) -> str:
    """What a loss column measures, without its split and grain: ``train_pinball_epoch`` and
    ``val_pinball`` are both ``pinball``."""
    return _SPLIT_WORD.sub("", _AGGREGATE.sub("", normalise(column)))


def _lowest_class_recall(best: dict[str, tuple[int, str]], columns: Columns,
                         roles: dict[str, str]) -> None:
    """Of one recall column per class (``val_recall_no``, ``val_recall_yes``), read the one
    lowest on average: the class the model misses is the one a recall is logged to watch."""
    if "val_recall" not in best:
        return
    rank = best["val_recall"][0]
    same = [c for c in columns.order if c in columns.data and c not in roles
            and canonical_name(c) == ("val_recall", rank)]
    if len(same) < 2:
        return

    def mean(column: str) -> float:
        values = columns.data[column][1]
        finite = values[np.isfinite(values)]
        return float(finite.mean()) if finite.size else math.inf

    best["val_recall"] = (rank, min(same, key=mean))


def _pair_held_out_with_training(best: dict[str, tuple[int, str]], order: list[str]) -> None:
    """Of several validation (test) loss columns equally preferred — ``val_median_mae`` and
    ``val_pinball`` both match a pattern — read the one that measures what the training loss
    does (``train_pinball``), not the first in the file."""
    if "loss" not in best:
        return
    kind = column_kind(best["loss"][1])
    for canon in ("val_loss", "test_loss"):
        if canon not in best or column_kind(best[canon][1]) == kind:
            continue
        rank = best[canon][0]
        for column in order:
            if column_kind(column) == kind and canonical_name(column) == (canon, rank):
                best[canon] = (rank, column)
                break


#: Words naming a held-out split that no alias knows: ``interp_mse`` and ``extrap_mse`` beside
#: ``train_mse`` are that loss measured on two evaluation ranges, not parts of the objective.
_HELD_OUT_SPLIT = re.compile(r"(^|_)(interp|extrap|interpolation|extrapolation|ood|iid|"
                             r"holdout|heldout|unseen)(_|$)")


#: Words that make a loss column the sum of the others (``loss_total``, ``sum_loss``).
_TOTAL_WORDS = frozenset({"total", "sum", "overall", "all", "combined", "full", "objective"})


def _names_a_total(loss: str, aliases: set[str]) -> bool:
    """Whether the column read as the loss is the whole loss (``loss``, ``train_loss``,
    ``loss_total``), not one named part read as the loss for want of a total (``cls_loss``
    beside ``box_loss``): only then are the other loss columns its parts."""
    name = _AGGREGATE.sub("", normalise(loss))
    return name in aliases or normalise(loss) in aliases or \
        bool(_TOTAL_WORDS & set(name.split("_")))


#: Rows on which a total must equal the sum of its parts to be read as one.
SUM_ROWS = 3


def _part_not_held_out(columns: Columns, loss: str, held: str, aliases: set[str]) -> bool:
    """Whether ``held``, a column read as the validation loss by its name (``loss_dev``:
    dev for a development set), is a part of the total ``loss`` instead — ``loss_dev`` and
    ``loss_fault`` that add up to ``loss_total`` row by row (set 324's shaft CNN, a diameter
    deviation and a fault class): a validation loss is no term of the training loss."""
    if not _names_a_total(loss, aliases) or loss not in columns.data:
        return False
    others = [c for c in columns.order if c not in (loss, held) and c in columns.data
              and _loss_part(c, loss, aliases)]
    if not others or any(columns.data[c][0] is not None for c in (loss, held, *others)):
        return False  # a column on rows of its own: no row-by-row sum to check
    total = columns.data[loss][1]
    summed = sum((columns.data[c][1] for c in others), start=columns.data[held][1])
    both = np.isfinite(total) & np.isfinite(summed)
    if int(both.sum()) < SUM_ROWS:
        return False
    scale = np.maximum(np.abs(total[both]), 1e-8)
    return bool(np.all(np.abs(total[both] - summed[both]) <= 1e-3 * scale))


def _loss_part(column: str, loss: str, aliases: set[str]) -> bool:
    """A training-loss column beside ``loss`` (the one read as the loss) that is a part of it
    (cls_loss beside box_loss), not the same loss logged at another grain (Lightning's
    ``train_loss_epoch`` beside ``train_loss_step``) or under another of the loss's
    ``aliases``."""
    if (canonical_name(column) or ("",))[0] != "loss" or normalise(column) in aliases or \
            _HELD_OUT_SPLIT.search(normalise(column)):
        return False
    return _AGGREGATE.sub("", normalise(column)) != _AGGREGATE.sub("", normalise(loss))


def _known(column: str) -> bool:
    """A column a metric name is known for, or one layer's gradient norm."""
    return canonical_name(column) is not None or layer_position(column) is not None


def _read_tensorboard(path: Path) -> Metrics:
    if path.is_dir() and next(path.rglob("*tfevents*"), None) is None:
        raise InputError(err("log.no_events", path=path))  # before asking for tensorboard
    try:
        from tensorboard.backend.event_processing import event_accumulator
    except ImportError:
        raise InputError(err("log.needs_tensorboard", path=path)) from None
    metrics = Metrics(sources=[path])
    runs = [path] if path.is_file() else sorted(
        {p.parent for p in path.rglob("*tfevents*")}, key=lambda p: (len(p.parts), str(p)))
    if not runs:
        raise InputError(err("log.no_events", path=path))
    ranks: dict[str, int] = {}
    seen_tags: dict[str, None] = {}
    chosen: dict[str, str] = {}  # canonical metric -> the tag (prefixed by its run) read
    for run in runs:
        accumulator = event_accumulator.EventAccumulator(
            str(run), size_guidance={event_accumulator.SCALARS: 0})
        try:
            accumulator.Reload()
        except Exception as exc:  # corrupt event files raise many kinds of errors
            raise InputError(err("log.bad_events", path=run, reason=exc)) from None
        prefix = "" if run == path or path.is_file() else _normalise(str(run.relative_to(path)))
        for tag in accumulator.Tags().get("scalars", []):
            shown = f"{prefix}/{tag}" if prefix else tag
            seen_tags[shown] = None
            found = canonical_name(tag) or canonical_name(f"{prefix}_{tag}")
            if found is None or found[0] in ("step", "epoch"):
                if found is not None:  # a position, not a metric: known, so not noted
                    chosen[f"position:{shown}"] = shown
                continue
            canon, rank = found
            if canon in ranks and ranks[canon] <= rank:
                continue
            events = accumulator.Scalars(tag)
            ranks[canon] = rank
            chosen[canon] = shown
            metrics.series[canon] = Series(
                canon, tag, run, np.array([e.step for e in events], dtype=float),
                np.array([e.value for e in events], dtype=float))
    skipped = [t for t in seen_tags if t not in chosen.values()]
    if skipped:
        metrics.unused.append(unused_note(path, skipped, "tags"))
    return metrics


#: A test column evaluated at least this often is a curve: with no validation column beside it
#: it plays the validation curve's part (the torch.utils.tensorboard example's Loss/test).
TEST_CURVE_POINTS = 2
#: Stand-ins: (role, the series that fills it when the log has none, the series it must not
#: have). A test curve stands for validation only where no validation column (loss or
#: accuracy) exists; a KL column is a distillation's training loss only where the log has no
#: loss and no recon; a reconstruction column is an autoencoder's loss where the log has no
#: loss and no KL (a VAE's two parts are not its loss).
_STAND_INS = (("val_loss", "test_loss", ""), ("val_acc", "test_acc", ""),
              ("loss", "kl", "recon"), ("loss", "recon", "kl"),
              ("val_loss", "val_recon", "val_kl"))


def _settle_roles(metrics: Metrics) -> Metrics:
    """Give a stand-in series the role a log leaves empty (see :data:`_STAND_INS`)."""
    validated = "val_loss" in metrics.series or "val_acc" in metrics.series
    for role, stand_in, unless in _STAND_INS:
        series = metrics.series.get(stand_in)
        if role in metrics.series or series is None or (unless and unless in metrics.series):
            continue
        if stand_in.startswith("test") and (validated or int(np.isfinite(series.values).sum())
                                            < TEST_CURVE_POINTS):
            continue  # one test reading after training is not a validation curve
        if stand_in != "kl":  # a distillation's KL stays a KL too: it can never go below 0
            del metrics.series[stand_in]
        metrics.series[role] = replace(series, name=role)
        if role == "loss":
            _pair_validation(metrics, stand_in)
    return metrics


def _pair_validation(metrics: Metrics, stand_in: str) -> None:
    """A training loss that is a KL (or a reconstruction) column is compared with the
    validation column of the same quantity (``val_kl``), not with another validation
    metric a pattern took for the validation loss (a ``val_mae_pct`` beside ``kl`` and
    ``val_kl``: set 206's moss cover)."""
    paired = metrics.series.get(f"val_{stand_in}")
    current = metrics.series.get("val_loss")
    if paired is None or current is None or current.column == paired.column:
        return
    metrics.series["val_loss"] = replace(paired, name="val_loss")


def read_log(path: Path, companions: tuple[str, ...] = ()) -> Metrics:
    """Read one log, choosing the reader by name and content; any reader error is the
    user's file to fix (a one-line InputError), never a silent probe failure. ``companions``:
    the columns of the validation log written beside it, whose ``val_ce`` makes this log's
    ``ce`` the training loss as a column of its own would."""
    try:
        return _settle_roles(_read_log(path, companions))
    except InputError:
        raise
    except Exception as exc:  # csv, json, numpy and tensorboard raise many kinds
        first = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(err("log.unreadable", path=path, kind=type(exc).__name__,
                             first=first)) from None


def _read_log(path: Path, companions: tuple[str, ...] = ()) -> Metrics:
    if not path.exists():
        raise InputError(err("file.missing_or_folder", path=path))
    if path.is_dir():
        files = run_folders.log_files(path)
        if files != [path]:
            return _merge([read_log(f) for f in files])
    if path.is_dir() or "tfevents" in path.name:
        from .quiet import quiet

        with quiet():  # tensorboard logs data-loss warnings of its own
            metrics = _read_tensorboard(path)
        if not metrics.series:  # a corrupt event file reads as no scalars at all
            raise InputError(err("log.no_scalars", path=path))
        return metrics
    if path.stat().st_size == 0:
        raise EmptyLogError(err("log.empty", path=path))
    with path.open("rb") as f:
        head = f.read(4096).lstrip()
    if head.startswith((b"PK\x03\x04", b"\x80")):  # a torch.save zip, or a pickle
        raise InputError(err("log.is_checkpoint", path=path))
    columns, json_lines = _columns_of(path, head, _known)
    metrics = _from_columns(path, columns)
    # no training loss among the known names (a log of val_ndcg@5 beside listnet and
    # val_listnet): the one measurement logged for both splits is the loss pair
    # (a KL or reconstruction column read stands in for the loss: a distillation's kd)
    if not {"loss", "kl", "recon"} & set(metrics.series) and \
            (roles := paired_loss_columns([*columns.seen, *companions])):
        columns, _ = _columns_of(path, head, lambda c: c in roles or _known(c))
        metrics = _from_columns(path, columns, roles)
        train, val = (next((c for c, r in roles.items() if r == role), "—")
                      for role in ("loss", "val_loss"))
        metrics.unused.insert(0, say("note.paired_loss", file=path.name, train=train, val=val))
    if not metrics.series:
        raise InputError(_no_series(path, columns, json_lines))
    return metrics


def _columns_of(path: Path, head: bytes, wanted: Callable[[str], bool]) -> tuple[Columns, bool]:
    """The log's ``wanted`` columns, and whether it is JSON (lines or one document)."""
    if run_folders.is_trainer_state(path, head):
        records: list[Any] = run_folders.trainer_state_records(path)
        return columns_from_records(records, wanted), True
    if path.suffix in (".jsonl", ".ndjson", ".json") or head.startswith(b"{"):
        return _json_or_console(path, wanted), True
    return _csv_or_console(path, wanted), False


#: Higher-is-better scores: a train/validation pair of these is no loss.
_SCORE_KIND = re.compile(r"(^|_)(acc|accuracy|top\d*|f1|f1_score|auc|auroc|ap|map|ndcg\d*|iou|"
                         r"miou|dice|precision|recall\d*|r2|psnr|ssim|bleu|rouge\w*|score|"
                         r"hits?\d*|mrr|kappa|corr|pearson|spearman|lr|grad_norm)$")
#: Kinds a bare column names that are no loss even beside a ``val_`` twin: counters, clocks.
_NO_LOSS_KIND = re.compile(r"(^|_)(step|steps|epoch|epochs|iter|iteration|it|time|seconds|sec|"
                           r"secs|ms|samples|tokens|batch|batches|count|n|size|runtime)$")
_TRAIN_SPLIT = _affix(_TRAIN_WORDS)
_VAL_SPLIT = _affix(_VAL_WORDS)


#: A physical unit written after a measurement's name and split (rmse_train_m, val_mae_kwh):
#: the pair is of one kind only when both carry the same unit.
_PHYSICAL_UNIT = re.compile(r"_([mck]?m|um|[mk]?g|mg_?l|ppm|ppb|m?s|secs?|hrs?|days?|pct|"
                            r"percent|deg_?c|[kmg]?w|kwh|mwh|[km]?pa|psi|[km]?hz|rpm|usd|eur|"
                            r"[km]?v|lux|knots?|kts|mph|kmh|kph)$")


def physical_unit(column: str) -> str | None:
    """The physical unit a column's name ends with (``val_mae_mm`` → ``mm``), or None."""
    found = _PHYSICAL_UNIT.search(_AGGREGATE.sub("", normalise(column)))
    return found.group(1) if found else None


def paired_loss_columns(seen: Iterable[str]) -> dict[str, str]:
    """For a log that names no loss, ``{column: "loss" | "val_loss"}``: the first kind of
    measurement logged both for training and for validation (Lightning's
    ``self.log("train_listnet", ...)`` beside ``self.log("val_listnet", ...)`` gives
    ``train_listnet_step``, ``train_listnet_epoch`` and ``val_listnet``; ``rmse_train_m``
    beside ``rmse_val_m``) that is no higher-is-better score; the training column per step
    when there is one. Empty when there is no such pair."""
    train: dict[str, list[str]] = {}
    val: dict[str, list[str]] = {}
    unsplit: dict[str, list[str]] = {}  # ``listnet`` beside ``val_listnet``: the training one
    for column in seen:
        bare = _AGGREGATE.sub("", normalise(column))
        unit = _PHYSICAL_UNIT.search(bare)  # rmse_train_m beside rmse_val_m: metres both
        suffix = unit.group(0) if unit else ""
        bare = bare[:len(bare) - len(suffix)]
        kind = _SPLIT_WORD.sub("", bare) + suffix
        if not kind or _SCORE_KIND.search(kind):
            continue
        if kind == bare + suffix:  # no split word: mae_kwh beside val_mae_kwh
            if not _NO_LOSS_KIND.search(kind):
                unsplit.setdefault(kind, []).append(column)
        elif _TRAIN_SPLIT.search(bare):
            train.setdefault(kind, []).append(column)
        elif _VAL_SPLIT.search(bare):
            val.setdefault(kind, []).append(column)
    for kind, columns in unsplit.items():
        if kind in val and kind not in train:
            train[kind] = columns
    shared = next((k for k in train if k in val), None)
    if shared is None:
        return {}
    grain = {c: normalise(c).endswith("_step") - normalise(c).endswith("_epoch")
             for c in train[shared]}
    chosen = max(train[shared], key=lambda c: grain[c])
    return {chosen: "loss", val[shared][0]: "val_loss"}


def _json_or_console(path: Path, wanted: Callable[[str], bool]) -> Columns:
    """JSON lines, or the dictionaries the Hugging Face Trainer prints (Python literals with
    single quotes, which no JSON reader takes)."""
    try:
        return read_jsonl_columns(path, wanted)
    except InputError as exc:
        console = read_console_columns(path, wanted)
        if console is None:
            raise
        message = exc.message
        if isinstance(message, ErrorText) and message.key == "log.not_json_line":
            console.not_json = (message.values["line"], str(message.values["reason"]))
        return console


def _csv_or_console(path: Path, wanted: Callable[[str], bool]) -> Columns:
    """A CSV log, or, when no known column is found in it as one, the printed output of a
    training loop (:mod:`.console_log`)."""
    try:
        columns = read_csv_columns(path, wanted)
    except InputError:
        console = read_console_columns(path, wanted)
        if console is None:
            raise
        return console
    if any(wanted(c) for c in columns.data):
        return columns
    console = read_console_columns(path, wanted)
    return columns if console is None else console


def _no_series(path: Path, columns: Columns, json_lines: bool) -> ErrorText:
    """Why a log gave no metric: no known name, a header without rows, or known columns
    without a single number (a decimal comma, "2,3", reads as text)."""
    names = {c: canonical_name(c) for c in columns.seen}
    known = [c for c, name in names.items() if name and name[0] not in ("step", "epoch")]
    if not known:
        if columns.seen and all(" " in c.strip() for c in columns.seen):  # words, not names
            return err("log.not_a_log", path=path, first=columns.seen[0].strip()[:60])
        found = ", ".join(list(columns.seen)[:8]) or "(none)"
        return err("log.no_columns", path=path, found=found)
    if columns.rows == 0:
        return err("log.no_rows", path=path, columns=", ".join(known))
    return err("log.no_numbers_json" if json_lines else "log.no_numbers", path=path,
               columns=", ".join(known))


def _merge(parts: list[Metrics]) -> Metrics:
    """One Metrics of several logs; the first log providing a metric wins."""
    merged = Metrics()
    for metrics in parts:
        merged.sources.extend(metrics.sources)
        merged.unused.extend(metrics.unused)
        for name, series in metrics.series.items():
            merged.series.setdefault(name, series)
        for column, series in metrics.parts.items():
            merged.parts.setdefault(column, series)
        merged.layer_grads = merged.layer_grads or metrics.layer_grads
        merged.trials = merged.trials or metrics.trials
        if merged.trial_accuracies is None:
            merged.trial_accuracies = metrics.trial_accuracies
    return merged


#: A file name's words that say it holds the held-out split's metrics (val_epochs.csv): a
#: column's validation words, but "va" (too short to name a file by) and with "evaluation".
_VALIDATION_FILE_WORDS = frozenset(_VAL_WORDS) - {"va"} | {"evaluation"}
#: The text logs a validation log beside the training one is looked for among.
_TEXT_LOG_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")


#: ... and the words that say a file holds the training split's (train_log.csv)
_TRAINING_FILE_WORDS = frozenset(_TRAIN_WORDS) - {"tr"}


def _file_words(path: Path) -> set[str]:
    return set(re.split(r"[^a-z]+", path.stem.lower()))


def _validation_named(path: Path) -> bool:
    return bool(_VALIDATION_FILE_WORDS & _file_words(path))


def _text_log(path: Path) -> bool:
    """A non-empty text log file (the kind a split of its own is written to)."""
    return path.suffix.lower() in _TEXT_LOG_SUFFIXES and path.is_file() and \
        path.stat().st_size > 0


def _one_beside(path: Path, named: Callable[[Path], bool]) -> Path | None:
    """The one text log beside ``path`` that ``named`` picks; None for none or several."""
    try:
        found = [p for p in sorted(path.parent.iterdir()) if p != path and p.is_file()
                 and p.suffix.lower() in _TEXT_LOG_SUFFIXES and named(p)]
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def _as_validation(metrics: Metrics) -> dict[str, Series]:
    """A validation log's series, its unprefixed ``loss`` and ``acc`` the validation split's."""
    series: dict[str, Series] = {}
    for name, one in metrics.series.items():
        held_out = name if name.startswith("val_") else \
            f"val_{name}" if name in ("loss", "acc") else None
        if held_out is not None and held_out not in series:
            series[held_out] = replace(one, name=held_out)
    return series


def training_beside(path: Path, given: Metrics) -> tuple[Metrics, Metrics] | None:
    """For a validation log given alone (``valid_log.csv``, or ``epochs.tsv`` whose every
    series is a validation one), the training log beside it (``train_log.csv``: the one file
    whose name says training and not validation, else the one text log whose name does not
    say validation, ``steps.jsonl``) and the validation log read as validation's; ``given``
    is ``path`` as read. None when there is no such file, several, it records no training
    loss, or it cannot be read (the user can name both with two ``--log``)."""
    if not _text_log(path) or not _validation_named(path) and (
            not given.series or any(not name.startswith("val_") for name in given.series)):
        return None
    found = _one_beside(path, lambda p: bool(_TRAINING_FILE_WORDS & _file_words(p))
                        and not _validation_named(p)) or \
        _one_beside(path, lambda p: not _validation_named(p))
    if found is None:
        return None
    try:
        training = read_log(found)
    except InputError:
        return None
    train = {name: one for name, one in training.series.items() if not name.startswith("val_")}
    if not train or "loss" not in train:
        return None
    note = say("note.training_beside", file=found.name, log=path.name)
    return (Metrics(sources=[found], series=train, unused=[*training.unused, note],
                    parts=training.parts, layer_grads=training.layer_grads),
            replace(given, series=_as_validation(given)))


def validation_beside(path: Path) -> Metrics | None:
    """The validation metrics of the one log beside ``path`` whose name says it holds them
    (``val_epochs.csv`` beside ``steps.csv``: a loop that writes each split to a file of its
    own), for a text log given alone; its unprefixed ``loss`` and ``acc`` are the validation
    split's. They are used when ``path`` records no validation series of its own. None when
    there is no such file, several, or it cannot be read (the user can name it with a
    second ``--log``)."""
    if _validation_named(path) or not _text_log(path):
        return None
    found = _one_beside(path, _validation_named)
    if found is None:
        return None
    try:
        metrics = read_log(found)
    except InputError:
        return None
    series = _as_validation(metrics)
    if not series:
        return None
    note = say("note.validation_beside", file=found.name, log=path.name)
    return Metrics(sources=[found], series=series, unused=[note])


def read_logs(paths: tuple[Path, ...] | list[Path], ctx: ProbeContext | None = None) -> Metrics:
    """Read and merge several logs; the first log providing a metric wins. Cached per session."""
    key = "logs:" + "|".join(str(Path(p).resolve()) for p in paths)
    if ctx is not None and key in ctx.cache:
        cached: Metrics = ctx.cache[key]
        return cached
    first = Path(paths[0])
    beside = validation_beside(first) if len(paths) == 1 else None
    if len(paths) != 1:
        merged = _merge([read_log(Path(path)) for path in paths])
    elif beside is None:  # read once: the training log beside it is looked for in what it holds
        given = read_log(first)
        both = training_beside(first, given)
        merged = _merge(list(both) if both is not None else [given])
    else:
        merged = read_log(first, tuple(s.column for s in beside.series.values()))
        if not any(name.startswith("val_") for name in merged.series):
            merged = _merge([merged, beside])
    if ctx is not None:
        ctx.cache[key] = merged
    return merged


def logged(inputs: Inputs, ctx: ProbeContext, name: str) -> Series | None:
    """The series ``name`` of the user's logs, for a probe that reads one beside its own
    measurements; None without logs, without that series, or when the logs cannot be read
    (the log probe reports why)."""
    if not inputs.logs:
        return None
    try:
        return read_logs(inputs.logs, ctx).series.get(name)
    except Exception:  # noqa: BLE001 - the log probe reports an unreadable log
        return None
