"""Whether a forecaster reads the future it is asked to predict (``data.future_in_inputs``).

A batch whose targets are its own inputs shifted ahead along one axis — the next sample of a
signal, the next token of a text — asks the model for step t + k from the steps up to t. A
convolution padded on both sides, a bidirectional RNN or an attention without its causal mask
lets the output at step t read step t + k itself: training and validation losses fall far
below what the data allow, and the model is useless when the future is not there.

The check changes every input after a middle step (to another sample's values at those steps)
and compares the model's outputs up to that step, in eval mode: a causal model's do not move.
It runs only where the batch shows the shift; a batch of other targets says nothing. Token
targets identical to the token inputs (the Hugging Face ``labels=input_ids`` convention) are a
language model that shifts inside its loss: step t's output predicts token t + 1, so it too
must not read past step t. Float targets equal to the inputs are a reconstruction, not a
forecast, and are left alone.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .base import Finding
from .evidence import Pct, say
from .extra_inputs import forward_with
from .models import Batch

__all__ = ["future_leak_findings", "shifted_axis", "MIN_STEPS", "MAX_SHIFT", "MOVED"]

#: A sequence shorter than this has too little past and future to split.
MIN_STEPS = 8
#: Targets up to this many steps ahead of the inputs are looked for.
MAX_SHIFT = 4
#: Channels (features) one of which may be the forecast target.
MAX_CHANNELS = 16
#: Samples the check runs on.
SAMPLES = 8
#: The past outputs moved by at least this share of their largest size: the model read
#: later inputs (a causal model's move by float rounding only, ~1e-7).
MOVED = 1e-3


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    if a.shape != b.shape or a.numel() == 0:
        return False
    if not (a.is_floating_point() or b.is_floating_point()):
        kept = a != -100  # token targets ignored by the loss (padding)
        return bool(kept.float().mean() >= 0.5) and bool(torch.equal(a[kept], b[kept]))
    a, b = a.double(), b.double()
    scale = float(b.abs().max())
    return scale > 0 and bool(torch.allclose(a, b, rtol=1e-4, atol=1e-6 * scale))


def _views(x: torch.Tensor, y: torch.Tensor) -> list[tuple[torch.Tensor, int | None]]:
    """``x`` itself, or one channel of it (``(x[..., c], axis)``) shaped like the targets."""
    if x.shape == y.shape:
        return [(x, None)]
    if x.dim() != y.dim() + 1:
        return []
    return [(x.select(d, c), d) for d in range(1, x.dim())
            if x.shape[d] <= MAX_CHANNELS for c in range(x.shape[d])
            if x.select(d, c).shape == y.shape]


def shifted_axis(x: torch.Tensor, y: torch.Tensor) -> tuple[int, int] | None:
    """(axis of ``x``, k) when the targets ``y`` are the inputs (or one input channel) ``k``
    steps ahead along that axis; None otherwise."""
    if x.dim() < 2 or y.dim() < 2 or x.shape[0] != y.shape[0]:
        return None
    for view, picked in _views(x, y):
        for axis in range(1, view.dim()):
            steps = view.shape[axis]
            if steps < MIN_STEPS:
                continue
            for k in range(1, min(MAX_SHIFT, steps // 4) + 1):
                if _same(y.narrow(axis, 0, steps - k), view.narrow(axis, k, steps - k)) and \
                        not _same(y, view):
                    return (axis if picked is None or axis < picked else axis + 1), k
    return None


def _tokens_as_labels(x: torch.Tensor, y: torch.Tensor) -> bool:
    """Token ids whose labels are the ids themselves (the loss shifts them), long enough."""
    return x.dim() == 2 and x.shape == y.shape and x.shape[1] >= MIN_STEPS and \
        not x.is_floating_point() and not y.is_floating_point() and _same(y, x)


def _tensor(output: Any) -> torch.Tensor | None:
    if isinstance(output, torch.Tensor):
        return output
    logits = getattr(output, "logits", None)
    if isinstance(logits, torch.Tensor):
        return logits
    if isinstance(output, tuple | list) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    return None


def _time_axis(out: torch.Tensor, axis: int, steps: int) -> int | None:
    """The output's axis of the input's steps: the same index when it has that length, else
    the one axis that does."""
    if out.dim() > axis and out.shape[axis] == steps:
        return axis
    found = [d for d in range(1, out.dim()) if out.shape[d] == steps]
    return found[0] if len(found) == 1 else None


def _moved_share(before: Any, after: Any, axis: int, steps: int, last: int) -> float | None:
    """How far the outputs up to step ``last`` moved, as a share of their largest size; None
    when the outputs cannot be compared step by step."""
    before, after = _tensor(before), _tensor(after)
    if before is None or after is None or before.shape != after.shape or \
            not before.is_floating_point():
        return None
    out_axis = _time_axis(before, axis, steps)
    if out_axis is None:
        return None
    past = before.narrow(out_axis, 0, last + 1).double()
    moved_past = after.narrow(out_axis, 0, last + 1).double()
    if not (torch.isfinite(past).all() and torch.isfinite(moved_past).all()):
        return None
    size = float(past.abs().max())
    return None if size == 0 else float((past - moved_past).abs().max()) / size


def _target_tokens_passed(model: nn.Module, batch: Batch) -> list[Finding]:
    """``data.future_in_inputs`` for a forward argument that holds the target tokens
    themselves (a decoder fed the caption it must predict, unshifted): true when the output at
    a step moves as that argument changes from that very step on. A decoder fed its targets
    shifted (or a pointer network that uses them only after scoring a step) does not move."""
    y = batch.targets
    if not isinstance(y, torch.Tensor) or y.is_floating_point() or y.dim() != 2 or \
            y.shape[1] < MIN_STEPS or len(y) < 2:
        return []
    for name, tokens in batch.named.items():
        if tokens.shape != y.shape or tokens.is_floating_point() or not _same(y, tokens):
            continue
        rows, steps = min(SAMPLES, len(y)), int(y.shape[1])
        middle = steps // 2
        given = tokens[:rows]
        changed = given.clone()
        changed[:, middle:] = given.roll(1, 0)[:, middle:]
        if torch.equal(changed, given):
            return []
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                before = forward_with(model, batch, rows, {})
                after = forward_with(model, batch, rows, {name: changed})
        finally:
            model.train(was_training)
        moved = _moved_share(before, after, 1, steps, middle) if before is not None else None
        if moved is None:
            return []
        leak = moved >= MOVED
        words = say("leak.target_tokens" if leak else "leak.target_tokens_shifted", name=name,
                    step=middle, steps=steps, moved=Pct(moved) if leak else moved)
        return [Finding("data.future_in_inputs", leak, words),
                Finding("data.targets_fed_unshifted", leak, words)]
    return []


def future_leak_findings(model: nn.Module, batch: Batch, device: torch.device
                         ) -> list[Finding]:
    """``data.future_in_inputs``: true when the outputs up to a middle step move as the
    inputs after it change, for a batch whose targets are its inputs shifted ahead (or as a
    forward argument holding the target tokens changes from that step on)."""
    x, y = batch.inputs, batch.targets
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor) or len(x) < 2:
        return []
    found = shifted_axis(x, y)
    if found is None and _tokens_as_labels(x, y):
        found = (1, 0)
    if found is None:
        return _target_tokens_passed(model, batch)
    axis, k = found
    x = x[:SAMPLES].to(device)
    steps = x.shape[axis]
    middle = steps // 2
    later = steps - middle - 1
    changed = x.clone()
    changed.narrow(axis, middle + 1, later).copy_(x.roll(1, 0).narrow(axis, middle + 1, later))
    if torch.equal(changed, x):
        return []  # every sample alike after the middle: nothing to change
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            before, after = _tensor(model(x)), _tensor(model(changed))
    finally:
        model.train(was_training)
    if before is None or after is None or before.shape != after.shape or \
            not before.is_floating_point():
        return []
    out_axis = _time_axis(before, axis, steps)
    if out_axis is None:
        return []
    past = before.narrow(out_axis, 0, middle + 1).double()
    moved_past = after.narrow(out_axis, 0, middle + 1).double()
    if not (torch.isfinite(past).all() and torch.isfinite(moved_past).all()):
        return []
    size = float(past.abs().max())
    if size == 0:
        return []
    moved = float((past - moved_past).abs().max()) / size
    leak = moved >= MOVED
    key = ("leak.future" if leak else "leak.causal") + ("" if k else "_labels")
    words = say(key, k=k, step=middle, steps=steps, moved=Pct(moved) if leak else moved,
                axis=axis)
    return [Finding("data.future_in_inputs", leak, words),
            Finding("data.targets_fed_unshifted", False, words)]  # it reads later steps
