"""Small summaries of tensors for the trace: a few numbers each, computed without autograd."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

__all__ = ["first_tensor", "model_output", "tensor_summary", "activation_summary", "label_summary",
           "class_width", "RELU_LIKE"]

#: Dead channels are judged on at most this many samples of each batch …
ACT_SAMPLES = 16
#: … and mean, std and zeros on at most this many values of each activation.
ACT_ELEMENTS = 1 << 16
#: Modules whose output is never negative: a channel never positive in a batch is dead.
RELU_LIKE: tuple[type[nn.Module], ...] = (nn.ReLU, nn.ReLU6)


def first_tensor(value: Any) -> torch.Tensor | None:
    """The first tensor in a module's inputs or outputs (tuples, lists, dicts, HF outputs)."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    elif hasattr(value, "to_tuple"):  # transformers ModelOutput
        value = value.to_tuple()
    if isinstance(value, list | tuple):
        for item in value:
            found = first_tensor(item)
            if found is not None:
                return found
    return None


def model_output(value: Any) -> torch.Tensor | None:
    """The tensor standing for a model's prediction: ``logits`` of a dict or Hugging Face
    output (whose first field is often the loss), else the first tensor."""
    logits = value.get("logits") if isinstance(value, dict) else getattr(value, "logits", None)
    return logits if isinstance(logits, torch.Tensor) else first_tensor(value)


def _num(value: torch.Tensor) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


@torch.no_grad()
def tensor_summary(t: torch.Tensor) -> dict[str, Any]:
    """Shape, dtype, mean, std, min and max (``None`` for non-finite values)."""
    out: dict[str, Any] = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}
    if t.numel() == 0 or t.is_complex():
        return out
    x = t.detach().float()
    out.update(mean=_num(x.mean()), std=_num(x.std()) if x.numel() > 1 else 0.0,
               min=_num(x.min()), max=_num(x.max()))
    return out


@torch.no_grad()
def activation_summary(module: nn.Module, t: torch.Tensor) -> dict[str, Any]:
    """Mean, std and share of exact zeros over an evenly strided sample of at most
    :data:`ACT_ELEMENTS` values; for ReLU-like modules, the share of channels never positive
    in the first :data:`ACT_SAMPLES` samples. Sampling keeps the cost flat as layers grow."""
    if t.numel() == 0 or not t.is_floating_point():
        return {}
    x = t.detach()
    flat = x.reshape(-1)
    if flat.numel() > ACT_ELEMENTS:
        flat = flat[::flat.numel() // ACT_ELEMENTS]
    flat = flat.float()
    std, mean = torch.std_mean(flat) if flat.numel() > 1 else (flat.new_zeros(()), flat.mean())
    out: dict[str, Any] = {"mean": _num(mean), "std": _num(std),
                           "zero": 1.0 - int(torch.count_nonzero(flat)) / flat.numel()}
    if isinstance(module, RELU_LIKE) and x.dim() >= 2:
        dims = [0, *range(2, x.dim())]
        out["dead"] = 1.0 - float((x[:ACT_SAMPLES].amax(dim=dims) > 0).float().mean())
    return out


def class_width(out_shape: list[int] | None, labels: torch.Tensor) -> int | None:
    """The model output's class dimension for these labels (None when it cannot be told)."""
    if not out_shape or labels.dim() == 0:
        return None
    shape = list(labels.shape)
    candidates = [d for d in range(len(out_shape)) if out_shape[:d] + out_shape[d + 1:] == shape]
    for d in (1, len(out_shape) - 1):
        if d in candidates:
            return out_shape[d]
    total = math.prod(out_shape)
    if labels.dim() == 1 and out_shape and labels.numel() * out_shape[-1] == total:
        return out_shape[-1]  # flattened tokens against (batch, time, vocab)
    return None


@torch.no_grad()
def label_summary(labels: torch.Tensor, out_shape: list[int] | None) -> dict[str, Any]:
    """Range, dtype, the most frequent value and its share, and the output's class width."""
    out: dict[str, Any] = {"shape": list(labels.shape),
                           "dtype": str(labels.dtype).replace("torch.", "")}
    if labels.numel() == 0:
        return out
    flat = labels.detach().reshape(-1)
    out.update(min=float(flat.min()), max=float(flat.max()))
    if not flat.is_floating_point():
        values, counts = flat.unique(return_counts=True)
        top = int(counts.argmax())
        out.update(top_value=int(values[top]), top_share=float(counts[top]) / flat.numel(),
                   distinct=int(values.numel()))
        out["out_width"] = class_width(out_shape, labels)
    return out
