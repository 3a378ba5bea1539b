"""Models whose ``forward`` takes more than one tensor — ``forward(words, lengths)`` for packed
sequences, ``forward(x, mask)`` — as every live probe calls a model: ``model(inputs)``.

The arguments after the first come from the batch file when it names them (a dict keyed by
``forward``'s argument names, or a tuple ``(inputs, extra…, targets)`` with exactly one item
per extra argument); a lengths argument the file does not hold (``lengths``, ``seq_lens``,
…) is counted from the inputs' own padding, as the collate function did. The model is
wrapped in place so that ``model(x)`` passes them along, row by row with ``x``: a probe that
feeds two samples, one half of the batch or the batch as float still gets each row's own.
"""

from __future__ import annotations

import inspect
import re
import types
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from .padding import padding_mask

if TYPE_CHECKING:
    from .models import Batch

__all__ = ["needed_arguments", "bind_extras", "forward_with", "arrange_batch", "lengths_of",
           "LENGTH_NAME", "key_for_argument",
           "WholeBatchOnly"]

#: An argument that holds each sequence's length.
LENGTH_NAME = re.compile(r"^(\w+_)?(lengths?|lens|seq_lens?|seq_lengths?|sizes)$")
#: A Hugging Face attention mask (1 on a real token, 0 on padding): a batch saved without it
#: is read with the mask its own padding gives (all ones where it shows none).
ATTENTION_MASK = "attention_mask"


def _forward_parameters(model: nn.Module) -> list[inspect.Parameter] | None:
    """``forward``'s parameters as the class defines it (a wrapped ``forward`` — Hugging
    Face's adapters, this module's — is read from the class); None when unreadable."""
    try:
        return list(inspect.signature(type(model).forward).parameters.values())
    except (TypeError, ValueError):
        return None


def _positional(parameters: list[inspect.Parameter]) -> list[inspect.Parameter]:
    """The positional parameters after ``self``."""
    return [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]


def needed_arguments(model: nn.Module) -> list[str]:
    """The names of the arguments ``forward`` requires after its first (none for most
    models)."""
    parameters = _forward_parameters(model)
    if parameters is None:
        return []
    required = [p.name for p in _positional(parameters) if p.default is p.empty][1:]
    return required + [p.name for p in parameters
                       if p.kind == p.KEYWORD_ONLY and p.default is p.empty]


def first_argument(model: nn.Module) -> str | None:
    """The name of the first argument ``forward`` takes after ``self`` (None for one that
    takes only ``*args``, or whose signature cannot be read)."""
    parameters = _forward_parameters(model)
    positional = _positional(parameters) if parameters is not None else []
    return positional[0].name if positional else None


#: Optional arguments never filled from the batch: given, they make a model compute its own
#: loss (Hugging Face's ``labels``) instead of its output.
_LOSS_ARGUMENTS = frozenset({"labels", "label", "targets", "target", "y", "return_loss"})


#: Set on a model whose ``forward`` this module replaced (not another adapter).
_BOUND = "_dldoctor_extras_bound"


def named_optional_arguments(model: nn.Module, batch: Batch) -> list[str]:
    """Optional arguments of ``forward`` after its first that a dict batch holds under their
    own names: the person saved them for the forward (a pointer network's teacher-forcing
    ``order``, a ``mask``), so the model runs as it was trained, not with the default."""
    try:
        signature = inspect.signature(type(model).forward)
    except (TypeError, ValueError):
        return []
    params = [p for p in signature.parameters.values()
              if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)][2:]  # without self, x
    return [p.name for p in params if p.default is not p.empty and p.name in batch.named
            and p.name not in _LOSS_ARGUMENTS]


def lengths_of(x: torch.Tensor) -> torch.Tensor | None:
    """Each row's length without its padding (:func:`.padding.padding_mask`; the whole row
    when the batch shows no padding); None for inputs that are not (batch, positions) token
    ids."""
    if x.dim() != 2 or x.is_floating_point() or x.shape[1] < 2:
        return None
    found = padding_mask(x)
    pads = found[0].sum(dim=1) if found is not None else torch.zeros(x.shape[0], dtype=torch.int64)
    return (x.shape[1] - pads).clamp(min=1)


