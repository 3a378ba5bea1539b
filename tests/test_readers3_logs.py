"""What training libraries write, read right (third hand set, stop 21): an HF
``trainer_state.json`` whose learning rate is 0 at every logged step, a Lightning
``metrics.csv`` with a final ``test_*`` row, a VAE's ``kl``/``recon`` columns and
per-part metric names. Every log comes from a tiny model the test trains; the files are
written as the libraries write them (tests/support/library_layouts.py, no library imports).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import ProbeContext
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from tests.support import forkcli

from .support.library_layouts import TinyRun, TrainingArguments, train, write_hf_checkpoint


def _diagnose(*args: str) -> tuple[int, dict[str, Any]]:
    """The installed CLI's JSON report (``diagnose --format json --no-input``)."""
    proc = forkcli.run(["diagnose", "--format", "json", "--no-input", *args],
                       capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    return proc.returncode, json.loads(proc.stdout)


def _findings(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["fact"]: f for f in report["findings"]}


def _sched_too_short(lr: float = 1e-2, warmup_free_steps: int = 3) -> TinyRun:
    """The BERT run's bug in small: ``num_training_steps`` set to a handful of steps, so the
    linear schedule is at 0 long before the first logged step (LambdaLR, as transformers'
    ``get_linear_schedule_with_warmup`` builds it)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: max(0.0, 1 - s / warmup_free_steps))
    g = torch.Generator().manual_seed(0)
    x = torch.randn(128, 8, generator=g)
    y = (x[:, 0] > 0).long()
    run = TinyRun(model, optimizer, scheduler)
    step = 0
    for epoch in range(4):
        for start in range(0, 128, 16):
            loss = F.cross_entropy(model(x[start:start + 16]), y[start:start + 16])
            optimizer.zero_grad()
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1e9)
            run.lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
            run.steps.append(step)
            run.losses.append(float(loss.detach()))
            run.grad_norms.append(float(norm))
            run.epochs.append(epoch + (start + 16) / 128)
            step += 1
        with torch.no_grad():
            out = model(x)
            run.val.append((step - 1, epoch, float(F.cross_entropy(out, y)),
                            float((out.argmax(1) == y).float().mean())))
    return run


def test_hf_lr_at_zero_from_the_first_log_is_a_vanished_schedule(tmp_path: Path) -> None:
    """Item 1: log_history's learning_rate is 0 at every logged step while training_args.bin
    sets 1e-2 → lr.decays and lr.vanished_share 1 (evidence names both), from the log
    alone; a linear schedule ending at the last step stays below the 0.2 the kb reads."""
    broken = write_hf_checkpoint(tmp_path / "broken", _sched_too_short(),
                                 TrainingArguments(learning_rate=1e-2))
    state = json.loads((broken / "trainer_state.json").read_text())
    logged = [r["learning_rate"] for r in state["log_history"] if "learning_rate" in r]
    assert logged and all(v == 0.0 for v in logged)  # the artefact shows the bug
    _, report = _diagnose("--log", str(broken / "trainer_state.json"))
    facts = _findings(report)
    assert facts["lr.vanished_share"]["value"] == 1.0
    assert facts["lr.decays"]["value"] is True
    text = facts["lr.vanished_share"]["evidence"]
    assert "training_args.bin" in text and "0.01" in text and f"all {len(logged)}" in text

    healthy = write_hf_checkpoint(tmp_path / "healthy", train(schedule_to_zero=True),
                                  TrainingArguments(learning_rate=1e-2))
    metrics = read_logs((healthy / "trainer_state.json",), ProbeContext())
    values = {f.fact: f.value for f in curve_findings(metrics)}
    assert values["lr.decays"] is True and values["lr.vanished_share"] < 0.2

    (broken / "training_args.bin").unlink()  # no configured rate: the log cannot tell
    metrics = read_logs((broken / "trainer_state.json",), ProbeContext())
    found = {f.fact: f for f in curve_findings(metrics)}
    assert "lr.vanished_share" not in found
    assert found["lr.decays"].value is not True and found["lr.decays"].value is not False


def test_hf_fractional_epochs_are_per_step_rows(tmp_path: Path) -> None:
    """HF logs ``epoch`` 0.0625, 0.125 … every logging step: those rows are steps, not
    epochs, so the first loss at step 1 is the untrained model's and is judged."""
    folder = write_hf_checkpoint(tmp_path / "out", train(epochs=2), TrainingArguments(),
                                 logging_steps=1)
    metrics = read_logs((folder / "trainer_state.json",), ProbeContext())
    loss = metrics.get("loss")
    assert loss is not None and loss.epochs is not None
    assert len(set(loss.epochs.tolist())) == loss.epochs.size  # unique, as per-epoch rows were
    values = {f.fact: f.value for f in curve_findings(metrics, classes=2)}
    assert values["loss.initial_too_high"] is False  # measured: ~ln 2 at step 1
    assert 0.5 < values["loss.initial_over_chance"] < 1.5


def _lightning_forecast(path: Path, test_shift: float) -> Path:
    """A regression trained per epoch and logged as Lightning's CSVLogger does (columns
    sorted, one metric group per row: train, val each epoch, then trainer.test()'s row)."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(320, 4, generator=g)
    y = x @ torch.tensor([1.0, -1.0, 0.5, 0.2])
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    rows: list[dict[str, object]] = []
    step = 0
    for epoch in range(8):
        for i in range(0, 192, 32):
            loss = F.mse_loss(model(x[i:i + 32]).squeeze(1), y[i:i + 32])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
        with torch.no_grad():
            val = F.mse_loss(model(x[192:256]).squeeze(1), y[192:256])
            train_mse = F.mse_loss(model(x[:192]).squeeze(1), y[:192])
        rows.append({"epoch": epoch, "step": step - 1, "val_mse": float(val)})
        rows.append({"epoch": epoch, "step": step - 1, "train_mse": float(train_mse)})
    with torch.no_grad():  # the test split comes from elsewhere: shifted inputs
        test = F.mse_loss(model(x[256:] + test_shift).squeeze(1), y[256:])
    rows.append({"epoch": 8, "step": step, "test_mse": float(test)})
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["epoch", "step", "test_mse", "train_mse",
                                               "val_mse"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_lightning_test_row_is_held_out_not_validation(tmp_path: Path) -> None:
    """Item 2: val_mse (8 epochs) is the validation curve; the one test_mse row is a
    separate reading, measured against it as test.loss_over_val."""
    log = _lightning_forecast(tmp_path / "metrics.csv", test_shift=2.0)
    metrics = read_logs((log,), ProbeContext())
    assert metrics.get("val_loss").column == "val_mse"
    assert metrics.get("val_loss").values.size == 8
    assert metrics.get("test_loss").column == "test_mse"
    _, report = _diagnose("--log", str(log))
    facts = _findings(report)
    assert "'val_mse'" in facts["log.has_validation"]["evidence"]
    with log.open() as f:
        rows = list(csv.DictReader(f))
    test = float(next(r["test_mse"] for r in rows if r["test_mse"]))
    val = float([r["val_mse"] for r in rows if r["val_mse"]][-1])
    assert facts["test.loss_over_val"]["value"] == pytest.approx(test / val)
    assert facts["test.loss_over_val"]["value"] > 10  # the shifted test split is far worse
    assert "test_mse" in facts["test.loss_over_val"]["evidence"]


def _per_epoch_csv(path: Path, columns: dict[str, list[float]]) -> Path:
    names = list(columns)
    count = max(len(v) for v in columns.values())
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", *names])
        for i in range(count):
            writer.writerow([i, *(columns[n][i] if i < len(columns[n]) else ""
                                  for n in names)])
    return path


def _classifier_curves(epochs: int = 5) -> dict[str, list[float]]:
    """A tiny classifier's train loss and a held-out split's loss/accuracy per epoch."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(200, 6, generator=g)
    y = (x[:, 0] - x[:, 1] > 0).long()
    model = nn.Linear(6, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    curves: dict[str, list[float]] = {"train_loss": [], "held_loss": [], "held_acc": []}
    for _ in range(epochs):
        loss = F.cross_entropy(model(x[:150]), y[:150])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            out = model(x[150:])
        curves["train_loss"].append(float(loss.detach()))
        curves["held_loss"].append(float(F.cross_entropy(out, y[150:])))
        curves["held_acc"].append(float((out.argmax(1) == y[150:]).float().mean()))
    return curves


def test_a_test_curve_is_validation_only_without_a_validation_column(tmp_path: Path) -> None:
    """A test split evaluated every epoch and no val column (the torch tutorial's habit) is
    the validation curve; a single test row after training never is."""
    curves = _classifier_curves()
    tutorial = _per_epoch_csv(tmp_path / "tutorial.csv", {
        "train_loss": curves["train_loss"], "test_loss": curves["held_loss"],
        "test_accuracy": curves["held_acc"]})
    metrics = read_logs((tutorial,), ProbeContext())
    assert metrics.get("val_loss").column == "test_loss"
    assert metrics.get("val_acc").column == "test_accuracy"
    assert metrics.get("test_loss") is None

    once = _per_epoch_csv(tmp_path / "once.csv", {
        "train_loss": curves["train_loss"], "test_loss": curves["held_loss"][-1:]})
    metrics = read_logs((once,), ProbeContext())
    assert metrics.get("val_loss") is None and metrics.get("test_loss").values.size == 1
    values = {f.fact: f.value for f in curve_findings(metrics)}
    assert values["log.has_validation"] is False

    mixed = _per_epoch_csv(tmp_path / "mixed.csv", {
        "train_loss": curves["train_loss"], "val_acc": curves["held_acc"],
        "test_loss": curves["held_loss"]})
    metrics = read_logs((mixed,), ProbeContext())  # a validation column: test stays test
    assert metrics.get("val_loss") is None and metrics.get("test_loss").column == "test_loss"


def test_part_named_metrics_are_read(tmp_path: Path) -> None:
    """val_token_acc (a tagger), val_wmae (a weighted-MAE regression) and test_top1 beside
    val_top1 land where they belong."""
    curves = _classifier_curves()
    log = _per_epoch_csv(tmp_path / "tagger.csv", {
        "train_loss": curves["train_loss"], "val_loss": curves["held_loss"],
        "val_token_acc": curves["held_acc"], "test_top1": curves["held_acc"][-1:]})
    metrics = read_logs((log,), ProbeContext())
    assert metrics.get("val_acc").column == "val_token_acc"
    assert metrics.get("test_acc").column == "test_top1"
    values = {f.fact: f.value for f in curve_findings(metrics)}
    assert values["test.acc_below_val"] == pytest.approx(0.0)  # the same split, twice

    wmae = _per_epoch_csv(tmp_path / "sales.csv", {"loss": curves["train_loss"],
                                                    "val_wmae": curves["held_loss"]})
    assert read_logs((wmae,), ProbeContext()).get("val_loss").column == "val_wmae"


def _vae_log(path: Path, beta: float) -> Path:
    """A tiny Bernoulli VAE on noisy 16-pixel prototypes, logged per epoch as the hand set's
    VAEs log (loss, recon, kl, val_loss, val_recon); ``beta`` weighs the KL term."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    protos = (torch.rand(4, 16, generator=g) > 0.5).float()
    x = protos[torch.randint(0, 4, (320,), generator=g)]
    x = torch.where(torch.rand(x.shape, generator=g) < 0.05, 1 - x, x)
    enc, dec = nn.Linear(16, 4), nn.Linear(2, 16)
    optimizer = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)

    def parts(batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = enc(batch).chunk(2, 1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        recon = F.binary_cross_entropy_with_logits(dec(z), batch, reduction="sum") / len(batch)
        return recon, -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp()) / len(batch)

    columns: dict[str, list[float]] = {k: [] for k in ("loss", "recon", "kl", "val_loss",
                                                       "val_recon")}
    for _ in range(8):
        for i in range(0, 256, 32):
            recon, kl = parts(x[i:i + 32])
            loss = recon + beta * kl
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            val_recon, val_kl = parts(x[256:])
        for name, value in (("loss", loss), ("recon", recon), ("kl", kl),
                            ("val_loss", val_recon + beta * val_kl), ("val_recon", val_recon)):
            columns[name].append(float(value.detach()))
    return _per_epoch_csv(path, columns)


def test_vae_kl_column_is_read_and_its_collapse_measured(tmp_path: Path) -> None:
    """Item 4: kl and recon are the loss's parts, not unused columns; a KL weight of 100
    drives the KL term to ~0 (loss.kl_collapsed), a weight of 1 does not."""
    facts = {}
    for beta in (1.0, 100.0):
        log = _vae_log(tmp_path / f"vae_{beta:g}.csv", beta)
        metrics = read_logs((log,), ProbeContext())
        assert metrics.get("kl").column == "kl" and metrics.get("recon").column == "recon"
        assert metrics.get("loss").column == "loss"
        assert not metrics.unused or "kl" not in metrics.unused[0]
        facts[beta] = {f.fact: f for f in curve_findings(metrics)}
    assert facts[100.0]["loss.kl_collapsed"].value is True
    assert facts[1.0]["loss.kl_collapsed"].value is False
    assert "KL term (kl)" in facts[100.0]["loss.kl_collapsed"].evidence
    assert math.isfinite(facts[100.0]["loss.kl_collapsed"].details["kl_end"])


def test_a_distillation_kl_column_alone_is_the_training_loss(tmp_path: Path) -> None:
    """A log whose only loss is a KL divergence (a student fit to a teacher) reads it as
    the training loss, not as a VAE part."""
    torch.manual_seed(0)
    x = torch.randn(64, 6)
    teacher, student = nn.Linear(6, 3), nn.Linear(6, 3)
    optimizer = torch.optim.SGD(student.parameters(), lr=0.5)
    values: list[float] = []
    for _ in range(10):
        with torch.no_grad():
            soft = F.softmax(teacher(x), 1)
        loss = F.kl_div(F.log_softmax(student(x), 1), soft, reduction="batchmean")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        values.append(float(loss.detach()))
    metrics = read_logs((_per_epoch_csv(tmp_path / "kd.csv", {"kl_loss": values}),),
                        ProbeContext())
    # still a KL too (a KL is never below 0: its sign is checked), never a VAE's part
    assert metrics.get("loss").column == "kl_loss" and metrics.get("kl").column == "kl_loss"
    facts = {f.fact: f.value for f in curve_findings(metrics)}
    assert "loss.kl_collapsed" not in facts and facts["loss.kl_part_negative"] is False


def test_a_regression_loss_is_not_held_to_the_cross_entropy_floor(tmp_path: Path) -> None:
    """A loss column named train_mse is a regression error: falling below ln(1 + 1/e) says
    nothing about probabilities fed to a cross-entropy. The same numbers under the plain
    name ``loss`` are still judged against that floor."""
    torch.manual_seed(0)
    x = torch.randn(128, 4)
    y = x @ torch.tensor([0.5, -0.5, 0.25, 0.0])
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    values: list[float] = []
    for _ in range(20):
        loss = F.mse_loss(model(x).squeeze(1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        values.append(float(loss.detach()))
    assert values[-1] < 0.1  # a fitted regression: far below 0.31
    named = {}
    for column in ("train_mse", "loss"):
        log = _per_epoch_csv(tmp_path / f"{column}.csv", {column: values})
        named[column] = {f.fact: f.value for f in curve_findings(read_logs((log,),
                                                                            ProbeContext()))}
    assert "loss.below_logit_loss_floor" not in named["train_mse"]
    assert named["loss"]["loss.below_logit_loss_floor"] is True


def _sales_log(path: Path, detached: bool) -> Path:
    """A regression whose loss is computed in NumPy and re-wrapped as a leaf tensor (the hand
    set's bug: no gradient reaches the model), or the same loss in torch; validated by a
    weighted MAE each epoch, logged as JSON lines."""
    torch.manual_seed(0)
    x = torch.randn(96, 3)
    y = x @ torch.tensor([1.0, 2.0, -1.0])
    model = nn.Linear(3, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    lines = []
    for epoch in range(5):
        for i in range(0, 64, 16):
            out = model(x[i:i + 16]).squeeze(1)
            if detached:
                error = (out.detach().numpy() - y[i:i + 16].numpy()) ** 2
                loss = torch.tensor(float(error.mean()), requires_grad=True)
            else:
                loss = F.mse_loss(out, y[i:i + 16])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            wmae = float((model(x[64:]).squeeze(1) - y[64:]).abs().mean())
        lines.append(json.dumps({"epoch": epoch, "loss": float(loss.detach()), "val_wmae": wmae}))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_validation_loss_that_never_changes_is_measured(tmp_path: Path) -> None:
    """val_wmae is the validation curve; bit-identical at every evaluation it says the
    evaluated model never changed (val.loss_identical)."""
    values = {}
    for detached in (True, False):
        log = _sales_log(tmp_path / f"sales_{detached}.jsonl", detached)
        metrics = read_logs((log,), ProbeContext())
        assert metrics.get("val_loss").column == "val_wmae"
        values[detached] = {f.fact: f for f in curve_findings(metrics)}
    assert values[True]["val.loss_identical"].value is True
    assert "all 5 evaluations" in values[True]["val.loss_identical"].evidence
    assert values[False]["val.loss_identical"].value is False
