"""Models whose ``forward(batch)`` reads a dict itself, as the training loop handed it over:
``p_ids, q_ids = batch["inputs"], batch["question"]``.

Every live probe calls a model as ``model(inputs)`` with one tensor. A model that indexes its
one argument by key fails on a tensor, so when the batch file is a dict, ``forward`` takes
exactly one argument, and the model runs on the dict's first two samples but not on their
inputs alone, the model is wrapped in place: ``model(x)`` builds the dict again around ``x``,
with the other keys' rows matched to ``x``'s rows (a probe that feeds a half, a shuffled or a
perturbed copy still gets each row's own question, mask or time stamps). The targets go in
only when the model cannot run without them.
"""

from __future__ import annotations

import types
import warnings
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from .extra_inputs import _forward_parameters, _positional, _RowIndex, needed_arguments

if TYPE_CHECKING:
    from .models import Batch

__all__ = ["bind_batch_dict"]


def _takes_one_argument(model: nn.Module) -> bool:
    """``forward(self, batch)``: one positional argument, nothing else required, no
    ``*args`` to pass a tuple through."""
    parameters = _forward_parameters(model)
    if parameters is None or any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return False
    return len(_positional(parameters)) == 1 and not needed_arguments(model)


def _rows_of(batch: Batch, index: torch.Tensor, with_targets: bool) -> dict[str, Any]:
    """The dict as saved, its tensors cut to the rows ``index`` (a tensor that is not one row
    per sample, the whole batch's, kept whole); the inputs are left for the caller."""
    rows = batch.inputs.shape[0]
    saved = dict(batch.named)
    _, target_key = batch.keys or (None, None)
    if with_targets and target_key is not None and batch.targets is not None:
        saved[target_key] = batch.targets
    return {k: v[index] if v.dim() and v.shape[0] == rows else v for k, v in saved.items()}


def _runs(model: nn.Module, call: Any) -> bool:
    """Whether ``call()`` returns, in eval mode without autograd and without moving the
    random streams (a trial, not a probe's measurement; what it warns of is not said: a
    tensor indexed by a key warns before it fails)."""
    training = model.training
    model.eval()
    try:
        with torch.random.fork_rng(), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
        return True
    except Exception:  # noqa: BLE001 - the user's code may raise anything
        return False
    finally:
        model.train(training)


def bind_batch_dict(model: nn.Module, batch: Batch) -> None:
    """Let a ``forward(batch)`` that indexes a dict take the batch's inputs alone (in place;
    a no-op for a model that takes the tensor, or a batch that was no dict)."""
    if batch.keys is None or batch.keys[0] is None or batch.unpaired is not None or \
            not _takes_one_argument(model):
        return
    input_key = batch.keys[0]
    original = type(model).forward
    two = batch.inputs[:2]
    first_two = torch.arange(two.shape[0])
    if _runs(model, lambda: original(model, two)):
        return  # it takes the tensor: nothing to adapt
    with_targets = next((flag for flag in (False, True) if _runs(
        model, lambda flag=flag: original(model, {**_rows_of(batch, first_two, flag),
                                                  input_key: two}))), None)
    if with_targets is None:
        return  # it runs on neither: check_runs says why
    rows_of = _RowIndex(batch.inputs)

    def from_dict(self: nn.Module, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(x, torch.Tensor):
            return original(self, x, *args, **kwargs)
        index = rows_of(x)
        if index is None:  # a perturbed copy: the rows in order, as many as it has
            index = torch.arange(min(x.shape[0], batch.inputs.shape[0]))
        given = {k: v.to(x.device) if isinstance(v, torch.Tensor) else v
                 for k, v in _rows_of(batch, index, with_targets).items()}
        return original(self, {**given, input_key: x})

    model.forward = types.MethodType(from_dict, model)
