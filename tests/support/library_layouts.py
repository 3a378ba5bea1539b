"""Run folders as training libraries write them, built with plain torch/json/csv.

Each writer trains a tiny real model (a few hundred CPU steps at most) and saves every file the
library would, with the library's names and structure (checked against real runs of
transformers 5.17, lightning 2.6, accelerate 1.15 and timm's train.py). They stand in for the
libraries where those are not installed; tests that run the libraries themselves skip without
them.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn

__all__ = ["TinyRun", "train", "write_hf_checkpoint", "write_lightning_run", "write_timm_run",
           "write_accelerate_state", "TrainingArguments"]


@dataclass
class TrainingArguments:
    """Stands in for transformers.TrainingArguments in ``training_args.bin`` (a pickled object:
    the reader must take its fields without importing this class)."""

    output_dir: str = "out"
    learning_rate: float = 5e-5
    weight_decay: float = 0.0
    per_device_train_batch_size: int = 16
    num_train_epochs: float = 3.0


@dataclass
class TinyRun:
    """A trained tiny classifier and what its loop logged."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LRScheduler | None
    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    lrs: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    epochs: list[float] = field(default_factory=list)
    val: list[tuple[int, int, float, float]] = field(default_factory=list)  # step, epoch, loss, acc

    @property
    def global_step(self) -> int:
        return self.steps[-1] + 1 if self.steps else 0


def _data(seed: int, n: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=generator)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).long()
    return x, y


def train(epochs: int = 4, lr: float = 1e-2, weight_decay: float = 0.01, batch: int = 16,
          split_decay: bool = False, schedule_to_zero: bool = False, seed: int = 0,
          optimizer: str = "adamw") -> TinyRun:
    """Train a 2-layer MLP with AdamW (or SGD) on a separable 2-class task, as libraries do."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: threads only contend on a shared machine
    try:
        return _train(epochs, lr, weight_decay, batch, split_decay, schedule_to_zero, seed,
                      optimizer)
    finally:
        torch.set_num_threads(threads)


def _train(epochs: int, lr: float, weight_decay: float, batch: int, split_decay: bool,
           schedule_to_zero: bool, seed: int, optimizer: str) -> TinyRun:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
    if split_decay:  # HF Trainer / timm: no decay on biases and norms
        decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
        no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
        params: list = [{"params": decay, "weight_decay": weight_decay},
                        {"params": no_decay, "weight_decay": 0.0}]
    else:
        params = list(model.parameters())
    opt: torch.optim.Optimizer = (
        torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay) if optimizer == "adamw"
        else torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay))
    x, y = _data(seed)
    vx, vy = _data(seed + 1, 128)
    per_epoch = math.ceil(len(x) / batch)
    total = epochs * per_epoch
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1 - s / total) \
        if schedule_to_zero else None
    run = TinyRun(model, opt, scheduler)
    step = 0
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed + epoch))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1e9)
            run.lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            if scheduler is not None:
                scheduler.step()
            run.steps.append(step)
            run.losses.append(float(loss.detach()))
            run.grad_norms.append(float(norm))
            run.epochs.append(epoch + (start + batch) / len(x))
            step += 1
        with torch.no_grad():
            out = model(vx)
            run.val.append((step - 1, epoch, float(nn.functional.cross_entropy(out, vy)),
                            float((out.argmax(1) == vy).float().mean())))
    return run


def write_hf_checkpoint(output_dir: Path, run: TinyRun, args: TrainingArguments,
                        logging_steps: int = 4) -> Path:
    """``output_dir/checkpoint-N/`` as the HF Trainer saves it (safetensors weights)."""
    folder = output_dir / f"checkpoint-{run.global_step}"
    folder.mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in run.model.state_dict().items()},
              str(folder / "model.safetensors"), metadata={"format": "pt"})
    torch.save(run.optimizer.state_dict(), folder / "optimizer.pt")
    if run.scheduler is not None:
        state = {k: v for k, v in run.scheduler.state_dict().items() if k != "lr_lambdas"}
        torch.save(state, folder / "scheduler.pt")
    torch.save({"python": 1, "cpu": torch.get_rng_state()}, folder / "rng_state.pth")
    torch.save(args, folder / "training_args.bin")
    history: list[dict] = []
    for i in range(logging_steps - 1, len(run.steps), logging_steps):
        window = run.losses[i - logging_steps + 1:i + 1]
        history.append({"epoch": run.epochs[i], "grad_norm": run.grad_norms[i],
                        "learning_rate": run.lrs[i], "loss": sum(window) / len(window),
                        "step": i + 1})
    for step, epoch, loss, acc in run.val:
        history.append({"epoch": float(epoch + 1), "eval_loss": loss, "eval_accuracy": acc,
                        "eval_runtime": 0.01, "eval_samples_per_second": 9000.0,
                        "step": step + 1})
    history.sort(key=lambda r: (r["step"], "eval_loss" in r))
    state = {"best_metric": None, "epoch": float(len(run.val)), "global_step": run.global_step,
             "is_hyper_param_search": False, "logging_steps": logging_steps,
             "max_steps": run.global_step, "train_batch_size": args.per_device_train_batch_size,
             "log_history": history}
    (folder / "trainer_state.json").write_text(json.dumps(state, indent=2))
    return folder


def _sparse_rows(run: TinyRun, every: int) -> list[dict[str, object]]:
    """metrics.csv rows as Lightning's CSVLogger writes them: one metric group per row."""
    rows: list[dict[str, object]] = []
    for i in range(every - 1, len(run.steps), every):
        rows.append({"epoch": int(run.epochs[i] - 1e-9), "step": i, "lr-AdamW": run.lrs[i]})
        rows.append({"epoch": int(run.epochs[i] - 1e-9), "step": i,
                     "train_loss_step": run.losses[i]})
    for step, epoch, loss, acc in run.val:
        rows.append({"epoch": epoch, "step": step, "val_loss": loss, "val_acc": acc})
        per = [v for v, e in zip(run.losses, run.epochs, strict=True) if epoch < e <= epoch + 1]
        rows.append({"epoch": epoch, "step": step, "train_loss_epoch": sum(per) / len(per)})
    return rows


