"""Train one scenario for real and write what a user would have on disk.

Artefacts in the run folder: ``model.py`` (factory ``build``), ``checkpoint.pt`` (a
``torch.save`` dict with model and optimizer state), ``train_log.csv`` or
``train_log.jsonl``, ``batch.pt`` (``(inputs, targets)``), ``complaint.txt`` and
``truth.json``.
"""

from __future__ import annotations

import csv
import json
import math
import time
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from .data import apply_data_bug, make_task
from .models import model_source
from .spec import Scenario
from .truth import truth_facts

__all__ = ["train_scenario", "LOG_COLUMNS"]

LOG_COLUMNS = ["step", "epoch", "loss", "lr", "grad_norm", "val_loss", "val_acc"]


def _build(src: str, path: Path) -> nn.Module:
    namespace: dict[str, Any] = {"__name__": "bench_model"}
    exec(compile(src, str(path), "exec"), namespace)
    return namespace["build"]()


def _soft_targets(y: torch.Tensor, classes: int, seed: int) -> torch.Tensor:
    """A teacher's soft labels: peaked on the true class, with per-sample noise."""
    g = torch.Generator().manual_seed(seed + 11)
    logits = 2.5 * F.one_hot(y, classes).float() + 0.5 * torch.randn(len(y), classes, generator=g)
    return F.softmax(logits, 1)


def loss_value(kind: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The training loss as the user's script computes it (bugs included)."""
    if kind == "ce":
        return F.cross_entropy(out.float(), y)
    if kind == "nll":
        return F.nll_loss(out, y)
    if kind == "neg_ce":  # meant to be maximised elsewhere; the minus sign slipped in
        return -F.cross_entropy(out, y)
    if kind == "log_probs_no_eps":  # the model returns probabilities; log without eps
        return -(F.one_hot(y, out.shape[1]) * torch.log(out)).sum(1).mean()
    if kind == "bce_no_eps":  # hand-written BCE on sigmoid probabilities, no eps, no clamp
        t = y.float()
        p = out.squeeze(1)
        return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()
    if kind == "kl":
        return F.kl_div(F.log_softmax(out, 1), y, reduction="batchmean")
    if kind == "kl_probs":  # F.kl_div wants log-probabilities as input, gets probabilities
        return F.kl_div(F.softmax(out, 1), y, reduction="batchmean")
    if kind == "mse":
        return F.mse_loss(out.squeeze(1), y)
    if kind == "mse_broadcast":  # (N, 1) against (N,): broadcasts to (N, N)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return F.mse_loss(out, y)
    raise ValueError(f"unknown loss {kind!r}")


def _accuracy(out: torch.Tensor, y: torch.Tensor) -> float:
    pred = (out.squeeze(1) > 0.5).long() if out.shape[1] == 1 else out.argmax(1)
    return float((pred == y).float().mean())


def _order(scn: Scenario, y: torch.Tensor, g: torch.Generator) -> list[torch.Tensor]:
    """The batches of one epoch, as the user's data loader yields them."""
    n, bs = len(y), scn.batch_size
    if scn.order == "sorted":
        idx = torch.argsort(y, stable=True)
        return [idx[i:i + bs] for i in range(0, n, bs)]
    if scn.order == "single_class":
        batches = []
        for c in torch.unique(y):
            members = torch.nonzero(y == c).flatten()
            members = members[torch.randperm(len(members), generator=g)]
            batches += [members[i:i + bs] for i in range(0, len(members), bs)]
        perm = torch.randperm(len(batches), generator=g)
        return [batches[i] for i in perm]
    idx = torch.randperm(n, generator=g)
    return [idx[i:i + bs] for i in range(0, n, bs)]


def make_optimizer(params: list[nn.Parameter], optimizer: str, lr: float, momentum: float,
                   weight_decay: float, decay_bias: bool) -> torch.optim.Optimizer:
    """The run's optimizer; without ``decay_bias`` biases and norm scales get no decay."""
    if weight_decay and not decay_bias:
        groups: Any = [
            {"params": [p for p in params if p.dim() > 1], "weight_decay": weight_decay},
            {"params": [p for p in params if p.dim() <= 1], "weight_decay": 0.0},
        ]
    else:
        groups = [{"params": params, "weight_decay": weight_decay}]
    if optimizer == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=momentum)
    if optimizer == "adamw":
        return torch.optim.AdamW(groups, lr=lr)
    return torch.optim.Adam(groups, lr=lr)


def make_scheduler(schedule: str | None, opt: torch.optim.Optimizer, total: int) -> Any:
    """cosine to 0, a 0.1 step every third of the run, or none."""
    if schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
    if schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, total // 3), gamma=0.1)
    return None


def _optimizer(scn: Scenario, model: nn.Module) -> torch.optim.Optimizer:
    params = list((model.head if scn.train_only == "head" else model).parameters())
    return make_optimizer(params, scn.optimizer, scn.lr, scn.momentum, scn.weight_decay,
                          scn.decay_bias)


