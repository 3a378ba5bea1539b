"""What the eleventh hand set (bench/hand/eleventh, scored before anything here) found
misread, each on artefacts made here:

- a pairwise ranker with MarginRankingLoss's arguments swapped: pair accuracy 0.05 on
  validation while the loss falls — far below a guess, so learnt the opposite (not class
  imbalance);
- a localiser whose box head is detached: box_loss climbs while cls_loss falls;
- a healthy WaveNet whose last residual 1×1 conv feeds nothing: a few dead-end weights
  without gradient in a run that trains were "gradient not flowing" 0.96;
- a Lightning run with OneCycleLR: the live checks trained at max_lr / 25, the warm-up's
  first rate, not the run's;
- a Hugging Face regressor (num_labels=1) "broadcast" (64, 1) against (64,) although the
  model squeezes its own loss.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_gradients import measure_gradients
from dldoctor.probes.live_output import shape_findings
from dldoctor.probes.live_runtime import optimizer_choice
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import Batch
from tests.support import values_of, write_csv_log


def test_a_held_out_accuracy_far_below_a_guess_while_the_loss_falls(tmp_path: Path) -> None:
    epochs = list(range(8))
    log = write_csv_log(tmp_path / "ranker.csv", {
        "epoch": epochs, "train_loss": [0.73, 0.28, 0.2, 0.17, 0.15, 0.14, 0.135, 0.133],
        "val_pair_acc": [0.11, 0.09, 0.07, 0.06, 0.058, 0.056, 0.055, 0.0546]})
    facts = values_of(curve_findings(read_log(log), head_width=1))
    assert facts["val.acc_below_guess"] is True
    # a model that learnt nothing sits at a guess, not below it
    flat = write_csv_log(tmp_path / "flat.csv", {
        "epoch": epochs, "train_loss": [0.73, 0.5, 0.45, 0.4, 0.38, 0.37, 0.36, 0.36],
        "val_pair_acc": [0.5, 0.49, 0.51, 0.5, 0.5, 0.49, 0.5, 0.5]})
    assert values_of(curve_findings(read_log(flat), head_width=1))["val.acc_below_guess"] \
        is False


def test_one_part_of_the_loss_climbing_while_another_falls(tmp_path: Path) -> None:
    epochs = list(range(8))
    cls = [1.09, 0.97, 0.8, 0.6, 0.5, 0.4, 0.33, 0.30]
    box = [0.17, 0.19, 0.24, 0.29, 0.33, 0.38, 0.41, 0.44]
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": epochs, "loss": [c + b for c, b in zip(cls, box, strict=True)],
        "cls_loss": cls, "box_loss": box})
    facts = values_of(curve_findings(read_log(log)))
    assert facts["loss.part_rises_while_others_fall"] is True
    # a GAN's generator loss rises by design while the discriminator's falls
    gan = write_csv_log(tmp_path / "gan.csv", {"epoch": epochs, "d_loss": cls, "g_loss": box})
    assert values_of(curve_findings(read_log(gan))).get(
        "loss.part_rises_while_others_fall") is not True


class _DeadEnd(nn.Module):
    """A body and a head, plus a small branch whose output nothing reads."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Linear(16, 64)
        self.unused = nn.Linear(64, 4)
        self.head = nn.Linear(64, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.body(x))
        _ = self.unused(h).detach()  # computed and dropped, as a residual branch at the end
        return self.head(h)


def test_the_share_of_weights_without_a_gradient_is_measured() -> None:
    torch.manual_seed(0)
    model = _DeadEnd()
    x, y = torch.randn(8, 16), torch.randn(8, 1)
    report = measure_gradients(model, lambda m: (nn.functional.mse_loss(m(x), y), "mse"))
    assert sorted(report.none) == ["unused.bias", "unused.weight"]
    assert 0 < report.none_share < 0.3  # 260 of 1413 weights


def test_the_live_checks_train_at_onecycles_peak_rate(tmp_path: Path) -> None:
    model = nn.Linear(4, 2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=10)
    opt.step()
    sched.step()
    path = tmp_path / "last.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    choice = optimizer_choice(Inputs(checkpoint=path), ProbeContext())
    assert abs(choice.lr - 3e-3) < 1e-12, choice


def test_a_model_that_computes_its_own_loss_does_not_broadcast() -> None:
    output, targets = torch.randn(64, 1), torch.rand(64) * 100
    batch = Batch(torch.randn(64, 8), targets, Path("batch.pt"))
    plain = values_of(shape_findings(output, batch))
    assert plain["batch.shape_mismatch"] is True
    own = values_of(shape_findings(output, batch, own_loss=True))
    assert own["batch.shape_mismatch"] is False


class _Gate(nn.Module):
    """Two experts mixed by a gate; ``dim`` is the softmax's axis (0: over the batch)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim
        self.gate, self.experts = nn.Linear(6, 2), nn.ModuleList(
            [nn.Linear(6, 1), nn.Linear(6, 1)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = torch.softmax(self.gate(x), dim=self.dim)
        outs = torch.cat([e(x) for e in self.experts], dim=1)
        return (weights * outs).sum(1, keepdim=True)


class _Similarity(nn.Module):
    """A dual encoder's B × B similarity matrix: mixing samples is what it is for."""

    def __init__(self) -> None:
        super().__init__()
        self.encode = nn.Linear(6, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.encode(x)
        return z @ z.T


def test_outputs_that_depend_on_the_rest_of_the_batch() -> None:
    from dldoctor.probes.batch_mixing import mixing_findings

    torch.manual_seed(0)
    batch = Batch(torch.randn(16, 6), torch.randn(16, 1), Path("batch.pt"))
    cpu = torch.device("cpu")
    assert values_of(mixing_findings(_Gate(0), batch, cpu))["batch.outputs_mixed"] is True
    assert values_of(mixing_findings(_Gate(1), batch, cpu))["batch.outputs_mixed"] is False
    assert mixing_findings(_Similarity(), batch, cpu) == []  # B × B: not judged


def test_a_one_output_regressor_starting_at_a_loss_in_the_thousands(tmp_path: Path) -> None:
    steps = list(range(0, 120, 10))
    raw = write_csv_log(tmp_path / "raw.csv", {
        "step": steps, "loss": [2390 - 40 * i for i in range(len(steps))]})
    assert values_of(curve_findings(read_log(raw), head_width=1))[
        "loss.one_output_raw_scale"] is True
    scaled = write_csv_log(tmp_path / "scaled.csv", {
        "step": steps, "loss": [1.2 - 0.05 * i for i in range(len(steps))]})
    assert values_of(curve_findings(read_log(scaled), head_width=1))[
        "loss.one_output_raw_scale"] is False
    # a rate far too high lifts a first loss near 1 to thousands within steps
    blown = write_csv_log(tmp_path / "blown.csv", {
        "step": steps, "loss": [2.2, 78436.0, 5243175.0] + [9e4] * (len(steps) - 3)})
    assert values_of(curve_findings(read_log(blown), head_width=1))[
        "loss.one_output_raw_scale"] is False
    # a classifier's head is wider, and a logged accuracy says it is one
    assert "loss.one_output_raw_scale" not in values_of(
        curve_findings(read_log(raw), head_width=10))