def write_lightning_run(root: Path, version: int, run: TinyRun, every: int = 2) -> Path:
    """``root/lightning_logs/version_K/`` with CSVLogger's metrics.csv and a ``.ckpt``."""
    folder = root / "lightning_logs" / f"version_{version}"
    (folder / "checkpoints").mkdir(parents=True)
    rows = _sparse_rows(run, every)
    columns = ["epoch", "lr-AdamW", "step", "train_loss_epoch", "train_loss_step", "val_acc",
               "val_loss"]
    with (folder / "metrics.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    (folder / "hparams.yaml").write_text("lr: 0.01\n")
    epochs = len(run.val)
    checkpoint = {
        "epoch": epochs - 1, "global_step": run.global_step,
        "pytorch-lightning_version": "2.6.6",
        "state_dict": {f"net.{k}": v for k, v in run.model.state_dict().items()},
        "loops": {"fit_loop": {"epoch_progress": {"total": {"completed": epochs - 1}}}},
        "callbacks": {}, "optimizer_states": [run.optimizer.state_dict()],
        "lr_schedulers": [], "hyper_parameters": {"lr": 0.01},
    }
    path = folder / "checkpoints" / f"epoch={epochs - 1}-step={run.global_step}.ckpt"
    torch.save(checkpoint, path)
    return folder


def write_timm_run(root: Path, run: TinyRun, args: argparse.Namespace) -> Path:
    """``output/train/<exp>/`` as timm's train.py leaves it (CheckpointSaver + summary.csv)."""
    folder = root / "output" / "train" / "20260101-000000-mlp-8"
    folder.mkdir(parents=True)
    for epoch, (_, _, _, acc) in enumerate(run.val):
        state = {"epoch": epoch, "arch": "mlp", "state_dict": run.model.state_dict(),
                 "optimizer": run.optimizer.state_dict(), "version": 2, "args": args,
                 "metric": 100 * acc}
        torch.save(state, folder / f"checkpoint-{epoch}.pth.tar")
    torch.save(state, folder / "last.pth.tar")
    torch.save(state, folder / "model_best.pth.tar")
    with (folder / "summary.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"])
        per_epoch = len(run.losses) // len(run.val)
        for epoch, (_, _, loss, acc) in enumerate(run.val):
            part = run.losses[epoch * per_epoch:(epoch + 1) * per_epoch]
            writer.writerow([epoch, sum(part) / len(part), loss, 100 * acc, 100.0,
                             run.lrs[epoch * per_epoch]])
    (folder / "args.yaml").write_text("".join(f"{k}: {v}\n" for k, v in vars(args).items()))
    return folder


def write_accelerate_state(project: Path, run: TinyRun,
                           log: Callable[[Path, TinyRun], None] | None = None) -> Path:
    """``project/checkpoints/checkpoint_0`` as ``Accelerator.save_state`` writes it."""
    folder = project / "checkpoints" / "checkpoint_0"
    folder.mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in run.model.state_dict().items()},
              str(folder / "model.safetensors"), metadata={"format": "pt"})
    torch.save(run.optimizer.state_dict(), folder / "optimizer.bin")
    with (folder / "random_states_0.pkl").open("wb") as f:
        pickle.dump({"step": 0, "random_state": (3, (1, 2), None)}, f)
    if log is not None:
        log(project / "run", run)
    return folder