@dataclass(frozen=True)
class _Plan:
    """Where each extra argument comes from: a tensor per sample of the batch, or None to
    count lengths from the inputs."""

    names: tuple[str, ...]
    given: tuple[torch.Tensor | None, ...]
    from_tuple: bool
    #: per argument: one tensor for the whole batch (a graph's ``edge_index``, a shared
    #: mask), not one row per sample
    whole: tuple[bool, ...] = ()
    #: the argument the batch's inputs go to when it is not ``forward``'s first
    #: (:func:`_inputs_elsewhere`); None: the first
    input_name: str | None = None

    def call(self, forward: Any, model: nn.Module, x: torch.Tensor, extras: dict[str, Any]
             ) -> Any:
        """``forward`` on the inputs ``x`` and the other arguments ``extras``."""
        if self.input_name is not None:
            return forward(model, **{self.input_name: x}, **extras)
        return forward(model, x, **extras)


def _attention_mask(x: torch.Tensor) -> torch.Tensor:
    """1 on each real token of (batch, positions) ids, 0 on the padding
    :func:`.padding.padding_mask` finds (all ones when it finds none)."""
    found = padding_mask(x) if x.dim() == 2 and not x.is_floating_point() else None
    return (~found[0]).long() if found is not None else torch.ones_like(x, dtype=torch.long)


def key_for_argument(name: str, keys: list[str]) -> str | None:
    """The one dict key that is ``name`` or spells it out (``ch`` → ``chamber``, ``rec`` →
    ``recipe``: the argument's name is the key's start, in any letter case); None when no
    key or several do."""
    lowered = name.lower()
    exact = [k for k in keys if k.lower() == lowered]
    if exact:
        return exact[0]
    spelt = [k for k in keys if len(lowered) >= 2 and k.lower().startswith(lowered)]
    return spelt[0] if len(spelt) == 1 else None


def _inputs_elsewhere(model: nn.Module, batch: Batch
                      ) -> tuple[str, dict[str, torch.Tensor]] | None:
    """``forward(ch, rec, x)`` fed ``{"inputs", "chamber", "recipe", "targets"}``: every
    required argument but one is named by a key of the dict (or spelt out by it), and the one
    left, the argument the batch's inputs go to, is not the first. That argument's name and
    the other arguments' tensors; None for any other model or batch."""
    parameters = _forward_parameters(model)
    if parameters is None or not batch.named or batch.parts is not None:
        return None
    required = [p.name for p in _positional(parameters) if p.default is p.empty]
    keys = list(batch.named)
    found = {n: k for n in required if (k := key_for_argument(n, keys)) is not None}
    left = [n for n in required if n not in found]
    if len(required) < 2 or len(left) != 1 or left[0] == required[0] or \
            len(set(found.values())) != len(found):
        return None
    rows = batch.inputs.shape[0]
    given = {n: batch.named[k] for n, k in found.items()}
    if any(t.dim() == 0 or t.shape[0] != rows for t in given.values()):
        return None
    return left[0], given


def _in_order(names: list[str], batch: Batch) -> dict[str, torch.Tensor]:
    """A dict batch whose other tensors are named otherwise than ``forward``'s arguments
    (``{"inputs", "inputs_b", "targets"}`` for ``forward(x1, x2)``): as many unclaimed
    tensors, one row per sample each, as arguments it does not name, taken in the dict's
    order (the order it was saved in); none when the counts differ. A lengths argument is
    still counted from the padding."""
    missing = [name for name in names if name not in batch.named and not LENGTH_NAME.match(name)]
    unclaimed = [t for key, t in batch.named.items() if key not in names]
    rows = batch.inputs.shape[0]
    if not missing or len(unclaimed) != len(missing) \
            or any(t.dim() == 0 or t.shape[0] != rows for t in unclaimed):
        return {}
    return dict(zip(missing, unclaimed, strict=True))


