"""Stop 64: the optimizer's ``initial_lr`` is the run's peak rate under a schedule that only
scales it down, so a rate far too low is read though the schedule decayed it; a loss that
fell mostly through its penalty (logged, or what a total has beyond its reconstruction term)
is too much regularisation; the trained model's ranking of 0/1 targets (ROC AUC); a search
log is read one trial at a time, and a validation set is counted from the steps of its
accuracy; the only DataLoader a file builds is the training one; ``cpu_ms`` is a step
time; a validation loss that turns NaN while its metric holds is the loss's arithmetic."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_forward import _trained_ranking
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.source_scan import loader_shuffle_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def _blobs(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Four Gaussian blobs in 8 dimensions, well apart: a task any rate above 1e-4 learns."""
    y = torch.randint(0, 4, (n,), generator=gen)
    centres = 3 * torch.eye(8)[:4]
    return centres[y] + torch.randn(n, 8, generator=gen), y


def _slow_run(tmp_path: Path, schedule: str) -> Path:
    """An MLP trained 120 Adam steps at 3e-6 under a cosine schedule to 0 (or a one-cycle
    schedule peaking at 3e-6), with a per-step CSV log of loss and rate."""
    gen = torch.Generator().manual_seed(0)
    x, y = _blobs(1024, gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=3e-6)
    sched: Any = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=120) \
        if schedule == "cosine" else \
        torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-6, total_steps=120)
    rows = []
    for step in range(120):
        xb, yb = x[(step % 16) * 64:(step % 16 + 1) * 64], y[(step % 16) * 64:(step % 16 + 1) * 64]
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows.append((step, loss.item(), sched.get_last_lr()[0]))
        sched.step()
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("step", "loss", "lr"), *rows])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    return tmp_path


def test_a_tiny_peak_rate_is_read_through_a_decayed_schedule(tmp_path: Path, cli: Any) -> None:
    run = _slow_run(tmp_path, "cosine")
    facts = values_of(check_findings(
        probe_optimizer(Inputs(checkpoint=run / "run.pt", logs=[run / "log.csv"]),
                        ProbeContext()), "checkpoint.optimizer"))
    assert facts["optimizer.lr_is_peak"] is True and facts["lr.decays"] is True
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--log", "log.csv", "--no-input",
                   "--format", "json"], cwd=run)
    report = json.loads(out.stdout)
    top = report["diagnoses"][0]
    assert out.returncode == 1
    assert top["cause"] == "lr_too_low" and top["confidence"] >= 0.5


def test_a_one_cycle_start_is_not_the_peak(tmp_path: Path) -> None:
    run = _slow_run(tmp_path, "one_cycle")
    facts = values_of(probe_optimizer(Inputs(checkpoint=run / "run.pt"), ProbeContext()))
    assert facts.get("optimizer.lr_is_peak") in (False, None)  # max_lr is the peak


