"""Train tiny models with a chosen bug and write what a user would hand to dldoctor.

``train_tiny(tmp_path, bug="lr_too_high")`` trains a 2-layer MLP on a synthetic 3-class
problem for a few dozen steps (well under a second) and returns the paths of its checkpoint,
CSV metrics log, model factory (``model.py:make``) and one batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs

from .writers import write_csv_log

#: The bugs train_tiny can plant, and what each does.
BUGS: dict[str | None, str] = {
    None: "healthy: normalised inputs, Adam lr=1e-2, no weight decay",
    "lr_too_high": "SGD with lr=50: the loss turns NaN within a few steps",
    "zero_init": "every weight and bias initialised to 0: hidden units stay identical",
    "unnormalized_input": "raw uint8 inputs in 0..255",
    "softmax_wrong_dim": "the model ends with softmax over the batch dimension",
    "frozen": "the first layer is left out of the optimizer",
    "decay_on_bias": "AdamW weight_decay=0.1 on every parameter, biases included",
    "dead_relu": "the first layer's bias is -20: every ReLU is dead",
    "detached": "the hidden activations are detached: the first layer gets no gradient",
    "missing_zero_grad": "optimizer.zero_grad() is never called: gradients accumulate",
    "kl_probs": "F.kl_div given probabilities (not log-probabilities): a bounded negative loss",
    "loss_negated": "the cross-entropy is minimised with the wrong sign",
    "probs_log": "the model ends with softmax and the loss is a hand-written -log(p[y])",
    "init_large": "weights drawn from N(0, 4): eight times the Kaiming scale",
}

_MODEL_SOURCE = '''
import torch
from torch import nn

BUG = {bug!r}


class TinyNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        h = self.act(self.fc1(x))
        if BUG == "detached":
            h = h.detach()
        out = self.fc2(h)
        if BUG == "softmax_wrong_dim":
            out = torch.log_softmax(out, dim=0)
        if BUG == "probs_log":
            out = torch.softmax(out, dim=1)
        return out


def make() -> nn.Module:
    torch.manual_seed(0)
    model = TinyNet()
    if BUG == "zero_init":
        for p in model.parameters():
            nn.init.zeros_(p)
    if BUG == "dead_relu":
        nn.init.constant_(model.fc1.bias, -20.0)
    if BUG == "init_large":
        for layer in (model.fc1, model.fc2):
            nn.init.normal_(layer.weight, std=4.0)
    return model
'''


@dataclass(frozen=True)
class Artefacts:
    """What a user hands over: checkpoint, log, model factory spec, batch."""

    checkpoint: Path
    log: Path
    model_spec: str
    batch: Path
    bug: str | None

    def inputs(self, *, checkpoint: bool = True, log: bool = True, live: bool = True,
               trust: bool = False) -> Inputs:
        return Inputs(checkpoint=self.checkpoint if checkpoint else None,
                      logs=(self.log,) if log else (),
                      model=self.model_spec if live else None,
                      batch=self.batch if live else None, device="cpu", trust=trust)


def make_data(n: int = 96, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """A separable 3-class problem in 8 dimensions with balanced labels."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=generator)
    y = torch.arange(n) % 3
    x[:, :3] += 2.0 * F.one_hot(y, 3).float()
    return x, y


def _load_factory(path: Path) -> nn.Module:
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    model = namespace["make"]()  # type: ignore[operator]
    assert isinstance(model, nn.Module)
    return model


#: Bugs whose validation loss is the script's own (broken) loss, as their logs would show.
_OWN_VAL_LOSS = frozenset({"kl_probs", "loss_negated", "probs_log"})


def _loss(bug: str | None, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The loss the user's script computes, bug included."""
    if bug == "softmax_wrong_dim":
        return F.nll_loss(out, y)
    if bug == "kl_probs":
        target = F.softmax(3.0 * F.one_hot(y, out.shape[1]).float(), 1)
        return F.kl_div(F.softmax(out, 1), target, reduction="batchmean")
    if bug == "loss_negated":
        return -F.cross_entropy(out, y)
    if bug == "probs_log":
        return -torch.log(out.gather(1, y[:, None])).mean()
    return F.cross_entropy(out, y)


def _optimizer(model: nn.Module, bug: str | None) -> torch.optim.Optimizer:
    if bug == "lr_too_high":
        return torch.optim.SGD(model.parameters(), lr=50.0, momentum=0.9)
    if bug == "decay_on_bias":
        return torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    params = [p for n, p in model.named_parameters() if not (bug == "frozen" and "fc1" in n)]
    return torch.optim.Adam(params, lr=1e-2)


def train_tiny(tmp_path: Path, bug: str | None = None, steps: int = 60,
               steps_per_epoch: int = 6) -> Artefacts:
    """Train the tiny net with ``bug`` planted; write and return its artefacts."""
    if bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}; choose from {sorted(map(str, BUGS))}")
    folder = Path(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    factory = folder / f"model_{bug or 'healthy'}.py"
    factory.write_text(_MODEL_SOURCE.format(bug=bug))
    model = _load_factory(factory)
    x, y = make_data()
    x_val, y_val = make_data(48, seed=1)
    if bug == "unnormalized_input":
        x = ((x * 40 + 128).clamp(0, 255)).to(torch.uint8)
        x_val = ((x_val * 40 + 128).clamp(0, 255)).to(torch.uint8)
    optimizer = _optimizer(model, bug)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=steps // 2, gamma=0.5)
    log: dict[str, list[float | None]] = {k: [] for k in (
        "step", "epoch", "train_loss", "val_loss", "val_acc", "lr", "grad_norm")}
    torch.manual_seed(0)
    for step in range(steps):
        index = torch.randint(0, x.shape[0], (32,))
        inputs = x[index].float()
        out = model(inputs)
        loss = _loss(bug, out, y[index])
        if bug != "missing_zero_grad":
            optimizer.zero_grad()
        loss.backward()
        grads = [p.grad.norm() for p in model.parameters() if p.grad is not None]
        grad_norm = float(torch.stack(grads).norm()) if grads else 0.0
        optimizer.step()
        scheduler.step()
        log["step"].append(step)
        log["epoch"].append(step // steps_per_epoch)
        log["train_loss"].append(float(loss.detach()))
        log["lr"].append(optimizer.param_groups[0]["lr"])
        log["grad_norm"].append(grad_norm if math.isfinite(grad_norm) else float("nan"))
        if (step + 1) % steps_per_epoch == 0:
            with torch.no_grad():
                val_out = model(x_val.float())
                val_loss = _loss(bug, val_out, y_val) if bug in _OWN_VAL_LOSS else \
                    F.cross_entropy(val_out, y_val)
                log["val_loss"].append(float(val_loss))
                log["val_acc"].append(float((val_out.argmax(1) == y_val).float().mean()))
        else:
            log["val_loss"].append(None)
            log["val_acc"].append(None)
    checkpoint = folder / f"checkpoint_{bug or 'healthy'}.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "lr_scheduler": scheduler.state_dict(), "step": steps,
                "epoch": steps // steps_per_epoch}, checkpoint)
    batch = folder / f"batch_{bug or 'healthy'}.pt"
    torch.save((x[:32].clone(), y[:32].clone()), batch)
    csv_log = write_csv_log(folder / f"train_{bug or 'healthy'}.csv", log)
    return Artefacts(checkpoint, csv_log, f"{factory}:make", batch, bug)