def _plan(model: nn.Module, batch: Batch) -> _Plan | None:
    if (elsewhere := _inputs_elsewhere(model, batch)) is not None:
        input_name, given_by_name = elsewhere
        return _Plan(tuple(given_by_name), tuple(given_by_name.values()), False,
                     (False,) * len(given_by_name), input_name)
    names = needed_arguments(model)
    optional = [n for n in named_optional_arguments(model, batch) if n not in names]
    # a forward already adapted to take the batch's one input (an encoder–decoder fed its
    # source and decoder ids together) passes its own extras
    if optional and batch.parts is None and ("forward" not in vars(model)
                                             or getattr(model, _BOUND, False)):
        names = names + optional
    if not names:
        return None
    given: list[torch.Tensor | None] = []
    parts = batch.parts
    from_tuple = parts is not None and len(parts) == len(names) + 2
    by_order = _in_order(names, batch)
    for i, name in enumerate(names):
        if name in batch.named:
            given.append(batch.named[name])
        elif name in _LOSS_ARGUMENTS and batch.targets is not None and not from_tuple:
            # a required ``y`` is what the forward is fed the targets as (a transducer's
            # prediction network, a teacher-forced decoder)
            given.append(batch.targets)
        elif name in by_order:
            given.append(by_order[name])
        elif from_tuple and parts is not None:
            given.append(parts[1 + i])
        elif (LENGTH_NAME.match(name) or name == ATTENTION_MASK) and \
                lengths_of(batch.inputs) is not None:
            given.append(None)
        else:
            return None  # the model cannot run on this batch: check_runs says so
    if any(t is not None and t.dim() == 0 for t in given):
        return None
    # a dict key named after the argument but not one row per sample is the whole batch's
    whole = tuple(t is not None and t.shape[0] != batch.inputs.shape[0] for t in given)
    if any(w and name not in batch.named for w, name in zip(whole, names, strict=True)):
        return None
    return _Plan(tuple(names), tuple(given), from_tuple, whole)


class _RowIndex:
    """Where each row of a tensor fed to the model sits in the batch (rows matched by value;
    the lookup table is built once, at the first call on a part of the batch). Rows that
    repeat in the batch (category codes of a table) are handed out in order, each occurrence
    once: the first half of a batch gets the first half's own extras (a repeated row had
    taken the first occurrence's, and the batch-mixing check read a mix)."""

    def __init__(self, full: torch.Tensor) -> None:
        self.full = full.detach().cpu()
        self._where: dict[bytes, list[int]] | None = None

    def __call__(self, x: torch.Tensor) -> torch.Tensor | None:
        """The index of each row of ``x``; None when a row is not in the batch."""
        full = self.full
        if x.shape[1:] != full.shape[1:]:
            return None
        x = x.detach().cpu().to(full.dtype)
        if x.shape[0] <= full.shape[0] and torch.equal(x, full[: x.shape[0]]):
            return torch.arange(x.shape[0])  # the batch or its first rows, as they are
        n = full.shape[0]
        if x.shape[0] < n and torch.equal(x, full[n - x.shape[0]:]):
            return torch.arange(n - x.shape[0], n)  # its last rows (the batch-mixing check)
        try:
            if self._where is None:
                where: dict[bytes, list[int]] = {}
                for i, row in enumerate(full.reshape(full.shape[0], -1)):
                    where.setdefault(row.numpy().tobytes(), []).append(i)
                self._where = where
            taken: dict[bytes, int] = {}
            found: list[int | None] = []
            for row in x.reshape(x.shape[0], -1):
                key = row.numpy().tobytes()
                places = self._where.get(key)
                if not places:
                    found.append(None)
                    continue
                n = taken.get(key, 0)
                found.append(places[n % len(places)])
                taken[key] = n + 1
        except (TypeError, RuntimeError):  # a dtype NumPy has no bytes for (bfloat16)
            return None
        if any(i is None for i in found):
            return None
        return torch.tensor(found, dtype=torch.long)


def forward_with(model: nn.Module, batch: Batch, rows: int, replaced: dict[str, torch.Tensor]
                 ) -> Any:
    """``forward`` (as the class defines it) on the batch's first ``rows`` samples with every
    extra argument from the batch, some of them ``replaced``; None when the batch does not
    supply each extra as one row per sample."""
    plan = _plan(model, batch)
    if plan is None or not set(replaced) <= set(plan.names):
        return None
    extras: dict[str, Any] = {}
    for name, tensor, whole in zip(plan.names, plan.given, plan.whole or
                                   (False,) * len(plan.names), strict=True):
        if tensor is None or whole:
            return None
        extras[name] = replaced.get(name, tensor[:rows])
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    return plan.call(type(model).forward, model, batch.inputs[:rows].to(device),
                     {k: v.to(device) for k, v in extras.items()})


