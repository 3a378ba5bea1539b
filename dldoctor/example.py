"""The bundled example: a real, small, broken training run made on first use.

A small MLP classifier is trained with a learning rate far too high for SGD with momentum;
its loss blows up to NaN after a few dozen steps. The run leaves what a user would have: a
checkpoint with optimizer state, a CSV metrics log, the model factory and one batch.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Example", "ensure_example", "example_dir", "MODEL_SOURCE"]

MODEL_SOURCE = '''"""Model factory of the dldoctor example run."""

import torch.nn as nn


def build() -> nn.Module:
    return nn.Sequential(
        nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5)
    )
'''

_VERSION = "1"


@dataclass(frozen=True)
class Example:
    """Paths of the example artefacts and the complaint a person would type."""

    root: Path
    checkpoint: Path
    log: Path
    model: str
    batch: Path
    complaint: str = "my loss suddenly turns into NaN after a few dozen steps"


def example_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dldoctor" / f"example-v{_VERSION}"


def _paths(root: Path) -> Example:
    return Example(root, root / "checkpoint.pt", root / "train_log.csv",
                   f"{root / 'model.py'}:build", root / "batch.pt")


def ensure_example(root: Path | None = None) -> Example:
    """Return the example, training it first if it is not on disk yet (a second or two)."""
    root = root or example_dir()
    ex = _paths(root)
    if all(p.exists() for p in (ex.checkpoint, ex.log, ex.batch, root / "model.py")):
        return ex
    root.mkdir(parents=True, exist_ok=True)
    _train(ex)
    return ex


def _train(ex: Example) -> None:
    import torch
    from torch import nn

    torch.manual_seed(0)
    (ex.root / "model.py").write_text(MODEL_SOURCE, encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(MODEL_SOURCE, str(ex.root / "model.py"), "exec"), namespace)
    model: nn.Module = namespace["build"]()  # type: ignore[operator]

    n, classes = 2048, 5
    centers = torch.randn(classes, 20) * 2
    labels = torch.randint(0, classes, (n,))
    data = centers[labels] + torch.randn(n, 20)
    val_x, val_y = data[:256], labels[:256]
    train_x, train_y = data[256:], labels[256:]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    step = 0
    for epoch in range(4):
        order = torch.randperm(len(train_x))
        for start in range(0, len(train_x), 64):
            idx = order[start:start + 64]
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            grad_norm = math.sqrt(sum(
                float(p.grad.pow(2).sum()) for p in model.parameters() if p.grad is not None
            ))
            optimizer.step()
            row = {"step": step, "epoch": epoch, "loss": float(loss.detach()), "lr": 0.5,
                   "grad_norm": grad_norm}
            if start == 0:
                with torch.no_grad():
                    out = model(val_x)
                    row["val_loss"] = float(loss_fn(out, val_y))
                    row["val_acc"] = float((out.argmax(1) == val_y).float().mean())
            rows.append(row)
            step += 1
    with ex.log.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["step", "epoch", "loss", "lr", "grad_norm", "val_loss",
                                    "val_acc"])
        writer.writeheader()
        writer.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "step": step, "epoch": 3}, ex.checkpoint)
    torch.save((train_x[:64].clone(), train_y[:64].clone()), ex.batch)
