"""Readings the forty-eighth hand set asked for (stop 41), each on a real artefact: an MSE
that broadcasts (N, 1) against (N,) and so keeps the run at the targets' variance, a log's
evaluation ranges (``interp_mse``, ``extrap_mse``) that are no task losses, a minority recall
logged under a class suffix (``val_recall_pos``), positive unit-scale inputs, and a complaint
that says the validation loss turned worse only after the first epochs."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import torch

from dldoctor.probes.live_forward import input_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import Batch
from tests.support import write_csv_log
from tests.support.forkcli import run

_REGRESSOR = """
import torch.nn.functional as F
from torch import nn


def build():
    return nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))


def train(model, opt, x, y, steps):
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(model(x){squeeze}, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses
"""


def _json(args: list) -> dict:
    out = run(["dldoctor", "diagnose", "--no-input", "--format", "json", *args],
              capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def _train_regressor(tmp_path: Path, squeeze: bool) -> list:
    """A small regressor trained by its own file's loop with MSE, its (N, 1) output squeezed
    or left to broadcast against the (N,) targets; returns the diagnose arguments."""
    source = _REGRESSOR.replace("{squeeze}", ".squeeze(1)" if squeeze else "")
    (tmp_path / "reg.py").write_text(source)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(256, 4, generator=gen)
    y = 3.0 * (x @ torch.tensor([1.0, -2.0, 0.5, 1.5])) + 1.0
    namespace: dict = {}
    exec(source, namespace)
    torch.manual_seed(0)
    model = namespace["build"]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    with warnings.catch_warnings():  # torch warns of the broadcast, as in the real run
        warnings.simplefilter("ignore")
        losses = namespace["train"](model, opt, x, y, 200)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "r.pt")
    torch.save((x[:128], y[:128]), tmp_path / "batch.pt")
    log = write_csv_log(tmp_path / "log.csv", {"step": list(range(200)), "train_mse": losses})
    return ["--checkpoint", tmp_path / "r.pt", "--log", log, "--model",
            f"{tmp_path / 'reg.py'}:build", "--batch", tmp_path / "batch.pt"]


def test_a_broadcast_that_holds_the_loss_at_the_targets_variance_is_the_fault(
        tmp_path: Path) -> None:
    """The broadcast (every prediction against every target, in the file's own loop) keeps
    the run's MSE at the targets' variance while the same model, paired shape for shape,
    learns the batch: the shape bug leads; the squeezed control shows no broadcast."""
    broken = _json(_train_regressor(tmp_path, squeeze=False))
    facts = {f["fact"]: f["value"] for f in broken["findings"]}
    assert facts["batch.shape_mismatch"] is True
    assert facts["batch.broadcast_loss_level"] is True
    assert facts["src.elementwise_loss_on_raw_output"] is True
    causes = [d["cause"] for d in broken["diagnoses"]]
    assert causes[0] == "shape_or_dtype_bug" and broken["diagnoses"][0]["confidence"] >= 0.7
    fine = tmp_path / "fine"
    fine.mkdir()
    control = {f["fact"]: f["value"] for f in _json(_train_regressor(fine, squeeze=True))[
        "findings"]}
    assert control["batch.shape_mismatch"] is False
    assert "batch.broadcast_loss_level" not in control


def test_evaluation_ranges_beside_the_training_loss_are_no_task_losses(tmp_path: Path) -> None:
    steps = list(range(0, 3000, 50))
    log = write_csv_log(tmp_path / "nalu.csv", {
        "iteration": steps,
        "train_mse": [40 * 0.97 ** i + 10 for i in range(len(steps))],
        "interp_mse": [35 * 0.97 ** i + 7 for i in range(len(steps))],
        "extrap_mse": [2800 * 0.99 ** i + 1500 for i in range(len(steps))]})
    metrics = read_log(log)
    assert metrics.series["loss"].column == "train_mse"
    assert not set(metrics.parts) & {"interp_mse", "extrap_mse"}
    facts = {f["fact"]: f["value"] for f in _json(["--log", log])["findings"]}
    assert facts.get("loss.multi_task") is not True


def test_a_minority_recall_under_a_class_suffix_reads_as_class_imbalance(
        tmp_path: Path) -> None:
    epochs = list(range(8))
    log = write_csv_log(tmp_path / "alerts.csv", {
        "epoch": epochs, "train_bce": [0.30 * 0.8 ** e + 0.1 for e in epochs],
        "val_bce": [0.139 - 0.002 * e for e in epochs], "val_acc": [0.969] * 8,
        "val_recall_pos": [0.0] * 8, "val_precision_pos": [0.0] * 8})
    assert read_log(log).series["val_recall"].column == "val_recall_pos"
    report = _json(["--log", log])
    assert report["diagnoses"][0]["cause"] == "class_imbalance"


def test_positive_unit_scale_quantities_are_normalised_inputs() -> None:
    """Quantities in [0.1, 2] (mean 1.05, std 0.56) are as a network wants them; raw
    amounts in the hundreds are not."""
    gen = torch.Generator().manual_seed(0)
    unit = 0.1 + 1.9 * torch.rand(64, 10, generator=gen)
    found = {f.fact: f.value for f in input_findings(Batch(unit, torch.zeros(64), Path("b.pt")))}
    assert found["input.not_normalized"] is False
    raw = 100 + 50 * torch.randn(64, 10, generator=gen)
    found = {f.fact: f.value for f in input_findings(Batch(raw, torch.zeros(64), Path("b.pt")))}
    assert found["input.not_normalized"] is True


def test_a_validation_loss_that_worsens_after_the_first_epochs_is_no_gap_from_the_start(
        ) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import test_complaints as corpus

    from dldoctor.engine import symptoms

    kb = corpus.kb()
    for text in ("the validation loss gets worse every epoch after the first few",
                 "after a couple of epochs the val loss keeps getting worse"):
        named = {m.symptom for m in symptoms.symptoms_named(symptoms.match_symptoms(kb, text))}
        assert "val_loss_rising" in named and "val_bad_from_start" not in named, (text, named)


def test_a_log_whose_end_is_binary_is_read_up_to_it(tmp_path: Path) -> None:
    """A crash left 4 KB of binary after 1,500 good rows: the rows are read, the tail noted
    (the twenty-fourth new user's whole log had been refused)."""
    import random

    rng = random.Random(0)
    rows = ["step,loss,val_loss"] + [f"{i},{2 / (1 + i):.4f}," for i in range(1500)]
    path = tmp_path / "metrics.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode() +
                     bytes(rng.randrange(128, 256) for _ in range(4000)))
    metrics = read_log(path)
    assert metrics.series["loss"].values.size == 1500
    assert any("no text" in str(note) for note in metrics.unused)
    short = tmp_path / "short.csv"
    short.write_bytes(("\n".join(rows[:5]) + "\n").encode() + bytes(range(128, 256)) * 40)
    out = run(["dldoctor", "diagnose", "--no-input", "--log", short],
              capture_output=True, text=True)
    assert out.returncode == 2 and "short.csv" in out.stderr and "Traceback" not in out.stderr
