"""Whether the model reorders its input's axes with ``view``/``reshape`` instead of a transpose.

The first layer the batch reaches is compared with the batch itself: the same values per
sample, laid out with the axes swapped (``(batch, time, channels)`` read as ``(batch,
channels, time)``), either in the batch's own memory order — ``view``/``reshape`` relabelled
the axes and mixed time steps into channels — or moved as a ``permute``/``transpose`` moves
them. A first layer that takes the batch as it is says nothing either way.
"""

from __future__ import annotations

import itertools

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .models import Batch

__all__ = ["first_leaf_input", "first_leaf_input_eval", "first_leaf_io", "first_leaf_io_eval",
           "layout_view_findings"]


def first_leaf_io(model: nn.Module, x: torch.Tensor, skip: tuple[type, ...] = ()
                  ) -> tuple[str, torch.Tensor, object] | None:
    """The first leaf module the forward pass runs (not one of the ``skip`` types), the
    tensor it was given and what it returned (None where its forward never finished)."""
    seen: list[tuple[str, torch.Tensor]] = []
    returned: list[object] = []
    hooks = []
    for name, module in model.named_modules():
        if next(module.children(), None) is None and not isinstance(module, skip):
            hooks.append(module.register_forward_pre_hook(
                lambda _m, args, name=name: seen.append((name, args[0]))
                if not seen and args and isinstance(args[0], torch.Tensor) else None))
            hooks.append(module.register_forward_hook(
                lambda _m, _args, out, name=name: returned.append(out)
                if seen and seen[0][0] == name and not returned else None))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for hook in hooks:
            hook.remove()
    return (*seen[0], returned[0] if returned else None) if seen else None


def first_leaf_io_eval(model: nn.Module, x: torch.Tensor, skip: tuple[type, ...] = ()
                       ) -> tuple[str, torch.Tensor, object] | None:
    """:func:`first_leaf_io` with the model in eval mode (its mode restored after)."""
    was_training = model.training
    model.eval()
    try:
        return first_leaf_io(model, x, skip)
    finally:
        model.train(was_training)


def first_leaf_input(model: nn.Module, x: torch.Tensor) -> tuple[str, torch.Tensor] | None:
    """The first leaf module the forward pass runs and the tensor it was given."""
    found = first_leaf_io(model, x)
    return None if found is None else (found[0], found[1])


def first_leaf_input_eval(model: nn.Module, x: torch.Tensor) -> tuple[str, torch.Tensor] | None:
    """:func:`first_leaf_input` with the model in eval mode (its mode restored after)."""
    found = first_leaf_io_eval(model, x)
    return None if found is None else (found[0], found[1])


def _dims(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ")"


def _moved(x: torch.Tensor, got: torch.Tensor) -> bool:
    """``got`` is ``x`` with its non-batch axes permuted (the data moved, not relabelled)."""
    for order in itertools.permutations(range(1, x.dim())):
        moved = x.permute(0, *order)
        if moved.shape == got.shape and torch.equal(moved, got):
            return True
    return False


def layout_view_findings(model: nn.Module, batch: Batch, device: torch.device) -> list[Finding]:
    """``input.layout_via_view`` when the first layer's input is the batch with its axes
    swapped: true if only the labels of the axes changed, false if the data was moved."""
    x = batch.inputs
    if not x.is_floating_point() or x.dim() < 3:
        return []
    x = x[:4].to(device)
    first = first_leaf_input_eval(model, x)
    if first is None:
        return []
    name, got = first
    shape, seen = tuple(x.shape[1:]), tuple(got.shape[1:])
    if got.shape[0] != x.shape[0] or seen == shape or sorted(seen) != sorted(shape) \
            or len(set(shape)) < 2 or not got.is_floating_point():
        return []
    if [n for n in seen if n != 1] == [n for n in shape if n != 1]:
        return []  # only an axis of size 1 moved: a view and a transpose are the same data
    flat = got.reshape(len(got), -1)
    if torch.equal(flat.to(x.dtype), x.reshape(len(x), -1)):
        return [Finding("input.layout_via_view", True,
                        say("layout.viewed", layer=name, shape=_dims(shape), seen=_dims(seen)))]
    if _moved(x, got.to(x.dtype)):
        return [Finding("input.layout_via_view", False,
                        say("layout.moved", layer=name, shape=_dims(shape), seen=_dims(seen)))]
    return []
