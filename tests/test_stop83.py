"""Stop 83: a regressor's loss that starts in the millions and ends at unit scale blew up and
came back (its targets are not in raw units); a recurrent model said to train several times
slower than it should carries its hidden state."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.input_rescaled import rescaled_input_finding
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.models import Batch
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import values_of
from tests.support.stepruns import beliefs, save_step_run


def _regressor() -> tuple[nn.Module, torch.optim.Optimizer]:
    """A one-output MLP fitted by SGD to a target at unit scale (set 348's grave estimator,
    made small)."""
    torch.manual_seed(0)
    x = torch.randn(256, 5)
    y = x[:, :1] * 0.8 - x[:, 1:2] * 0.5
    model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for step in range(200):
        i = torch.arange(step * 32, step * 32 + 32) % 256
        loss = nn.functional.mse_loss(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, opt


def _raw_scale(checkpoint: Path, log: Path) -> object:
    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)), ProbeContext())
    return values_of(found).get("loss.one_output_raw_scale")


def test_a_regressor_loss_from_the_billions_to_unit_scale_blew_up_and_came_back(
        tmp_path: Path) -> None:
    """First epoch's mean 3e9, then down to 1.0 with validation beside it: the steps blew up
    within the first epoch (unscaled accumulated micro-batches); targets in raw units would
    never be fitted to a hundred-millionth of their mean square."""
    model, opt = _regressor()
    train = [3.1e9, 4.0e6, 2.0e3, 40.0, 3.0, 1.4, 1.1, 1.02, 1.01, 1.01]
    val = [4.0e8, 9.0e5, 600.0, 12.0, 2.2, 1.2, 1.0, 0.96, 0.95, 0.944]
    checkpoint, log = save_step_run(tmp_path / "came_back", model, opt,
                                    {"epoch": list(range(10)), "loss": train, "val_loss": val})
    assert _raw_scale(checkpoint, log) is False
    assert beliefs(checkpoint, log).get("input_not_normalized", 0.0) < 0.5


def test_a_regressor_loss_that_stays_in_the_tens_is_still_read_in_raw_units(
        tmp_path: Path) -> None:
    """Set 326's orifice readings: 1.8e7 at the start and still 92 at the end — the end is no
    unit scale, so the start's size still says raw units."""
    model, opt = _regressor()
    train = [1.8e7, 2.0e6, 9.0e4, 3.0e3, 800.0, 300.0, 160.0, 120.0, 100.0, 92.0]
    checkpoint, log = save_step_run(tmp_path / "raw", model, opt,
                                    {"epoch": list(range(10)), "loss": train})
    assert _raw_scale(checkpoint, log) is True


def _fit_zeroing(every_step: bool) -> tuple[nn.Module, torch.optim.Optimizer, list[float]]:
    """A one-output MLP under Adam on a standardised target; without ``every_step`` its
    gradients are cleared once an epoch of 32 batches (sets 347 and 358's loops). Returns the
    model, the optimizer and each epoch's mean training loss."""
    torch.manual_seed(0)
    x = torch.randn(1024, 6)
    y = (x[:, :1] - 0.5 * x[:, 1:2]) / 1.2
    model = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    losses = []
    for _epoch in range(12):
        opt.zero_grad()
        total = 0.0
        for b in range(32):
            i = torch.arange(b * 32, b * 32 + 32)
            loss = nn.functional.mse_loss(model(x[i]), y[i])
            if every_step:
                opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        losses.append(total / 32)
    return model, opt, losses


def _bias_bound(checkpoint: Path, log: Path) -> object:
    found = probe_optimizer(Inputs(checkpoint=checkpoint, logs=(log,)), ProbeContext())
    return values_of(found).get("optimizer.head_bias_over_loss_bound")


def test_a_one_output_bias_gradient_beyond_what_the_loss_allows_is_a_sum_never_cleared(
        tmp_path: Path) -> None:
    """Cleared once an epoch, the head bias's gradients pile up to several times what one
    step of the logged loss can give (max(1, 2·√MSE)); cleared every step they stay under it."""
    model, opt, losses = _fit_zeroing(every_step=False)
    summed, log = save_step_run(tmp_path / "summed", model, opt,
                                {"epoch": list(range(12)), "loss": losses})
    ratio = _bias_bound(summed, log)
    assert isinstance(ratio, float) and ratio >= 3, ratio
    found = beliefs(summed, log)
    assert max(found, key=found.__getitem__) == "missing_zero_grad" and \
        found["missing_zero_grad"] >= 0.5, found

    model, opt, losses = _fit_zeroing(every_step=True)
    cleared, log = save_step_run(tmp_path / "cleared", model, opt,
                                 {"epoch": list(range(12)), "loss": losses})
    ratio = _bias_bound(cleared, log)
    assert isinstance(ratio, float) and ratio < 1, ratio
    assert beliefs(cleared, log).get("missing_zero_grad", 0.0) < 0.5


