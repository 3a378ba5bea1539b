"""How much of its input the last convolution sees: its receptive field, measured.

The gradient of one output position of the model's last ``Conv1d``/``Conv2d`` with respect to
the input is non-zero exactly over the input positions that position sees. Measured in eval
mode (BatchNorm on its running statistics, no dropout), so each sample's output depends on its
own input only, and summed over a few samples so that a ReLU silent on one sample does not
shrink the span. The input's axes of length ≥ :data:`SPATIAL_MIN` are read; a channel axis is
seen whole, so the smallest share is the spatial one.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .models import Batch

__all__ = ["receptive_field_findings", "SPATIAL_MIN"]

#: An input axis shorter than this is no length to measure a receptive field against.
SPATIAL_MIN = 16
_SAMPLES = 8
#: Layers that mix every position after the convolutions: the model sees its whole input.
_MIXERS = (nn.RNNBase, nn.MultiheadAttention, nn.TransformerEncoderLayer,
           nn.TransformerDecoderLayer)


def _span(grad: torch.Tensor) -> list[tuple[float, int, int]]:
    """(share, span, length) of the non-zero gradient along each long enough axis."""
    spans = []
    for axis in range(grad.dim()):
        length = grad.shape[axis]
        if length < SPATIAL_MIN:
            continue
        profile = grad.sum(dim=[a for a in range(grad.dim()) if a != axis])
        hit = torch.nonzero(profile > 0).flatten()
        if len(hit):
            span = int(hit[-1] - hit[0]) + 1
            spans.append((span / length, span, length))
    return spans


def receptive_field_findings(model: nn.Module, batch: Batch,
                             device: torch.device) -> list[Finding]:
    """``arch.receptive_field_share``: the share of the input's length one position of the last
    convolution sees (nothing for a model without convolutions, with a recurrent or attention
    layer, whose convolutions are all pointwise — kernel 1 treats the axis as a set of
    elements, each processed alone on purpose — or fed token ids)."""
    convs = [(name, m) for name, m in model.named_modules()
             if isinstance(m, nn.Conv1d | nn.Conv2d)]
    x = batch.inputs
    if not convs or any(isinstance(m, _MIXERS) for m in model.modules()) \
            or not x.is_floating_point() or x.dim() < 3:
        return []
    if all(all(k == 1 for k in m.kernel_size) for _, m in convs):
        return []  # pointwise only: the axis is a set (PointNet's points), not a length
    name, conv = convs[-1]
    seen: list[torch.Tensor] = []
    hook = conv.register_forward_hook(lambda _m, _i, out: seen.append(out))
    was_training = model.training
    model.eval()
    try:
        inputs = x[:_SAMPLES].to(device).float().clone().requires_grad_(True)
        with torch.enable_grad():
            model(inputs)
            if not seen or not isinstance(seen[0], torch.Tensor) or seen[0].dim() < 3:
                return []
            out = seen[0]
            centre = [size // 2 for size in out.shape[2:]]
            index: tuple[slice | int, ...] = (slice(None), slice(None), *centre)
            out[index].sum().backward()
    finally:
        hook.remove()
        model.train(was_training)
    if inputs.grad is None:
        return []
    spans = _span(inputs.grad.abs().sum(0))
    if not spans:
        return []
    share, span, length = min(spans)
    return [Finding("arch.receptive_field_share", share,
                    say("rf.share", layer=name, span=span, length=length, share=share))]