def _penalised_autoencoder(tmp_path: Path, strength: float) -> Path:
    """An MLP autoencoder under loss = MSE + strength·Σ|w| with Adam and no weight decay;
    the log keeps the reconstruction part beside the total, every 10 steps."""
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(512, 3, generator=gen)
    x = torch.tanh(z @ torch.randn(3, 16, generator=gen)) * 2 + 1.5
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8), nn.ReLU(),
                          nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 16))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rows = []
    for step in range(400):
        xb = x[(step % 8) * 64:(step % 8 + 1) * 64]
        recon = F.mse_loss(model(xb), xb)
        loss = recon + strength * sum(p.abs().sum() for p in model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            rows.append((step, recon.item(), loss.item()))
    with (tmp_path / "ae.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("step", "recon_mse", "total_loss"), *rows])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "ae.pt")
    return tmp_path


def test_a_loss_that_fell_through_its_unlogged_penalty(tmp_path: Path, cli: Any) -> None:
    run = _penalised_autoencoder(tmp_path, 0.1)
    facts = values_of(check_findings(probe_curves(Inputs(logs=[run / "ae.csv"]),
                                                  ProbeContext()), "log.curves"))
    assert facts["loss.penalty_fall_share"] >= 0.9
    assert facts["loss.fall_is_penalty"] is False  # the data term fell too, by a quarter
    out = cli.run(["diagnose", "--checkpoint", "ae.pt", "--log", "ae.csv", "--no-input",
                   "--format", "json"], cwd=run)
    top = json.loads(out.stdout)["diagnoses"][0]
    assert top["cause"] == "over_regularization" and top["confidence"] >= 0.5
    assert any(e["fact"] == "loss.penalty_fall_share" and e["weight"] > 0
               for e in top["evidence_items"])


def test_a_light_penalty_takes_a_small_share_of_the_fall(tmp_path: Path) -> None:
    run = _penalised_autoencoder(tmp_path, 1e-2)
    facts = values_of(probe_curves(Inputs(logs=[run / "ae.csv"]), ProbeContext()))
    assert facts.get("loss.penalty_fall_share", 0.0) < 0.9


@pytest.mark.parametrize(("scores", "labels", "expected"), [
    (torch.arange(16.0), (torch.arange(16) >= 8).float(), 1.0),
    (-torch.arange(16.0), (torch.arange(16) >= 8).float(), 0.0),
    (torch.zeros(16), (torch.arange(16) >= 8).float(), 0.5),  # ties count half
])
def test_the_trained_ranking_is_a_roc_auc(scores: torch.Tensor, labels: torch.Tensor,
                                         expected: float) -> None:
    found = _trained_ranking(labels.unsqueeze(1), scores.unsqueeze(1))
    assert [f.fact for f in found] == ["batch.trained_auc"]
    assert found[0].value == pytest.approx(expected)


def test_the_ranking_needs_enough_of_each_label() -> None:
    labels = torch.zeros(64, 2)
    labels[:5, 0] = 1  # five positives: too few to rank
    labels[:32, 1] = 1
    scores = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    found = _trained_ranking(labels, scores)
    assert "over 1 labels" in str(found[0].evidence)
    assert _trained_ranking(torch.arange(64.0).unsqueeze(1) % 3, scores[:, :1]) == []


def _search_log(path: Path) -> None:
    """Six trials of eight epochs each, scored on 24 validation samples (accuracy rounded to
    four decimals), and a test row after the search."""
    gen = torch.Generator().manual_seed(1)
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["trial", "epoch", "lr", "train_loss", "val_loss", "val_acc"])
        for trial in range(6):
            lr = 10 ** (-3 + float(torch.rand(1, generator=gen)))
            for epoch in range(8):
                loss = 1.6 * 0.85 ** epoch + 0.05 * float(torch.rand(1, generator=gen))
                right = min(24, 6 + 2 * epoch + int(torch.randint(0, 4, (1,), generator=gen)))
                out.writerow([trial, epoch, f"{lr:.2e}", round(loss, 5), round(loss + 0.1, 5),
                              round(right / 24, 4)])
        out.writerow(["test", "", "", "", "", 0.695])


def test_a_search_log_is_read_one_trial_at_a_time(tmp_path: Path, cli: Any) -> None:
    _search_log(tmp_path / "search.csv")
    ctx = ProbeContext()
    facts = values_of(check_findings(probe_curves(Inputs(logs=[tmp_path / "search.csv"]), ctx),
                                     "log.curves"))
    assert facts["log.trials"] == 6 and facts["val.size_from_accuracy"] == 24
    assert facts["loss.spikes"] is False  # each trial's restart is no spike of one run
    assert any("search log" in str(note) for note in ctx.notes)
    assert not any("corrupt" in str(note) for note in ctx.notes)  # the other trials' rows
    out = cli.run(["diagnose", "--log", "search.csv", "--no-input", "--format", "json",
                   "--symptom", "validation accuracy is 0.92 but on the test set only 0.70"],
                  cwd=tmp_path)
    top = json.loads(out.stdout)["diagnoses"][0]
    assert top["cause"] == "validation_overfit" and top["confidence"] >= 0.5
    assert any("24 samples" in fix for fix in top["fixes"])


def test_a_large_validation_set_is_not_counted(tmp_path: Path) -> None:
    rows = [(e, 1.0 / (e + 1), round(0.5 + 0.4 * e / 9 + 0.001 * (e % 3), 4)) for e in range(10)]
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("epoch", "loss", "val_acc"), *rows])
    facts = values_of(probe_curves(Inputs(logs=[tmp_path / "log.csv"]), ProbeContext()))
    assert "val.size_from_accuracy" not in facts and "log.trials" not in facts