def _plough(train_mode: bool) -> nn.Module:
    """A model whose first layer is a BatchNorm1d over raw field readings (kN, mm, %), fitted
    for a few steps in training mode or — set 359's loop — left in eval mode throughout."""
    torch.manual_seed(0)
    x = torch.randn(256, 4) * torch.tensor([300.0, 40.0, 5.0, 0.5]) + 100.0
    y = (x[:, :1] > 100.0).float()
    model = nn.Sequential(nn.BatchNorm1d(4), nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    model.train(train_mode)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for step in range(100):
        i = torch.arange(step * 32, step * 32 + 32) % 256
        loss = nn.functional.binary_cross_entropy_with_logits(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def test_an_input_batchnorm_that_never_measured_a_batch_is_no_unscaled_input(
        tmp_path: Path) -> None:
    """Raw readings meet the model's own BatchNorm first: in a loop that never left eval mode
    its statistics stay at their start and pass the raw values on — the inputs are not what
    to standardise (the eval mode is); trained normally, its statistics scale them."""
    torch.manual_seed(1)
    x = torch.randn(16, 4) * torch.tensor([300.0, 40.0, 5.0, 0.5]) + 100.0
    batch = Batch(x, (x[:, :1] > 100.0).float(), tmp_path / "batch.pt")
    never = rescaled_input_finding(_plough(train_mode=False), batch, torch.device("cpu"))
    assert never is not None and never.value is False
    assert "never measured a batch in training mode" in str(never.evidence)
    measured = rescaled_input_finding(_plough(train_mode=True), batch, torch.device("cpu"))
    assert measured is not None and measured.value is False
    assert "never measured" not in str(measured.evidence)


def _gutter(lr: float) -> tuple[nn.Module, torch.optim.Optimizer, dict[str, list[float]]]:
    """A one-output classifier of a 22 %-positive class under SGD at ``lr``, with its real
    per-epoch validation BCE and accuracy (set 361's gutter CNN, made small)."""
    torch.manual_seed(0)
    x = torch.randn(640, 8)
    y = (x[:, 0] + 0.5 * x[:, 1] > 1.1).float()[:, None]
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    with torch.no_grad():  # a head that starts near 0, leaning to "no gutter"
        model[2].weight.mul_(0.05)
        model[2].bias.fill_(-0.05)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    log: dict[str, list[float]] = {"epoch": [], "val_bce": [], "val_acc": []}
    for epoch in range(12):
        for b in range(16):
            i = torch.arange(b * 32, b * 32 + 32)
            loss = nn.functional.binary_cross_entropy_with_logits(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = model(x[512:])
            log["epoch"].append(epoch)
            log["val_bce"].append(
                nn.functional.binary_cross_entropy_with_logits(out, y[512:]).item())
            log["val_acc"].append(((out > 0).float() == y[512:]).float().mean().item())
    return model, opt, log


def test_one_class_predicted_before_the_class_shares_are_learnt_is_no_imbalance(
        tmp_path: Path) -> None:
    """At a rate far too low the model answers "no gutter" for every sample while its
    validation BCE stays near ln 2, far above the 0.5 the class shares cost: it has learnt
    nothing, and the imbalance is not why."""
    model, opt, log = _gutter(lr=1e-5)
    assert len(set(log["val_acc"])) == 1 and log["val_acc"][0] > 0.5  # the big class, always
    checkpoint, path = save_step_run(tmp_path / "slow", model, opt, log)
    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(path,)), ProbeContext())
    assert values_of(found).get("val.loss_above_the_shares") is True
    assert beliefs(checkpoint, path).get("class_imbalance", 0.0) < 0.5

    model, opt, log = _gutter(lr=0.5)  # it learns: the loss falls to the shares' cost or under
    checkpoint, path = save_step_run(tmp_path / "learns", model, opt, log)
    found = probe_curves(Inputs(checkpoint=checkpoint, logs=(path,)), ProbeContext())
    assert values_of(found).get("val.loss_above_the_shares") in (False, None)


_TWO_INPUTS = '''
import torch
from torch import nn


class Pairs(nn.Module):
    """A skip-gram scorer: forward(centre, context), as set 363's item vectors."""

    def __init__(self):
        super().__init__()
        self.centre = nn.Embedding(20, 4)
        self.context = nn.Embedding(20, 4)

    def forward(self, a, c):
        return (self.centre(a) * self.context(c)).sum(-1)


def build():
    torch.manual_seed(0)
    return Pairs()
'''


def test_a_model_that_cannot_run_on_its_batch_beside_a_log_skips_the_live_probes_only(
        tmp_path: Path) -> None:
    """A batch that holds no second argument for forward() stops the live probes, said once
    in full and briefly after, not the whole diagnosis: the log is still read (set 363's
    skip-gram model and set 364's embedding model had ended in an error, nothing reported)."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session
    from tests.support.writers import write_csv_log

    (tmp_path / "pairs.py").write_text(_TWO_INPUTS, "utf-8")
    torch.save((torch.arange(16) % 20, torch.arange(16) % 7), tmp_path / "batch.pt")
    log = write_csv_log(tmp_path / "log.csv", {"epoch": list(range(8)),
                                                "loss": [-1.0 * 3 ** k for k in range(8)]})
    inputs = Inputs(model=f"{tmp_path / 'pairs.py'}:build", batch=tmp_path / "batch.pt",
                    logs=(log,), device="cpu")
    session = Session(load_knowledge(), inputs)
    session.run_probes()
    report = session.report().to_json()
    skipped = [n for n in report["notes"] if "live probes were skipped" in n]
    again = [n for n in report["notes"] if "first live probe's note says why" in n]
    assert len(skipped) == 1 and "missing 1 required positional argument" in skipped[0]
    assert len(again) >= 2
    assert "log.curves" in session.probe_runs and report["diagnoses"]


def test_a_complaint_is_not_read_as_the_opposite_way_its_metrics_move() -> None:
    """A new user's "loss goes down but accuracy goes up" read as "accuracy gets worse as the
    loss falls" and a flipped sign at 67 % (exit 1): a bag of words holds "decreases" for the
    loss and the accuracy alike, the sentence does not."""
    from dldoctor.engine.symptoms import match_symptoms
    from dldoctor.kbpaths import load_knowledge

    kb = load_knowledge()

    def read(text: str) -> list[str]:
        return [m.symptom for m in match_symptoms(kb, text)]

    for healthy in ("loss goes down but accuracy goes up", "accuracy improves slowly",
                    "loss 下降但准确率上升"):
        assert "acc_worse_as_loss_falls" not in read(healthy), healthy
    for worse in ("the lower my loss goes the worse the accuracy gets",
                  "loss goes down but accuracy goes down", "loss 下降准确率也下降"):
        assert read(worse)[:1] == ["acc_worse_as_loss_falls"], worse
    assert read("训练 loss 不但不降，还一点点往上走")[:1] == ["loss_rising"]


def test_the_example_s_fix_names_the_rate_its_measured_step_points_to() -> None:
    """A new user read "lower the learning rate until one step changes them by about 1e-3"
    beside a measured ratio of 0.0935 at lr 0.5: the fix now names the rate, 0.5 × 1e-3 /
    0.0935 ≈ 0.0053."""
    import shutil
    import subprocess

    exe = shutil.which("dldoctor") or "dldoctor"
    out = subprocess.run([exe, "diagnose", "--example", "--format", "json"],
                         capture_output=True, text=True, timeout=300,
                         stdin=subprocess.DEVNULL)
    report = json.loads(out.stdout)
    healthy = next(f["value"] for f in report["findings"] if f["fact"] == "update.healthy_lr")
    ratio = next(f["value"] for f in report["findings"] if f["fact"] == "update.ratio")
    assert abs(healthy - 0.5 * 1e-3 / ratio) < 1e-9
    top = report["diagnoses"][0]
    assert top["cause"] == "lr_too_high"
    assert any(f"to about {healthy:.3g}" in fix for fix in top["fixes"]), top["fixes"]


def test_a_log_s_readings_in_the_chat_fit_a_screen(tmp_path: Path) -> None:
    """A new user attached a log in the chat and got some 35 bullet points (eight page-ups to
    find what came before): the chat shows twelve readings, what holds first, then one line
    for the rest, one for what was checked and is not so, one for what the files could not
    tell."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session
    from dldoctor.tui.texts import READINGS_SHOWN, findings_markdown
    from tests.support.writers import write_csv_log

    n = 40
    log = write_csv_log(tmp_path / "train.csv", {
        "step": list(range(n)), "loss": [2.0 / (1 + 0.1 * k) for k in range(n)],
        "acc": [0.3 + 0.01 * k for k in range(n)], "lr": [0.01] * n,
        "val_loss": [2.1 / (1 + 0.08 * k) for k in range(n)],
        "val_acc": [0.28 + 0.009 * k for k in range(n)]})
    session = Session(load_knowledge(), Inputs(logs=(log,)))
    run = session.run_probe("log.curves")
    shown = findings_markdown(session, run).splitlines()
    readings = [f for f in run.findings if f.value is not False and not session.untold(f.value)]
    assert len(readings) > READINGS_SHOWN  # the case the cap is for
    assert len(shown) <= READINGS_SHOWN + 3 + len(run.notes)
    assert any("more readings" in line for line in shown)
    assert any(line.startswith("- Could not tell from these files:") for line in shown)
