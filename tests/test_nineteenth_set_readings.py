"""What the nineteenth hand set (bench/hand/nineteenth, scored before anything here) found
misread, each on artefacts made here:

- a quantile regressor's log with ``val_median_mae`` before ``val_pinball``: the validation
  loss is the one that measures what ``train_pinball`` does, not the first in the file;
- a CTC log with ``train_ctc`` / ``val_ctc`` was refused (no known metric column);
- a CTC model's ``log_softmax(dim=0)`` on its ``(T, B, C)`` output (normalised over time);
- a normalizing flow's ``(points, zeros)`` batch: placeholder zeros are no class;
- the same flow's NLL at 2.5 is no "high" loss (a density's NLL has no floor at 0), while
  the one with the log-determinant's sign flipped runs off below zero in a straight line.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.live_forward import label_findings
from dldoctor.probes.live_output import output_findings
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import Batch
from tests.support import values_of, write_csv_log


def test_the_validation_loss_is_the_one_named_like_the_training_loss(tmp_path: Path) -> None:
    log = write_csv_log(tmp_path / "metrics.csv", {
        "epoch": [0, 1, 2, 3], "train_pinball_epoch": [0.43, 0.41, 0.41, 0.407],
        "val_coverage_80": [0.7, 0.78, 0.8, 0.8], "val_median_mae": [1.4, 1.3, 1.28, 1.27],
        "val_pinball": [0.42, 0.41, 0.41, 0.41]})
    metrics = read_log(log)
    loss, val = metrics.get("loss"), metrics.get("val_loss")
    assert loss is not None and val is not None and val.column == "val_pinball"
    ctc = read_log(write_csv_log(tmp_path / "ctc.csv", {
        "epoch": [0, 1, 2], "train_ctc": [29.6, 24.6, 23.9], "val_ctc": [25.7, 24.0, 23.8],
        "val_exact": [0.14, 0.5, 0.8]}))
    assert ctc.get("loss") is not None and ctc.get("loss").column == "train_ctc"
    assert ctc.get("val_loss") is not None and ctc.get("val_loss").column == "val_ctc"


class _Frames(nn.Module):
    """A CTC frame model: (B, T, F) -> log-probabilities (T, B, C) over ``dim``."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.net, self.dim = nn.Conv1d(4, 7, 3, padding=1), dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.transpose(1, 2)).permute(2, 0, 1).log_softmax(dim=self.dim)


def test_log_probabilities_over_time_are_over_the_wrong_axis() -> None:
    torch.manual_seed(0)
    x = torch.randn(8, 20, 4)
    with torch.no_grad():
        over_time, over_classes = _Frames(0)(x), _Frames(-1)(x)
        pixels = nn.Conv2d(3, 5, 1)(torch.randn(2, 3, 6, 6)).softmax(dim=1)
    wrong = values_of(output_findings(over_time, None, None))
    assert wrong["output.softmax_wrong_dim"] is True
    assert values_of(output_findings(over_classes, None, None))["output.softmax_wrong_dim"] is False
    assert values_of(output_findings(pixels, None, None))["output.softmax_wrong_dim"] is False


def test_placeholder_zeros_beside_a_wider_output_are_no_class() -> None:
    points = torch.randn(64, 2)
    placeholder = Batch(points, torch.zeros(64), Path("batch.pt"))
    flow_out = torch.randn(64, 2)  # a flow gives back points, not a score per sample
    assert "batch.single_class" not in values_of(label_findings(placeholder, flow_out))
    one_score = torch.randn(64, 1)  # a binary classifier: all-zero labels are one class
    assert values_of(label_findings(placeholder, one_score))["batch.single_class"] is True


