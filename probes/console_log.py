"""Read a training run's printed output (what people paste or `tee` to a file) as a log.

Many runs keep no CSV: only what the loop printed. The usual shapes are read line by line:

- ``Epoch 3/10, Step 100, Loss: 2.3012, Acc: 81.2%`` — ``name: value`` / ``name=value`` /
  ``name value`` pairs separated by commas, ``|``, ``;``, tabs or `` - ``;
- Keras progress lines, ``32/32 [====] - 1s - loss: 0.51 - accuracy: 0.80 - val_loss: …``,
  under an ``Epoch 3/10`` line whose epoch the following lines inherit;
- the dictionaries the Hugging Face Trainer prints, ``{'loss': 0.69, 'learning_rate': …}``
  (read as literals, never evaluated as code);
- tqdm / Lightning progress bars, whose carriage-return updates are separate lines
  (``… 100/100 [00:03<00:00, loss=0.123, v_num=0]``).

A value printed with ``%`` is read as a fraction. Only names the metric table knows are kept,
and a file is taken as a console log only when at least :data:`MIN_RECORDS` lines hold a
loss: other text is not mistaken for one.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .log_columns import Columns, columns_from_records

__all__ = ["MIN_RECORDS", "console_records", "read_console_columns"]

MIN_RECORDS = 3
MAX_LINE = 4096  # longer lines (a pasted tensor) are cut: a metric line is short

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SEPARATORS = re.compile(r"[,|;\t\[\]()]| - | -- ")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)"
_PAIR = re.compile(
    rf"^\W*(?P<name>[A-Za-z][A-Za-z0-9_./-]*(?: [A-Za-z][A-Za-z0-9_./-]*){{0,2}})"
    rf"\s*[:=]?\s*(?P<value>{_NUMBER})(?P<pct>\s*%)?(?:\s*/\s*\d+)?\s*$", re.IGNORECASE)
_DICT = re.compile(r"\{[^{}]{2,2000}\}")
_POSITION = ("epoch", "step", "iter", "iteration", "global_step", "batch")


def _segments(line: str) -> Iterator[str]:
    for piece in _SEPARATORS.split(line):
        piece = piece.strip()
        if piece:
            yield piece


def _pairs(line: str, known: Callable[[str], bool]) -> dict[str, float]:
    """The ``name → value`` pairs of one printed line (the longest known name wins)."""
    found: dict[str, float] = {}
    for block in _DICT.findall(line):
        try:
            literal = ast.literal_eval(block)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(literal, dict):
            found.update({str(k): float(v) for k, v in literal.items()
                          if isinstance(v, int | float) and not isinstance(v, bool)})
        line = line.replace(block, " ")
    for segment in _segments(line):
        match = _PAIR.match(segment)
        if match is None:
            continue
        words = match["name"].split(" ")
        value = float(match["value"]) / (100 if match["pct"] else 1)
        for start in range(len(words)):  # "Train Loss" before "Loss"
            name = "_".join(words[start:]).lower()
            if name in _POSITION or known(name):
                found.setdefault(name, value)
                break
    return found


_POSITION_WORDS = re.compile(r"\b(epoch|step|global_step)\s*[:=]?\s*(\d+)\b", re.IGNORECASE)


def _positions(line: str) -> Iterator[tuple[str, float]]:
    """``Epoch 3`` / ``step=100`` anywhere in a line (a progress bar's ``Epoch 3: 100%|…``)."""
    for word, number in _POSITION_WORDS.findall(line):
        yield word.lower(), float(number)


def console_records(lines: Iterator[str], known: Callable[[str], bool]
                    ) -> Iterator[dict[str, float]]:
    """One record per printed line that holds a metric; a line holding only an epoch or a
    step (Keras' ``Epoch 3/10``) sets it for the lines that follow."""
    position: dict[str, float] = {}
    last: dict[str, float] | None = None
    for raw in lines:
        for line in _ANSI.sub("", raw[:MAX_LINE]).split("\r"):
            pairs = _pairs(line, known)
            for name, value in _positions(line):
                pairs.setdefault(name, value)
            metrics = {k: v for k, v in pairs.items() if k not in _POSITION}
            moved = {k: v for k, v in pairs.items() if k in _POSITION}
            if not metrics:
                position.update(moved)
                continue
            record = {**position, **moved, **metrics}
            if record != last:  # a progress bar repeats its line at every refresh
                yield record
            last = record


def _has_loss(record: dict[str, Any], known: Callable[[str], bool]) -> bool:
    return any("loss" in key for key in record if key not in _POSITION and known(key))


def read_console_columns(path: Path, known: Callable[[str], bool]) -> Columns | None:
    """The known metrics of a printed log, or None when fewer than :data:`MIN_RECORDS`
    lines hold a loss (the file is then not read as one)."""
    with_loss = 0

    def counted(records: Iterator[dict[str, float]]) -> Iterator[dict[str, float]]:
        nonlocal with_loss
        for record in records:  # one pass, streamed: a long printed log is never held
            with_loss += _has_loss(record, known)
            yield record

    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        columns = columns_from_records(counted(console_records(iter(f), known)), known)
    return columns if with_loss >= MIN_RECORDS else None