@pytest.mark.parametrize(("loader", "read"), [
    ("loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=False)", False),
    ("val_loader = DataLoader(TensorDataset(xva, yva), batch_size=40)", None),
    ("loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)", True),
])
def test_the_only_loader_is_the_training_one(tmp_path: Path, loader: str,
                                            read: bool | None) -> None:
    (tmp_path / "train.py").write_text(
        "from torch.utils.data import DataLoader, TensorDataset\n\n"
        f"def main(xtr, ytr, xva, yva):\n    {loader}\n    return loader if False else None\n")
    found = loader_shuffle_findings(f"{tmp_path / 'train.py'}:main")
    assert [f.value for f in found] == ([] if read is None else [read])


def test_a_cpu_ms_column_is_a_step_time(tmp_path: Path) -> None:
    rows = [(epoch, chunk, 1.0 / (1 + chunk), 5.0 + 6.0 * chunk)
            for epoch in range(3) for chunk in range(12)]
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("epoch", "chunk", "loss", "cpu_ms"), *rows])
    facts = values_of(probe_curves(Inputs(logs=[tmp_path / "log.csv"]), ProbeContext()))
    assert facts["runtime.step_time_grows"] is True


def test_a_validation_loss_that_breaks_while_its_metric_holds(tmp_path: Path) -> None:
    rows = [(1, 0.60, 0.48, 0.82), (2, 0.39, float("nan"), 0.90), (3, float("nan"),
            float("nan"), 0.0), (4, float("nan"), float("nan"), 0.0)]
    (tmp_path / "log.jsonl").write_text("".join(
        json.dumps({"epoch": e, "loss": a, "val_loss": b, "val_f1": c}) + "\n"
        for e, a, b, c in rows))
    facts = values_of(check_findings(probe_curves(Inputs(logs=[tmp_path / "log.jsonl"]),
                                                  ProbeContext()), "log.curves"))
    assert facts["val.loss_non_finite_while_scored"] is True
    # the F1 of 0 after the NaN is the NaN's, not a class never predicted
    assert facts["val.recall_zero"] is UNKNOWN


def test_a_metric_that_broke_with_the_loss_is_no_held_prediction(tmp_path: Path) -> None:
    rows = [(1, 0.60, 0.48, 0.82), (2, 0.90, 2.5, 0.85), (3, 5.0, float("nan"), 0.10)]
    (tmp_path / "log.jsonl").write_text("".join(
        json.dumps({"epoch": e, "loss": a, "val_loss": b, "val_acc": c}) + "\n"
        for e, a, b, c in rows))
    facts = values_of(probe_curves(Inputs(logs=[tmp_path / "log.jsonl"]), ProbeContext()))
    assert facts["val.loss_non_finite_while_scored"] is False


def test_a_percent_column_is_the_metric_it_names(tmp_path: Path) -> None:
    rows = [{"trial_id": t, "epoch": e, "train_loss": 1.0 / (e + 1), "valid_acc_pct":
             round(100 * (10 + e + t) / 30, 2)} for t in range(4) for e in range(5)]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    facts = values_of(probe_curves(Inputs(logs=[tmp_path / "log.jsonl"]), ProbeContext()))
    assert facts["log.trials"] == 4 and facts["val.size_from_accuracy"] == 30


@pytest.mark.parametrize(("val", "split"), [((32.0, 45.0, 51.8), True),
                                           ((-2.0, -5.0, -8.0), False)])
def test_a_training_loss_of_the_other_sign(tmp_path: Path, val: tuple[float, ...],
                                          split: bool) -> None:
    rows = [{"epoch": e, "loss": -1.0 - 3.0 * e, "val_loss": v} for e, v in enumerate(val)]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    facts = values_of(check_findings(probe_curves(Inputs(logs=[tmp_path / "log.jsonl"]),
                                                  ProbeContext()), "log.curves"))
    assert facts["loss.negative_while_val_positive"] is split
