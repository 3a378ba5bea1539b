"""The trace format: JSON lines, append-only, one record per line. Torch-free.

Every line is one JSON object with a ``type``. A run writes, in order:

``start``
    ``schema`` (``dldoctor.trace/1``), ``torch``, ``model`` (class name), ``params`` and
    ``trainable`` (counts), ``param_dtypes``, ``every`` (sampling period in optimizer steps),
    ``has_batchnorm``, ``has_dropout``, ``has_recurrent``, ``optimizer`` (``kind``, ``groups``:
    ``lr``, ``params``),
    ``not_in_optimizer`` (names of trainable parameters that no optimizer group holds),
    ``scaler`` (bool), ``framework`` (``lightning``, ``transformers`` or null), and with
    ``loader=``: ``loader`` (``num_workers``, ``worker_init_fn``, ``persistent_workers``,
    ``dataset``, ``dataset_rngs``: random generators the dataset holds, which every worker
    copies), with ``val_loader=``: ``val_loader`` (``random_transforms``: class names of random
    augmentations in the validation dataset's transforms).
``step`` (after every optimizer step)
    ``step`` (1-based), ``lr`` (one per group), ``backwards`` (backward passes since the last
    step), ``stale_grad`` (the first backward after the previous step found gradients left in
    ``.grad``: ``zero_grad()`` was not called; ``null`` when not measured), ``train_forwards``
    and ``eval_forwards`` (forwards with autograd on, by the model's ``training`` flag),
    ``nograd_forwards`` (forwards under ``no_grad``, e.g. validation), ``bn_updates`` (increase
    of the BatchNorm ``num_batches_tracked`` counters), ``rnn_state_with_graph`` (recurrent
    forwards whose hidden state still carried the previous batch's autograd graph),
    ``orphan_grads`` (parameters with a gradient that no optimizer group holds), ``autocast``
    (dtype of ``torch.autocast`` at the training forwards, or null), and, when
    known, ``scale`` (AMP GradScaler), ``grad_norm`` (global, sampled steps only).
``layers`` (every ``every`` steps)
    ``step``, ``grad_norm`` and ``update_ratio`` (‖Δw‖/‖w‖ of this step) per parameter,
    ``act`` per leaf module: ``mean``, ``std``, ``zero`` (share of exact zeros), ``dead`` (share
    of channels never positive in the batch, for ReLU-like modules).
``batch`` (every ``every`` steps, written at the forward)
    ``step``, the model input's ``shape``, ``dtype``, ``mean``, ``std``, ``min``, ``max``, and the
    output's ``out_shape``.
``log`` (each ``handle.log(...)``)
    ``step`` (optimizer steps completed so far) and the metrics given (numbers). Tensors
    named ``targets`` or ``labels`` are summarised as a ``labels`` record instead: ``min``,
    ``max``, ``dtype``, ``shape``, ``top_value``, ``top_share``,
    ``out_width`` (the model output's class dimension).
``rnn_state_with_graph`` (once, the first time it happens)
    ``step``, ``module``, ``made_at_step``: a recurrent module got a hidden state whose autograd
    graph was built in an earlier step (the state was carried over without ``detach()``).
``loss_check`` (sampled steps with integer sequence targets where one value dominates)
    ``step``, ``logged`` (the loss given to ``log``), ``all`` and ``ignoring``: cross-entropy
    of the output over every position and without the dominant ``value`` (padding, usually).
``nonfinite`` (once, at the first non-finite output or loss)
    ``step``, ``where`` (``module`` or ``loss``), ``module`` (first module whose output was not
    finite, in execution order; ``null`` when every output was finite).
``end`` (when the handle closes)
    ``steps``.

A killed run loses at most the line being written; :func:`read_trace` skips a torn last line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dldoctor.error_texts import err
from dldoctor.errors import InputError

__all__ = ["SCHEMA", "read_trace", "Trace"]

SCHEMA = "dldoctor.trace/1"


class Trace:
    """A trace read back: the start record and the other records by type, in order."""

    def __init__(self, path: Path, records: list[dict[str, Any]]) -> None:
        self.path = path
        self.records = records
        self.start: dict[str, Any] = records[0] if records else {}

    def of(self, kind: str) -> list[dict[str, Any]]:
        """The records of one type, in the order they were written."""
        return [r for r in self.records if r.get("type") == kind]

    @property
    def finished(self) -> bool:
        return any(r.get("type") == "end" for r in self.records)


def read_trace(path: Path) -> Trace:
    """Read a trace; a file that is not one raises :class:`InputError` naming the line."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(err("trace.missing", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(err("trace.unreadable", path=path, reason=exc)) from None
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):  # torn by a killed run: keep what came before
                break
            raise InputError(err("trace.not_json", path=path, line=number)) from None
        if not isinstance(record, dict) or "type" not in record:
            raise InputError(err("trace.no_type", path=path, line=number))
        records.append(record)
    if not records or records[0].get("type") != "start" or records[0].get("schema") != SCHEMA:
        raise InputError(err("trace.no_start", path=path, schema=SCHEMA))
    return Trace(path, records)