def test_a_density_nll_level_says_nothing_and_a_straight_run_below_zero_runs_off(
        tmp_path: Path) -> None:
    steps = list(range(100, 1700, 100))
    healthy = [3.46, 3.16, 3.0, 2.89, 2.81, 2.85, 2.74, 2.65, 2.6, 2.54, 2.52, 2.5, 2.48,
               2.48, 2.5, 2.57]
    ok = read_log(write_csv_log(tmp_path / "ok.csv", {
        "step": steps, "train_nll": healthy, "val_nll": [v + 0.05 for v in healthy]}))
    assert values_of(curve_findings(ok))["train_val.close_and_high"] is UNKNOWN
    flipped = [-0.6] + [-7.04 - 0.82 * i for i in range(15)]  # -log_det in place of +log_det
    runs_off = read_log(write_csv_log(tmp_path / "flipped.csv", {
        "step": steps, "train_nll": flipped, "val_nll": [v - 0.4 for v in flipped]}))
    assert values_of(curve_findings(runs_off))["loss.unbounded_below"] is True


def test_the_live_checks_train_at_the_rate_an_unfinished_warm_up_reached(tmp_path: Path) -> None:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.live_runtime import optimizer_choice

    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    warmup = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 200))
    rates = []
    for _ in range(12):  # one scheduler step an epoch for a warm-up counted in batches
        for _ in range(5):
            loss = model(torch.randn(8, 4)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        rates.append(opt.param_groups[0]["lr"])
        warmup.step()
    path = tmp_path / "unet.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    falling = [1.1 - 0.05 * i for i in range(12)]
    log = write_csv_log(tmp_path / "seg_log.csv",
                        {"epoch": list(range(12)), "lr": rates, "train_loss": falling})
    choice = optimizer_choice(Inputs(checkpoint=path, logs=(log,)), ProbeContext())
    assert choice.lr == opt.param_groups[0]["lr"] < 3e-3 / 10 and "warm-up" in choice.source
    finished = write_csv_log(tmp_path / "done.csv",
                             {"epoch": list(range(12)), "lr": [3e-3] * 12, "train_loss": falling})
    assert optimizer_choice(Inputs(checkpoint=path, logs=(finished,)), ProbeContext()).lr == 3e-3


def test_a_sigmoid_decoder_fed_to_bce_with_logits_shows_in_its_summed_reconstruction(
        tmp_path: Path) -> None:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.loss_match import loss_match_findings

    torch.manual_seed(0)
    x = (torch.rand(64, 64) < 0.2).float()  # sparse binary "sprites"
    model = nn.Sequential(nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 64), nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    recon = []
    for _ in range(150):  # the sigmoid's output taken for logits: it sinks towards 0
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), x, reduction="sum") / 64
        opt.zero_grad()
        loss.backward()
        opt.step()
        recon.append(float(loss.detach()))
    log = write_csv_log(tmp_path / "vae_log.csv", {"step": list(range(150)), "recon": recon,
                                                   "kl": [0.0] * 150, "loss": recon})
    with torch.no_grad():
        out = model(x)
    found = values_of(loss_match_findings(out, x, Inputs(logs=(log,)), ProbeContext(),
                                          from_sigmoid=True))
    assert found["loss.logged_as_logits_of_probabilities"] is True, float(out.max())


def test_a_regressor_that_fits_comes_closer_than_a_constant() -> None:
    from dldoctor.probes.live_output import constant_gain_findings

    torch.manual_seed(0)
    x = torch.randn(128, 8)
    y = x[:, :3].sum(1) + 0.3 * torch.randn(128)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))  # three quantiles
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    taus = torch.tensor([0.1, 0.5, 0.9])
    for _ in range(200):
        err = y[:, None] - model(x)
        loss = torch.maximum(taus * err, (taus - 1) * err).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        fitted = values_of(constant_gain_findings(model(x), y))["output.gain_over_constant"]
    constant = values_of(constant_gain_findings(torch.zeros(128, 3), y))
    assert fitted > 0.5 and constant["output.gain_over_constant"] < 0.1
    assert constant_gain_findings(torch.randn(128, 3), torch.randint(0, 3, (128,))) == []
