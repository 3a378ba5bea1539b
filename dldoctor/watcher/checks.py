"""Two checks the watcher runs once in a while: what the logged loss is (padding counted?
divided by the accumulation steps?), and whether DataLoader workers share a generator."""

from __future__ import annotations

import math
import random
import re
from typing import Any

import torch
import torch.nn.functional as F

from .summaries import class_width

__all__ = ["loss_check", "loader_summary", "random_transforms", "DOMINANT_SHARE"]

#: Transform class names that draw random numbers (torchvision, albumentations, timm …).
_RANDOM_TRANSFORM = re.compile(r"^(Random|RandAugment|AutoAugment|TrivialAugment|AugMix|"
                               r"ColorJitter|GaussianBlur|GaussNoise|Mixup|Cutmix|CutMix)")

#: A target value this common in sequence targets is checked as possible padding.
DOMINANT_SHARE = 0.2


@torch.no_grad()
def loss_check(out: torch.Tensor, labels: torch.Tensor, logged: float) -> dict[str, Any] | None:
    """Cross-entropy of the output against integer targets, to compare with the logged loss.

    ``all`` is the mean over every position; for sequence targets where one value dominates
    (padding, usually) ``ignoring`` leaves that value out. The trace probe compares the logged
    loss with both (padding counted?) and with ``all`` / accumulation steps (loss divided?).
    None when the targets are not class indices of this output.
    """
    if labels.is_floating_point() or labels.dim() < 1 or not out.is_floating_point():
        return None
    width = class_width(list(out.shape), labels)
    if width is None or labels.min() < 0 or labels.max() >= width:
        return None
    dims = [d for d in (1, out.dim() - 1) if 0 < d < out.dim() and out.shape[d] == width
            and list(out.shape[:d]) + list(out.shape[d + 1:]) == list(labels.shape)]
    dim = dims[0] if dims else out.dim() - 1
    logits = out.movedim(dim, -1).reshape(-1, width).float()
    flat = labels.reshape(-1)
    every = float(F.cross_entropy(logits, flat))
    if not math.isfinite(every):
        return None
    check: dict[str, Any] = {"logged": logged, "all": every}
    values, counts = flat.unique(return_counts=True)
    top = int(counts.argmax())
    if labels.dim() >= 2 and float(counts[top]) / flat.numel() >= DOMINANT_SHARE:
        ignoring = float(F.cross_entropy(logits, flat, ignore_index=int(values[top])))
        if math.isfinite(ignoring):
            check.update(ignoring=ignoring, value=int(values[top]))
    return check


def _rng_attributes(obj: Any) -> list[str]:
    kinds: tuple[type, ...] = (random.Random, torch.Generator)
    try:
        import numpy as np

        kinds += (np.random.Generator, np.random.RandomState)
    except ImportError:  # pragma: no cover - numpy ships with dldoctor
        pass
    return [name for name, value in vars(obj).items() if isinstance(value, kinds)] \
        if hasattr(obj, "__dict__") else []


def _transforms(obj: Any, depth: int = 0) -> list[Any]:
    """The transform objects a dataset (or Compose) holds, nested ones included."""
    if obj is None or depth > 4:
        return []
    found = [obj]
    for attr in ("transforms", "transform", "target_transform"):
        inner = getattr(obj, attr, None)
        items = inner if isinstance(inner, list | tuple) else [inner]
        for item in items:
            if item is not None and item is not obj and not isinstance(item, str | bytes):
                found += _transforms(item, depth + 1)
    return found


def random_transforms(loader: Any) -> list[str]:
    """Names of random augmentations in a loader's dataset transforms (for a validation set)."""
    dataset = getattr(loader, "dataset", None)
    holders = [dataset, getattr(dataset, "dataset", None)]
    names = [type(t).__name__ for h in holders if h is not None
             for t in _transforms(h)[1:]]
    return sorted({n for n in names if _RANDOM_TRANSFORM.match(n)})


def loader_summary(loader: Any) -> dict[str, Any]:
    """Workers, worker_init_fn, and random generators the dataset holds (copied per worker)."""
    dataset = getattr(loader, "dataset", None)
    rngs = _rng_attributes(dataset)
    inner = getattr(dataset, "dataset", None)  # Subset, ConcatDataset members are rarer
    if inner is not None:
        rngs += [f"dataset.{n}" for n in _rng_attributes(inner)]
    return {"num_workers": int(getattr(loader, "num_workers", 0) or 0),
            "worker_init_fn": getattr(loader, "worker_init_fn", None) is not None,
            "persistent_workers": bool(getattr(loader, "persistent_workers", False)),
            "dataset": type(dataset).__name__, "dataset_rngs": rngs}
