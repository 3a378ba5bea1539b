"""Library defaults are not faults (issue 14, items 3 and 5), on real tiny runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes import curves
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_gradients import gradient_findings, measure_gradients
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.probes.task_info import majority_share
from dldoctor.session import Session

from .support.library_layouts import train
from .support.writers import write_csv_log

_KB: list = []


def _causes(checkpoint: Path) -> list[str]:
    if not _KB:
        _KB.append(load_knowledge())
    session = Session(_KB[0], Inputs(checkpoint=checkpoint, device="cpu"))
    session.run_probes()
    return [d.cause for d in session.report().diagnoses]


def _save(tmp_path: Path, name: str, **kwargs: object) -> Path:
    run = train(**kwargs)  # type: ignore[arg-type]
    path = tmp_path / name
    torch.save({"model": run.model.state_dict(), "optimizer": run.optimizer.state_dict(),
                "step": run.global_step}, path)
    return path


def _optimizer_facts(path: Path) -> dict:
    return {f.fact: f.value for f in probe_optimizer(Inputs(checkpoint=path), ProbeContext())}


def test_adamw_default_decay_on_biases_is_no_fault(tmp_path: Path) -> None:
    default = _save(tmp_path, "default.pt", weight_decay=0.01)  # AdamW(model.parameters())
    facts = _optimizer_facts(default)
    assert facts["optimizer.decay_on_bias"] is True and facts["optimizer.decoupled_decay"]
    assert "weight_decay_on_bias" not in _causes(default)
    heavy = _save(tmp_path, "heavy.pt", weight_decay=0.5)  # a real heavy decay on everything
    assert "weight_decay_on_bias" in _causes(heavy)


def test_sgd_l2_is_not_decoupled(tmp_path: Path) -> None:
    path = _save(tmp_path, "sgd.pt", optimizer="sgd", lr=0.05, weight_decay=5e-4)
    facts = _optimizer_facts(path)
    assert facts["optimizer.decoupled_decay"] is False
    assert facts["lr.decays"] is False  # no scheduler in the state: no initial_lr


def test_no_update_ratio_after_a_schedule_ends_at_lr_0(tmp_path: Path) -> None:
    path = _save(tmp_path, "final.pt", schedule_to_zero=True, split_decay=True)
    facts = _optimizer_facts(path)
    assert facts["update.ratio"] is UNKNOWN and facts["lr.decays"] is True
    causes = _causes(path)
    assert "dead_relu" not in causes and "gradient_not_flowing" not in causes
    live = _save(tmp_path, "mid.pt", split_decay=True)  # same run without the schedule
    assert 0 < _optimizer_facts(live)["update.ratio"] < 1


def test_all_zero_gradients_are_no_infinite_ratio() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    report = measure_gradients(model, lambda m: (nn.functional.cross_entropy(m(x), y), "ce"))
    facts = {f.fact: f.value for f in gradient_findings(report)}
    assert facts["grad.first_last_ratio"] is UNKNOWN
    assert facts["grad.zero_params"] is True


class _Tokens(nn.Module):
    """A tiny patch transformer's front: a class token and a positional table (leading
    dimension 1, broadcast over the batch), an embedding, then ordinary layers."""

    def __init__(self) -> None:
        super().__init__()
        self.cls = nn.Parameter(torch.zeros(1, 1, 8))
        self.pos = nn.Parameter(torch.randn(1, 5, 8) * 0.02)
        self.embed = nn.Embedding(10, 8)
        self.body = nn.Linear(8, 8)
        self.head = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.cat([self.cls.expand(x.shape[0], -1, -1), self.embed(x)], 1) + self.pos
        return self.head(torch.relu(self.body(h))[:, 0])


def test_the_first_layer_is_a_layer_not_a_token_or_table() -> None:
    """Gradient norms from first to last layer: a class token, a positional table and an
    embedding are not the layers whose gradients fade with depth."""
    torch.manual_seed(0)
    model = _Tokens()
    x, y = torch.randint(0, 10, (16, 4)), torch.randint(0, 3, (16,))
    report = measure_gradients(model, lambda m: (nn.functional.cross_entropy(m(x), y), "ce"))
    assert list(report.norms) == ["body.weight", "head.weight"]
    ratio = [f for f in gradient_findings(report) if f.fact == "grad.first_last_ratio"][0]
    assert ratio.value == report.norms["body.weight"] / report.norms["head.weight"]


def _batch(tmp_path: Path, share: float) -> Path:
    targets = torch.zeros(200, dtype=torch.long)
    targets[: round(200 * (1 - share))] = 1
    path = tmp_path / f"batch_{share}.pt"
    torch.save((torch.randn(200, 8), targets), path)
    return path


def test_chance_uses_the_class_prior(tmp_path: Path) -> None:
    batch = _batch(tmp_path, 0.9)
    share = majority_share(Inputs(batch=batch, device="cpu"), ProbeContext(), 2)
    assert share == 0.9
    small = tmp_path / "small.pt"  # too few targets to estimate a prior
    torch.save((torch.randn(32, 8), torch.zeros(32, dtype=torch.long)), small)
    assert majority_share(Inputs(batch=small, device="cpu"), ProbeContext(), 2) is None
    sorted_batch = _batch(tmp_path, 1.0)  # one class only: sorted data, not the class balance
    assert majority_share(Inputs(batch=sorted_batch, device="cpu"), ProbeContext(), 2) is None
    # four balanced classes, 128 rows: the largest at 36/128 = 0.281 is sampling, not a prior
    # (a new user's balanced char-CNN read as "imbalanced", chance 0.281)
    balanced = tmp_path / "balanced.pt"
    torch.save((torch.randn(128, 8), torch.tensor([0] * 36 + [1] * 32 + [2] * 31 + [3] * 29)),
               balanced)
    assert majority_share(Inputs(batch=balanced, device="cpu"), ProbeContext(), 4) is None
    rng = np.random.default_rng(0)
    loss = list(0.7 - 0.3 * np.linspace(0, 1, 40) + rng.normal(0, 0.01, 40))
    for accuracy, at_chance in ((0.9, True), (0.99, False)):
        acc = list(accuracy + rng.normal(0, 0.004, 40))
        metrics = read_log(write_csv_log(tmp_path / f"log{accuracy}.csv",
                                         {"loss": loss, "val_acc": acc}))
        facts = {f.fact: f.value for f in curve_findings(metrics, 2, share)}
        assert facts["val.acc_at_chance"] is at_chance, accuracy
    # balanced classes: 1/C as before
    metrics = read_log(tmp_path / "log0.9.csv")
    assert {f.fact: f.value for f in curve_findings(metrics, 2, 0.5)}["val.acc_at_chance"] \
        is False


def test_per_step_minibatch_loss_is_not_oscillating() -> None:
    losses = np.array(train(epochs=12, batch=16, lr=3e-3).losses)
    shape = curves.classify_shape(losses)
    assert shape is not None and shape.noise > curves.OSCILLATION_NOISE  # noisy, as measured
    assert shape.oscillating is False  # but white: sampling noise of the minibatches
    zigzag = losses * np.where(np.arange(losses.size) % 2, 1.6, 0.4)
    assert curves.classify_shape(zigzag).oscillating is True
    assert curves.classify_shape(losses, minibatch=False).oscillating is True  # one batch


def test_a_blip_at_a_low_level_is_no_spike() -> None:
    losses = np.array(train(epochs=16, batch=32, lr=2e-2).losses)  # ends near 0.01
    blip = losses.copy()
    blip[-20] = losses[-20] * 3  # a tiny jump near 0, far below the starting level
    assert curves.spikes(blip) == []
    spike = losses.copy()
    spike[-20] = losses[0] * 2  # back above the starting level: a real spike
    assert curves.spikes(spike) == [losses.size - 20]