def _data(scn: Scenario) -> tuple[torch.Tensor, ...]:
    x, y = make_task(scn.task, scn.n_train + scn.n_val, scn.seed, **scn.task_kwargs)
    if scn.task == "images" and scn.data_bug != "uint8":  # the usual Normalize(mean, std)
        x = (x - x[:scn.n_train].mean()) / x[:scn.n_train].std()
    xt, yt = apply_data_bug(scn.data_bug, x[:scn.n_train], y[:scn.n_train], scn.seed, True)
    xv, yv = apply_data_bug(scn.data_bug, x[scn.n_train:], y[scn.n_train:], scn.seed, False)
    return xt, yt, xv, yv


def _grad_norm(model: nn.Module) -> float:
    total = sum(float(p.grad.float().pow(2).sum()) for p in model.parameters()
                if p.grad is not None)
    return math.sqrt(total)


def _write_log(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        return
    columns = [c for c in LOG_COLUMNS if any(c in r for r in rows)]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)


def train_scenario(scn: Scenario, root: Path) -> dict[str, Any]:
    """Train ``scn`` and write its artefacts under ``root``; return the truth record."""
    start = time.perf_counter()
    torch.set_num_threads(1)
    root.mkdir(parents=True, exist_ok=True)
    src = model_source(scn.model, f"{scn.id} ({scn.model.arch})")
    (root / "model.py").write_text(src, encoding="utf-8")
    model = _build(src, root / "model.py")
    xt, yt, xv, yv = _data(scn)
    classes = scn.model.classes if scn.model.arch != "mlp" else scn.model.dims[-1]
    soft = scn.loss in ("kl", "kl_probs")
    tt = _soft_targets(yt, classes, scn.seed) if soft else yt
    tv = _soft_targets(yv, classes, scn.seed) if soft else yv
    if scn.model.half:
        xt, xv = xt.half(), xv.half()
    regression = scn.loss.startswith("mse")
    opt = _optimizer(scn, model)
    g = torch.Generator().manual_seed(scn.seed + 1)
    torch.manual_seed(scn.seed)
    steps_per_epoch = len(_order(scn, yt, torch.Generator().manual_seed(0)))
    sched = make_scheduler(scn.schedule, opt, steps_per_epoch * scn.epochs)
    eval_every = scn.eval_every or max(1, steps_per_epoch // 2)
    rows: list[dict[str, Any]] = []
    step, nan_steps, epoch, batch = 0, 0, 0, None
    for epoch in range(scn.epochs):
        batches = _order(scn, yt, g)
        batch = (xt[batches[0]].clone(), tt[batches[0]].clone())
        for idx in batches:
            model.train()
            out = model(xt[idx])
            loss = loss_value(scn.loss, out, tt[idx])
            opt.zero_grad()
            (loss * scn.loss_scale).backward()
            if scn.loss_scale != 1.0:
                for p in model.parameters():
                    if p.grad is not None:
                        p.grad.div_(scn.loss_scale)
            grad_norm = _grad_norm(model)
            if scn.clip:
                nn.utils.clip_grad_norm_(model.parameters(), scn.clip)
            lr = opt.param_groups[0]["lr"]
            opt.step()
            if sched is not None:
                sched.step()
            row: dict[str, Any] = {"step": step, "epoch": epoch, "loss": float(loss.detach()),
                                   "lr": lr, "grad_norm": grad_norm}
            if step % eval_every == eval_every - 1:
                model.eval()
                with torch.no_grad():
                    vout = model(xv)
                    row["val_loss"] = float(loss_value(scn.loss, vout, tv))
                    if not regression:
                        row["val_acc"] = _accuracy(vout.float(), yv)
            rows.append(row)
            step += 1
            nan_steps += not math.isfinite(row["loss"])
            if nan_steps >= scn.max_nan_steps:
                break
        if nan_steps >= scn.max_nan_steps:
            break
    shares = [] if regression else (torch.bincount(yv, minlength=classes).float()
                                    / len(yv)).tolist()
    log_path = root / ("train_log.jsonl" if scn.log_format == "jsonl" else "train_log.csv")
    _write_log(log_path, rows, scn.log_format)
    ckpt: dict[str, Any] = {scn.ckpt_key: model.state_dict(), "optimizer": opt.state_dict(),
                            "step": step, "epoch": epoch}
    if sched is not None:
        ckpt["lr_scheduler"] = sched.state_dict()
    torch.save(ckpt, root / "checkpoint.pt")
    assert batch is not None
    torch.save(batch, root / "batch.pt")
    (root / "complaint.txt").write_text(scn.complaint + "\n", encoding="utf-8")
    truth = {
        "id": scn.id,
        "causes": list(scn.causes),
        "healthy": scn.healthy,
        "arch": scn.model.arch,
        "bug": scn.bug,
        "complaint": scn.complaint,
        "files": {"checkpoint": "checkpoint.pt", "log": log_path.name,
                  "model": "model.py:build", "batch": "batch.pt"},
        "facts": truth_facts(scn, rows, model, shares),
        "train_seconds": round(time.perf_counter() - start, 2),
        "steps": step,
    }
    (root / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return truth
