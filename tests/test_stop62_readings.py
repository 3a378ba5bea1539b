"""Stop 62: a log whose first epoch's rate already fell tenfold from its first row did not
see the rate the run started at, so it cannot say the rate "stayed above 1 % of its start";
a metric said to have gone "from 12 to 2" has the value 2 when a complaint compares the
training and validation sides; an instrument that is "repeatable" says nothing of a loss that
repeats; a model with one output whose log scores an accuracy is a binary classifier, so
its accuracy is judged against a coin's even from the checkpoint alone; a loop that clears
the gradients between ``backward()`` and ``step()`` steps nothing; held-out data built with a
dataset class that augments by default, without turning it off, is augmented."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.source_scan import cleared_before_step_findings, eval_augmentation_findings
from tests.support import curve_facts
from tests.support.facts import check_findings, values_of
from tests.support.writers import write_csv_log


@pytest.mark.parametrize(("rates", "collapsed"), [
    # MultiStepLR([8, 14], 0.1) on lr 3e-3 stepped per batch, logged every 8 batches:
    # the log opens at 3e-4 and holds 3e-5 — the start (3e-3) was never written
    ([3e-4, 3e-5, 3e-5], None),
    # a per-epoch schedule: the first epoch holds its rate, then two cuts of 0.5
    ([3e-3, 3e-3, 3e-3], False),
    # a first epoch that fell threefold (a per-step cosine on a short run): still read
    ([3e-3, 2e-3, 1e-3], False),
])
def test_a_rate_falling_before_the_first_logged_row_is_not_read_as_held(
        tmp_path: Path, rates: list[float], collapsed: bool | None) -> None:
    steps = [float(s) for s in range(8, 12 * 24 + 1, 8)]
    epochs = [float((s - 1) // 24) for s in steps]
    lr = [rates[int(s // 8 - 1)] if s <= 24 else rates[-1] * 0.5 ** int(e // 4)
          for s, e in zip(steps, epochs, strict=True)]
    rows = {"step": steps, "epoch": epochs,
            "loss": [1.39 - 0.05 * (1 - 0.9 ** (s / 8)) for s in steps], "lr": lr}
    assert curve_facts(tmp_path, rows).get("loop.lr_collapsed_early") is collapsed


@pytest.mark.parametrize(("text", "read"), [
    ("train loss went from 12 to 2 but val loss is 9", True),
    ("training MAE went from 12 to 2 but val MAE is 9", True),
    ("train loss dropped from 1.4 to 0.05, val loss 1.2", True),
    # the two sides end close: no gap to read
    ("train loss went from 12 to 2 and val loss is 2.5", False),
])
def test_a_value_a_metric_went_to_is_compared_across_the_sets(text: str, read: bool) -> None:
    found = [m.symptom for m in match_symptoms(load_knowledge(), text)]
    assert ("train_good_test_bad" in found) is read


@pytest.mark.parametrize(("text", "periodic"), [
    ("the stimpmeter itself is repeatable to about 0.15 ft", False),
    ("the scale's repeatability is 0.1 g", False),
    ("the loss has a repeating pattern", True),
    ("loss repeats every epoch", True),
])
def test_repeatable_is_no_repeating_loss(text: str, periodic: bool) -> None:
    found = [m.symptom for m in match_symptoms(load_knowledge(), text)]
    assert ("loss_periodic" in found) is periodic


SINKING = [0.32, 0.315, 0.27, 0.29, 0.26, 0.27, 0.25, 0.26]


@pytest.mark.parametrize(("column", "acc", "at_chance"), [
    ("val_acc", SINKING, True),  # a sell-out LSTM whose BCE lost its minus: 0.32 → 0.26
    ("val_acc", [0.6, 0.7, 0.75, 0.8, 0.84, 0.86, 0.88, 0.9], False),
    ("val_r2", SINKING, None),  # one output scored by R²: a regressor, no coin to compare with
])
def test_one_output_scored_by_accuracy_is_judged_against_a_coin(
        tmp_path: Path, column: str, acc: list[float], at_chance: bool | None) -> None:
    torch.manual_seed(0)
    checkpoint = tmp_path / "model.pt"
    torch.save(nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1)).state_dict(),
               checkpoint)
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [float(e) for e in range(1, 9)],
        "loss": [-0.8 * e for e in range(1, 9)], column: acc})
    found = values_of(check_findings(
        probe_curves(Inputs(logs=(log,), checkpoint=checkpoint), ProbeContext()), "log.curves"))
    assert found.get("val.acc_at_chance") is at_chance


@pytest.mark.parametrize(("loop", "cleared"), [
    ("loss.backward()\n        opt.zero_grad()\n        opt.step()", True),
    ("loss.backward()\n        model.zero_grad()\n        opt.step()", True),
    ("opt.zero_grad()\n        loss.backward()\n        opt.step()", False),
    ("loss.backward()\n        opt.step()\n        opt.zero_grad()", False),
    # a scheduler stepped between: the optimizer's own step came first
    ("loss.backward()\n        opt.step()\n        sched.step()\n        opt.zero_grad()", False),
    # accumulation: the clear and the step sit in their own block, step first
    ("loss.backward()\n        if i % 4 == 3:\n            opt.step()\n"
     "            opt.zero_grad()", False),
    # a second backward after the clear feeds the step
    ("aux.backward()\n        opt.zero_grad()\n        loss.backward()\n        opt.step()",
     False),
])
def test_gradients_cleared_between_backward_and_step(tmp_path: Path, loop: str,
                                                     cleared: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "import torch\nfrom torch import nn\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, batches, aux):\n"
        "    opt = torch.optim.Adam(model.parameters())\n"
        "    sched = torch.optim.lr_scheduler.StepLR(opt, 10)\n"
        "    for i, (x, y) in enumerate(batches):\n"
        "        loss = nn.functional.cross_entropy(model(x), y)\n"
        f"        {loop}\n")
    found = cleared_before_step_findings(f"{source}:build")
    assert [f.value for f in found] == ([True] if cleared else [])


@pytest.mark.parametrize(("built", "augmented"), [
    ("PanFrames(xva, yva)", True),
    ("PanFrames(xva, yva, augment=False)", False),
    ("PanFrames(xva, yva, False)", False),
    ("PanFrames(xva, yva, **options)", False),  # whatever options holds
])
def test_held_out_data_from_a_class_that_augments_by_default(tmp_path: Path, built: str,
                                                             augmented: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "import torch\nfrom torch import nn\n\n"
        "class PanFrames(torch.utils.data.Dataset):\n"
        "    def __init__(self, x, y, augment=True):\n"
        "        self.x, self.y, self.augment = x, y, augment\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def main(xtr, ytr, xva, yva, options):\n"
        "    train_ds = PanFrames(xtr, ytr)\n"
        f"    val_ds = {built}\n")
    found = eval_augmentation_findings(f"{source}:build")
    assert [f.value for f in found] == ([True] if augmented else [])