def bind_extras(model: nn.Module, batch: Batch) -> None:
    """Let a model whose ``forward`` needs more than one tensor take the batch's inputs alone
    (in place; a no-op for any other model, or when the batch cannot supply them)."""
    plan = _plan(model, batch)
    if plan is None:
        return
    rows_of = _RowIndex(batch.inputs)
    prefixes: dict[int, _RowIndex] = {}
    original = type(model).forward

    def steps_of(x: torch.Tensor) -> tuple[torch.Tensor | None, int | None]:
        """Rows of ``x`` in the batch; for tokens cut short in time (a causal LM's inputs
        without their last token) the rows whose first steps they are, and that length."""
        rows = rows_of(x)
        full = rows_of.full
        if rows is not None or x.dim() < 2 or full.dim() != x.dim() or \
                not 0 < x.shape[1] < full.shape[1] or x.shape[2:] != full.shape[2:]:
            return rows, None
        index = prefixes.setdefault(x.shape[1], _RowIndex(full[:, : x.shape[1]]))
        found = index(x)
        return found, None if found is None else int(x.shape[1])

    def with_extras(self: nn.Module, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(x, torch.Tensor):
            return original(self, x, *args, **kwargs)
        rows = None
        steps: int | None = None
        extras: dict[str, Any] = {}
        for name, tensor, whole in zip(plan.names, plan.given, plan.whole or
                                       (False,) * len(plan.names), strict=True):
            if whole and tensor is not None:  # the whole batch's: only with the whole batch
                if not _is_whole(x):
                    raise WholeBatchOnly(name, rows_of.full.shape[0], x.shape[0])
                extras[name] = tensor.to(x.device)
                continue
            if tensor is None and name == ATTENTION_MASK:  # from the padding
                extras[name] = _attention_mask(x)
                continue
            if tensor is None:  # lengths counted from the row's own padding
                counted = lengths_of(x.long() if x.is_floating_point() else x)
                extras[name] = counted if counted is not None else \
                    torch.full((x.shape[0],), x.shape[1] if x.dim() > 1 else 1)
                continue
            if rows is None:
                rows, steps = steps_of(x)
                if rows is None:
                    rows = torch.arange(min(x.shape[0], tensor.shape[0]))
            given = tensor[rows]
            if steps is not None and given.dim() >= 2 and \
                    given.shape[1] == rows_of.full.shape[1]:
                given = given[:, :steps]  # a mask or position ids over the same steps
            extras[name] = given.to(x.device)
        return plan.call(original, self, x, extras)

    def _is_whole(x: torch.Tensor) -> bool:
        found = rows_of(x)
        return found is not None and found.shape[0] == rows_of.full.shape[0] and \
            bool(torch.equal(found, torch.arange(found.shape[0])))

    model.forward = types.MethodType(with_extras, model)
    setattr(model, _BOUND, True)  # its own forward: the batch's extras, not an adapter's


class WholeBatchOnly(RuntimeError):
    """A check fed part of the batch to a model whose ``forward`` takes a tensor for the
    whole batch (a graph's ``edge_index``): the part has no such tensor of its own."""

    def __init__(self, name: str, whole: int, given: int) -> None:
        super().__init__(f"forward() takes {name!r} for the whole batch of {whole} samples; "
                         f"this check feeds {given} of them, so it is skipped")
        self.name = name


def arrange_batch(model: nn.Module, batch: Batch) -> Batch:
    """The batch with its targets taken from the tuple's last item when the tuple also holds
    the model's extra inputs (``(words, lengths, labels)``); the same batch otherwise."""
    plan = _plan(model, batch)
    if plan is None or not plan.from_tuple or batch.parts is None:
        return batch
    targets = batch.parts[-1]
    return replace(batch, targets=targets, unpaired=None)
