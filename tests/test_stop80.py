"""Stop 80: what a log measured is not asked again — a loss that climbed before its NaN was
neither flat nor slowly falling; data held back is held-out data; whether a loss was steady
before its NaN; a dict batch that spells out forward()'s argument
names; a model that rescales its inputs in a module without weights."""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.input_rescaled import rescaled_input_finding
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.models import Batch, batch_for, load_model
from tests.support import values_of, write_csv_log


def test_a_loss_that_climbed_to_its_nan_was_not_flat(tmp_path: Path) -> None:
    """The bundled example (SGD 0.5: 1.26 → 2.3e25 → NaN) was still asked whether its loss
    had stayed flat and whether it was falling along a straight line."""
    nan = float("nan")
    climb = [1.3 * 1.8 ** i for i in range(30)] + [nan] * 10
    found = values_of(curve_findings(read_logs([
        write_csv_log(tmp_path / "climb.csv", {"step": list(range(40)), "loss": climb})])))
    assert found["loss.rising"] is True
    assert found["loss.plateau"] is False
    assert found["loss.linear_decline"] is False
    assert found["loss.falling_at_end"] is False
    falling = [2.0 - 0.05 * i for i in range(30)] + [nan] * 10  # fell, then NaN: shape unknown
    found = values_of(curve_findings(read_logs([
        write_csv_log(tmp_path / "fall.csv", {"step": list(range(40)), "loss": falling})])))
    assert "loss.plateau" not in found and "loss.falling_at_end" not in found


def test_data_held_back_is_held_out_data() -> None:
    """Set 324's complaint said "the shots we hold back": read as nothing but a loss at 0."""
    said = {m.symptom for m in match_symptoms(load_knowledge(), (
        "The model fits the training set almost perfectly but on the held back data the error"
        " has been going up for a while."))}
    assert {"train_good_test_bad", "val_loss_rising"} <= said


def test_more_epochs_that_did_not_help_is_no_unfinished_run() -> None:
    """Set 327's PECVD complaint, "More epochs do not change it.", read as a run stopped
    before it converged."""
    said = {m.symptom for m in match_symptoms(load_knowledge(), "More epochs do not change it.")}
    assert "training_unfinished" not in said
    assert "training_unfinished" in {
        m.symptom for m in match_symptoms(
            load_knowledge(), "training ended too early, the loss was still going down")}


def test_two_falling_epochs_with_validation_falling_too_are_steady_before_the_nan(
        tmp_path: Path) -> None:
    """Set 327's FTIR MLP: 0.56 → 0.39, validation 0.49 → 0.33, NaN from the third epoch of
    thirty — not a run that stopped while its validation still improved."""
    nan = float("nan")
    rows = {"epoch": list(range(30)), "loss": [0.564, 0.392] + [nan] * 28,
            "val_loss": [0.485, 0.332] + [nan] * 28}
    found = values_of(curve_findings(read_logs([write_csv_log(tmp_path / "f.csv", rows)])))
    assert found["loss.steady_before_non_finite"] is True
    assert found["val.short_still_falling"] is False
    rows["val_loss"] = [0.485, 0.51] + [nan] * 28  # validation rose: two epochs say too little
    found = values_of(curve_findings(read_logs([write_csv_log(tmp_path / "g.csv", rows)])))
    assert "loss.steady_before_non_finite" not in found


_EMBEDDED = """
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.chamber = nn.Embedding(4, 3)
        self.recipe = nn.Embedding(5, 3)
        self.mlp = nn.Linear(6 + 8, 1)

    def forward(self, ch, rec, x):
        return self.mlp(torch.cat([self.chamber(ch), self.recipe(rec), x], 1))


def build():
    torch.manual_seed(0)
    return Net()
"""


def test_a_dict_batch_that_spells_out_the_arguments_feeds_the_inputs_to_the_one_left(
        tmp_path: Path) -> None:
    """Set 327's PECVD model, forward(ch, rec, x) saved as {"inputs", "chamber", "recipe",
    "targets"}: the float inputs went to ch and the run was refused."""
    (tmp_path / "model.py").write_text(_EMBEDDED)
    torch.save({"inputs": torch.randn(6, 8), "chamber": torch.randint(0, 4, (6,)),
                "recipe": torch.randint(0, 5, (6,)), "targets": torch.randn(6, 1)},
               tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'model.py'}:build", batch=tmp_path / "batch.pt")
    ctx = ProbeContext()
    batch = batch_for(inputs, ctx)
    assert batch.inputs.is_floating_point() and tuple(batch.inputs.shape) == (6, 8)
    model = load_model(inputs, ctx)
    assert tuple(model(batch.inputs).shape) == (6, 1)
    assert tuple(model(batch.inputs[:3]).shape) == (3, 1)  # each row keeps its own codes


