"""Synthetic data sets for the broken runs: small, seeded, learnable in a few hundred steps.

Every generator returns ``(x, y)`` tensors; the scenario's data bug is applied afterwards
(:func:`apply_data_bug`), the way a user's pipeline would have done it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

__all__ = ["TASKS", "make_task", "apply_data_bug", "Split"]

Split = tuple[torch.Tensor, torch.Tensor]


def blobs(n: int, g: torch.Generator, d: int = 20, classes: int = 5, sep: float = 1.2,
          offset: float = 0.0, scale: float = 1.0) -> Split:
    """Gaussian blobs: one centre per class (fixed by the generator), unit noise."""
    centers = torch.randn(classes, d, generator=g) * sep + offset
    y = torch.randint(0, classes, (n,), generator=g)
    x = centers[y] + torch.randn(n, d, generator=g)
    return x * scale, y


def rings(n: int, g: torch.Generator, classes: int = 3, d: int = 2) -> Split:
    """Concentric rings: the class is the radius band; no linear model separates them."""
    y = torch.randint(0, classes, (n,), generator=g)
    radius = 1.0 + 1.5 * y.float() + 0.25 * torch.randn(n, generator=g)
    angle = 2 * math.pi * torch.rand(n, generator=g)
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    x = x / 2.5
    return x, y


def images(n: int, g: torch.Generator, size: int = 12, classes: int = 4, amp: float = 0.3,
           noise: float = 0.3) -> Split:
    """Grey images in [0, 1]: a class-specific blurred template plus noise."""
    templates = torch.rand(classes, 1, size // 3, size // 3, generator=g)
    templates = torch.nn.functional.interpolate(templates, size=(size, size), mode="bilinear",
                                                align_corners=False)
    y = torch.randint(0, classes, (n,), generator=g)
    x = amp * templates[y] + 0.2 + noise * torch.randn(n, 1, size, size, generator=g)
    return x.clamp(0, 1), y


def sequences(n: int, g: torch.Generator, length: int = 20, d: int = 4, classes: int = 4,
              cue_only: bool = False) -> Split:
    """Sequences: the class sets the frequency of a sine on channel 0, plus noise.

    With ``cue_only`` the class is shown only at the first step and the rest is noise: a
    long-range dependency.
    """
    y = torch.randint(0, classes, (n,), generator=g)
    t = torch.arange(length).float()
    x = 0.5 * torch.randn(n, length, d, generator=g)
    if cue_only:
        x[:, 0, :] = 0.0
        x[torch.arange(n), 0, y % d] = 3.0
    else:
        freq = (y.float() + 1.0) / length * 2
        phase = 2 * math.pi * torch.rand(n, 1, generator=g)
        x[:, :, 0] += torch.sin(2 * math.pi * freq[:, None] * t[None] + phase)
    return x, y


def tokens(n: int, g: torch.Generator, length: int = 16, vocab: int = 16,
           classes: int = 4) -> Split:
    """Token sequences: the class is the token (1..classes) that occurs most often."""
    x = torch.randint(classes + 1, vocab, (n, length), generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    for i in range(n):
        pos = torch.randperm(length, generator=g)
        k = 4
        x[i, pos[:k]] = y[i] + 1
        other = (y[i] + 1 + torch.randint(1, classes, (1,), generator=g)) % classes
        x[i, pos[k:k + 2]] = other + 1
    return x, y


def regression(n: int, g: torch.Generator, d: int = 10) -> Split:
    """Linear regression with a little noise; targets of shape (N,)."""
    w = torch.randn(d, generator=g)
    x = torch.randn(n, d, generator=g)
    y = x @ w + 0.1 * torch.randn(n, generator=g)
    return x, y


TASKS: dict[str, Callable[..., Split]] = {
    "blobs": blobs, "rings": rings, "images": images, "sequences": sequences,
    "tokens": tokens, "regression": regression,
}


def make_task(name: str, n: int, seed: int, **kwargs: object) -> Split:
    """Draw ``n`` samples of task ``name``; the same seed gives the same task (centres)."""
    g = torch.Generator().manual_seed(seed)
    return TASKS[name](n, g, **kwargs)


def apply_data_bug(bug: str | None, x: torch.Tensor, y: torch.Tensor, seed: int,
                   train: bool) -> Split:
    """Apply a data-pipeline bug (or a healthy normalisation) to one split."""
    g = torch.Generator().manual_seed(seed + 7)
    if bug == "uint8":  # pixels never divided by 255
        return (x * 255).round().clamp(0, 255).to(torch.uint8), y
    if bug == "raw_scale":  # tabular features in raw units, never standardised
        scales = torch.logspace(0, 3.5, x.shape[1])
        return x * scales + 40.0, y
    if bug == "shuffle_labels" and train:
        return x, y[torch.randperm(len(y), generator=g)]
    if bug == "roll_labels" and train:  # labels one row off after a join
        return x, torch.roll(y, 1)
    if bug == "imbalance":
        keep = (y == 0) | (torch.rand(len(y), generator=g) < 0.06)
        return x[keep], y[keep]
    if bug == "const_feature":  # a feature that is constant (a dead sensor)
        x = x.clone()
        x[:, 3] = 1.0
        return x, y
    if bug == "shift_val" and not train:
        return x * 1.5 + 1.5, y
    return x, y
