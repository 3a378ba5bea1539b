"""Which axis each recurrent layer reads as the batch: ``arch.recurrent_batch_axis_right``.

An LSTM, GRU or RNN reads dimension 0 of its input as the batch when built with
``batch_first=True`` and dimension 1 otherwise. Fed a tensor whose batch sits on the other
axis, its recurrence runs across the samples. Hooked on a forward pass over the user's batch,
the size each recurrent layer sees on its batch axis tells which: the batch's sample count
there is the right reading; the sample count on the time axis (and something else on the batch
axis) the wrong one. A layer fed a packed sequence, or a batch whose sample count equals its
length, tells nothing.
"""

from __future__ import annotations

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import say
from .live_sweep import feed
from .models import Batch

__all__ = ["recurrent_axis_findings"]


def recurrent_axis_findings(model: nn.Module, batch: Batch, device: torch.device
                            ) -> list[Finding]:
    """``arch.recurrent_batch_axis_right``: True when every recurrent layer that saw a plain
    tensor saw the batch's sample count on its batch axis, False when one saw it on its time
    axis instead; "don't know" without a torch recurrent layer (a hand-written cell loop) or
    a reading (a packed sequence, as many steps as samples)."""
    unread = [Finding("arch.recurrent_batch_axis_right", UNKNOWN, say("rnn.axis_unread"))]
    layers = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.RNNBase)]
    if not layers:
        return unread
    samples = int(batch.inputs.shape[0])
    seen: dict[str, tuple[int, int, bool]] = {}

    def hook(name: str):  # noqa: ANN202 - a forward hook
        def record(module: nn.Module, args: tuple, _out: object) -> None:
            x = args[0] if args else None
            if isinstance(x, torch.Tensor) and x.dim() == 3 and name not in seen:
                first = bool(getattr(module, "batch_first", False))
                seen[name] = (int(x.shape[0 if first else 1]), int(x.shape[1 if first else 0]),
                              first)
        return record

    handles = [m.register_forward_hook(hook(name)) for name, m in layers]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(feed(batch, device))
    except Exception:  # noqa: BLE001 - the person's code may raise anything here
        return unread
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    readable = {n: s for n, s in seen.items() if s[0] != s[1]}
    if not readable:
        return unread
    wrong = [(n, s) for n, s in readable.items() if s[1] == samples and s[0] != samples]
    if wrong:
        name, (across, length, first) = wrong[0]
        return [Finding("arch.recurrent_batch_axis_right", False,
                        say("rnn.axis_wrong", name=name, samples=samples, across=across,
                            first=first))]
    if all(s[0] == samples for s in readable.values()):
        name, (_, length, first) = next(iter(readable.items()))
        return [Finding("arch.recurrent_batch_axis_right", True,
                        say("rnn.axis_right", name=name, samples=samples, length=length,
                            first=first))]
    return unread