class _Scaler(nn.Module):
    """A time-series model's own scaler: no weights; the batch standardised, with its
    statistics."""

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        loc, scale = x.mean(1, keepdim=True), x.std(1, keepdim=True) + 1e-5
        return (x - loc) / scale, loc, scale


class _Forecaster(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scaler = _Scaler()
        self.head = nn.Linear(24, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scaled, _, _ = self.scaler(x)
        return self.head(scaled.flatten(1))


def test_inputs_a_weightless_scaler_standardises_first_are_normalised(tmp_path: Path) -> None:
    """A healthy PatchTST Trainer run on raw temperatures (mean 17) read inputs not
    normalised at 65 % and exited 1: its scaler hands them on at unit scale."""
    torch.manual_seed(0)
    x = 17 + 5 * torch.randn(16, 24, 1)
    batch = Batch(x, torch.randn(16, 1), tmp_path / "batch.pt")
    found = rescaled_input_finding(_Forecaster(), batch, torch.device("cpu"))
    assert found is not None and found.fact == "input.not_normalized" and found.value is False
    bare = nn.Sequential(nn.Flatten(), nn.Linear(24, 1))  # no scaler: nothing to say
    assert rescaled_input_finding(bare, batch, torch.device("cpu")) is None


def test_a_quote_left_open_and_a_garbled_row_lose_no_rows(tmp_path: Path) -> None:
    """A new user's CSV (stop 80): an unterminated quote had swallowed the nine rows after it,
    and "nan,inf,-,abc,1e999,0" had read as a loss gone inf with the rate at 0."""
    rows = [f"{e},{1.5 / (e + 1):.4f},0.9,{1.6 / (e + 1):.4f},0.9,0.02" for e in range(12)]
    lines = ["epoch,train_loss,train_acc,val_loss,val_acc,lr", *rows[:3], "garbage,row,,,",
             "nan,inf,-,abc,1e999,0", '"unterminated,quote', *rows[3:]]
    log = tmp_path / "train.csv"
    log.write_text("\n".join(lines) + "\n")
    metrics = read_logs([log])
    loss, lr = metrics.get("loss"), metrics.get("lr")
    assert loss is not None and lr is not None
    assert loss.values.size == 12 and bool((loss.values > 0).all())
    assert float(lr.values.min()) == 0.02
    assert values_of(curve_findings(metrics))["loss.non_finite"] is False


def _mixed_batches_model() -> tuple[nn.Module, Batch]:
    """A 1-D CNN with BatchNorm over 4 classes of signals (each its own frequency and offset),
    trained 150 steps on mixed batches; with a mixed validation batch of 64."""
    g = torch.Generator().manual_seed(0)
    t = torch.arange(32.0)

    def signals(y: torch.Tensor) -> torch.Tensor:
        phase = torch.rand(len(y), 1, generator=g) * 6.3
        wave = torch.sin(0.3 * (y[:, None] + 1) * t + phase)
        return (wave + 2.0 * y[:, None] + 0.3 * torch.randn(len(y), 32, generator=g))[:, None]

    y = torch.arange(4).repeat_interleave(100)
    x = signals(y)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(1, 8, 5), nn.BatchNorm1d(8), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(150):
        rows = torch.randperm(400, generator=g)[:25]
        loss = nn.functional.cross_entropy(model(x[rows]), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
    yv = torch.arange(4).repeat(16)
    return model, Batch(signals(yv), yv, Path("batch.pt"))


def test_batchnorm_that_learnt_one_class_batches_works_only_on_them(tmp_path: Path) -> None:
    """Set 332's print-technique CNN, each training batch one technique (its own script, run
    here): 0.69 accurate fed a class at a time in train mode, 0.27 in eval mode — read as
    nothing before; a model trained on mixed batches loses its accuracy so fed."""
    import subprocess
    import sys

    from dldoctor.probes.live_modes import mode_gap_findings

    script = (Path(__file__).parents[1] / "bench" / "hand" / "threehundredthirtysecond"
              / "printmaker_edge_cnn_bystack.py")
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "run")], check=True,
                   capture_output=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    inputs = Inputs(checkpoint=tmp_path / "run" / "edge_technique.tar",
                    model=f"{tmp_path / 'run' / 'model.py'}:build",
                    batch=tmp_path / "run" / "batch.pt", device="cpu")
    ctx = ProbeContext()
    found = values_of(mode_gap_findings(load_model(inputs, ctx), batch_for(inputs, ctx),
                                        torch.device("cpu")))
    assert found["metric.one_class_batch_statistics_fit"] is True
    model, batch = _mixed_batches_model()
    found = values_of(mode_gap_findings(model, batch, torch.device("cpu")))
    assert found["metric.one_class_batch_statistics_fit"] is False
