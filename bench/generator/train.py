"""Train one :class:`RunConfig` for real and write what a user would have on disk.

Run folder: ``model.py`` (factory ``build``), ``checkpoint.pt`` (model and optimizer state),
``train_log.csv`` or ``train_log.jsonl``, ``batch.pt`` (``(inputs, targets)``) and
``truth.json`` (written by :mod:`bench.generator.generate`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from bench.broken_runs.train import _grad_norm, _write_log, make_optimizer, make_scheduler

from .config import CLASSIFY, REGRESS, RunConfig
from .data import make_data
from .models import model_source

__all__ = ["train_run"]


def _build(src: str, path: Path) -> nn.Module:
    namespace: dict[str, Any] = {"__name__": "bench_model"}
    exec(compile(src, str(path), "exec"), namespace)
    return namespace["build"]()


def _soft(y: torch.Tensor, classes: int) -> torch.Tensor:
    return F.softmax(3.0 * F.one_hot(y, classes).float(), 1)


def loss_value(c: RunConfig, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The loss the user's script computes (bugs included)."""
    out = out.float() if c.loss != "log_no_eps" else out
    if c.loss == "nll":
        return F.nll_loss(out, y)
    if c.loss == "kl_probs":
        return F.kl_div(F.softmax(out, 1), _soft(y, out.shape[1]), reduction="batchmean")
    if c.loss == "log_no_eps":
        if out.shape[1] == 1:
            p, t = out.squeeze(1), y.float()
            return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()
        return -torch.log(out.gather(1, y[:, None])).mean()
    if c.family in REGRESS:
        base = F.mse_loss(out.squeeze(1) if c.family == "regression" else out, y)
    elif c.family in ("binary", "multilabel"):
        base = F.binary_cross_entropy_with_logits(out.reshape(y.shape), y)
    else:
        base = F.cross_entropy(out, y)
    return -base if c.loss == "neg" else base


def _accuracy(c: RunConfig, out: torch.Tensor, y: torch.Tensor) -> float:
    if c.family in ("binary", "multilabel"):
        logits = out.reshape(y.shape)
        pred = (logits > (0.5 if c.final == "probs" else 0.0)).float()
    else:
        pred = out.argmax(1)
    return float((pred == y).float().mean())


def _batches(c: RunConfig, y: torch.Tensor, g: torch.Generator) -> list[torch.Tensor]:
    n, bs = len(y), c.batch_size
    if c.order == "sorted":
        idx = torch.argsort(y, stable=True)
        return [idx[i:i + bs] for i in range(0, n, bs)]
    if c.order == "single_class":
        out: list[torch.Tensor] = []
        for cls in torch.unique(y):
            members = torch.nonzero(y == cls).flatten()
            members = members[torch.randperm(len(members), generator=g)]
            out += [members[i:i + bs] for i in range(0, len(members), bs)]
        return [out[i] for i in torch.randperm(len(out), generator=g)]
    idx = torch.randperm(n, generator=g)
    return [idx[i:i + bs] for i in range(0, n, bs)]


def _optimizer(c: RunConfig, model: nn.Module) -> torch.optim.Optimizer:
    params = list((model.head if c.train_only_head else model).parameters())  # type: ignore
    return make_optimizer(params, c.optimizer, c.lr, c.momentum, c.weight_decay, c.decay_bias)


def train_run(c: RunConfig, root: Path, max_nan_steps: int = 15) -> dict[str, Any]:
    """Train ``c`` and write its artefacts under ``root``; return what the log showed."""
    torch.set_num_threads(1)
    root.mkdir(parents=True, exist_ok=True)
    src = model_source(c)
    (root / "model.py").write_text(src, encoding="utf-8")
    model = _build(src, root / "model.py")
    xt, yt, xv, yv = make_data(c)
    if c.half:
        xt, xv = xt.half(), xv.half()
    opt = _optimizer(c, model)
    g = torch.Generator().manual_seed(c.seed + 1)
    torch.manual_seed(c.seed)
    order_y = yt if c.family in CLASSIFY else torch.zeros(len(yt))
    steps_per_epoch = len(_batches(c, order_y, torch.Generator().manual_seed(0)))
    sched = make_scheduler(c.schedule, opt, steps_per_epoch * c.epochs)
    eval_every = max(1, steps_per_epoch // 2)
    rows: list[dict[str, Any]] = []
    step, nan_steps, epoch, batch = 0, 0, 0, None
    for epoch in range(c.epochs):
        for idx in _batches(c, order_y, g):
            if batch is None:
                batch = (xt[idx].clone(), yt[idx].clone())
            model.train()
            loss = loss_value(c, model(xt[idx]), yt[idx])
            if c.zero_grad:
                opt.zero_grad()
            (loss * c.loss_scale).backward()
            if c.loss_scale != 1.0:
                for p in model.parameters():
                    if p.grad is not None:
                        p.grad.div_(c.loss_scale)
            grad_norm = _grad_norm(model)
            if c.clip:
                nn.utils.clip_grad_norm_(model.parameters(), c.clip)
            row: dict[str, Any] = {"step": step, "epoch": epoch, "loss": float(loss.detach()),
                                   "lr": opt.param_groups[0]["lr"], "grad_norm": grad_norm}
            opt.step()
            if sched is not None:
                sched.step()
            if step % eval_every == eval_every - 1:
                model.eval()
                with torch.no_grad():
                    vout = model(xv)
                    row["val_loss"] = float(loss_value(c, vout, yv))
                    if c.family not in REGRESS:
                        row["val_acc"] = _accuracy(c, vout.float(), yv)
            rows.append(row)
            step += 1
            nan_steps += not math.isfinite(row["loss"])
            if nan_steps >= max_nan_steps:
                break
        if nan_steps >= max_nan_steps:
            break
    log_path = root / ("train_log.jsonl" if c.log_format == "jsonl" else "train_log.csv")
    _write_log(log_path, rows, c.log_format)
    ckpt: dict[str, Any] = {c.ckpt_key: model.state_dict(), "optimizer": opt.state_dict(),
                            "step": step, "epoch": epoch}
    if sched is not None:
        ckpt["lr_scheduler"] = sched.state_dict()
    torch.save(ckpt, root / "checkpoint.pt")
    assert batch is not None
    torch.save(batch, root / "batch.pt")
    losses = [r["loss"] for r in rows]
    accs = [r["val_acc"] for r in rows if "val_acc" in r]
    return {"steps": step, "log": log_path.name,
            "first_loss": losses[0], "last_loss": losses[-1],
            "non_finite": any(not math.isfinite(v) for v in losses),
            "final_val_acc": accs[-1] if accs else None,
            "final_val_loss": next((r["val_loss"] for r in reversed(rows) if "val_loss" in r),
                                   None)}
