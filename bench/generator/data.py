"""Data for each family (seeded, small, learnable in a few hundred steps) and its data bugs."""

from __future__ import annotations

import torch

from bench.broken_runs.data import blobs, images, tokens

from .config import CLASSIFY, RunConfig

__all__ = ["make_data", "Data"]

Data = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]  # xt, yt, xv, yv


def _multilabel(n: int, g: torch.Generator, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Six labels, each the sign of a fixed random projection of the input."""
    w = torch.randn(20, 6, generator=g)
    x = torch.randn(n, 20, generator=g)
    y = ((x @ w + 0.5 * noise * torch.randn(n, 6, generator=g)) > 0.3).float()
    return x, y


def _lowrank(n: int, g: torch.Generator, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    """20-d points near a 3-d subspace (targets are the inputs: reconstruction)."""
    basis = torch.randn(3, 20, generator=g) / 3 ** 0.5
    x = torch.randn(n, 3, generator=g) @ basis + 0.1 * noise * torch.randn(n, 20, generator=g)
    return x, x


def _sequences(n: int, g: torch.Generator, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Four channels of noise over 16 steps; the class's channel drifts upwards."""
    y = torch.randint(0, 4, (n,), generator=g)
    x = noise * torch.randn(n, 16, 4, generator=g)
    x[torch.arange(n), :, y] += torch.linspace(0.0, 1.2, 16)
    return x, y


def _patches(x: torch.Tensor, size: int = 4) -> torch.Tensor:
    """(N, 1, H, W) images as (N, H*W / size², size²) sequences of flattened patches."""
    n, _, h, w = x.shape
    x = x.reshape(n, h // size, size, w // size, size).permute(0, 1, 3, 2, 4)
    return x.reshape(n, (h // size) * (w // size), size * size).contiguous()


def _regression(n: int, g: torch.Generator, noise: float,
                offset: float) -> tuple[torch.Tensor, torch.Tensor]:
    w = torch.randn(10, generator=g)
    x = torch.randn(n, 10, generator=g)
    y = torch.tanh(x @ w / 2) * 2 + 0.3 * x[:, 0] * x[:, 1] + 0.1 * noise * torch.randn(
        n, generator=g) + offset
    return x, y


def _raw(c: RunConfig, n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    f = c.family
    if f in ("mlp", "resmlp"):
        return blobs(n, g, d=20, classes=5, sep=0.55 / c.noise)
    if f == "binary":
        return blobs(n, g, d=20, classes=2, sep=0.45 / c.noise)
    if f == "multilabel":
        return _multilabel(n, g, c.noise)
    if f == "regression":
        return _regression(n, g, c.noise, c.target_offset)
    if f == "autoencoder":
        return _lowrank(n, g, c.noise)
    if f in ("cnn_bn", "rescnn", "mixer", "sepconv"):  # (mixer: cut into patches in make_data)
        return images(n, g, size=12, classes=4, noise=0.3 * c.noise)
    if f in ("gru", "lstm", "bigru_attn"):
        return _sequences(n, g, c.noise)
    if f in ("conv1d", "tcn"):  # the same signals, channels first as Conv1d reads them
        x, y = _sequences(n, g, c.noise)
        return x.transpose(1, 2).contiguous(), y
    if f == "transformer":
        return tokens(n, g, length=16, vocab=16, classes=4)
    raise ValueError(f"unknown family {f!r}")


def _keep_imbalanced(c: RunConfig, x: torch.Tensor, y: torch.Tensor,
                     g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    keep = (y == 0) | (torch.rand(len(y), generator=g) < c.imbalance)
    return x[keep], y[keep]


def make_data(c: RunConfig) -> Data:
    """Train and validation tensors of ``c``, with its data bug (if any) applied."""
    g = torch.Generator().manual_seed(1000 + c.seed)
    x, y = _raw(c, c.n_train + c.n_val, g)
    if c.family in ("cnn_bn", "rescnn", "mixer", "sepconv"):
        if c.uint8_images:  # pixels never divided by 255 (the model casts to float)
            x = (x * 255).round().clamp(0, 255).to(torch.uint8)
        else:  # the usual Normalize(mean, std)
            x = (x - x[:c.n_train].mean()) / x[:c.n_train].std()
        if c.family == "mixer":  # 9 patches of 4x4 pixels, as the patch embedding reads them
            x = _patches(x)
    if c.family in CLASSIFY and c.family != "binary":
        y = y.long()
    elif c.family == "binary":
        y = y.float()
    if c.input_scale != 1.0 or c.input_offset:  # raw units: features never standardised
        if c.family in ("conv1d", "tcn"):  # per channel (channels first)
            scales = torch.logspace(0, 1, x.shape[1])[:, None] * c.input_scale
        else:
            scales = torch.logspace(0, 1, x.shape[-1]) * c.input_scale
        x = x * scales + c.input_offset
        if c.family == "autoencoder":
            y = x
    xt, yt, xv, yv = x[:c.n_train], y[:c.n_train], x[c.n_train:], y[c.n_train:]
    if c.label_noise:
        k = int(round(c.label_noise * len(yt)))
        idx = torch.randperm(len(yt), generator=g)[:k]
        yt = yt.clone()
        yt[idx] = yt[idx[torch.randperm(k, generator=g)]]
    if c.imbalance:
        xt, yt = _keep_imbalanced(c, xt, yt, g)
        xv, yv = _keep_imbalanced(c, xv, yv, g)
    if c.val_shift:
        xv = xv * (1 + c.val_shift) + 2 * c.val_shift
        if c.family == "autoencoder":
            yv = xv
    return xt, yt, xv, yv
