"""What the fourteenth hand set showed (stop 31): a mixture density network's negative
log-likelihood goes below zero where its density is above 1 — healthy when it settles, a log
underflow when it breaks to NaN from a value back above its low."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _facts(tmp_path: Path, columns: dict[str, list[float]]) -> dict[str, object]:
    n = len(next(iter(columns.values())))
    path = write_csv_log(tmp_path / "log.csv", {"epoch": [float(i) for i in range(n)], **columns})
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))


SETTLES = [-0.12, -0.55, -0.93, -0.75, -0.73, -0.71, -0.86, -0.87, -0.87, -0.87, -0.87, -0.87]


def test_a_negative_nll_without_accuracy_is_a_density(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"train_nll": SETTLES})
    assert facts["loss.density_nll"] is True and facts["loss.negative"] is True
    assert facts["loss.unbounded_below"] is False
    # an accuracy beside it says classifier: NLLLoss fed probabilities settles below 0 too
    scored = _facts(tmp_path, {"train_nll": SETTLES, "val_acc": [0.5] * len(SETTLES)})
    assert "loss.density_nll" not in scored
    assert "loss.density_nll" not in _facts(tmp_path, {"loss": SETTLES})


def test_a_nan_after_the_loss_came_back_up_is_no_run_off(tmp_path: Path) -> None:
    nan = float("nan")
    broke = _facts(tmp_path, {"train_nll": [-0.12, -0.55, -0.81, -0.75, -0.73, -0.71, -0.55,
                                            nan, nan, nan]})
    assert broke.get("loss.unbounded_below") is not True
    ran_off = _facts(tmp_path, {"loss": [-0.1, -1.0, -10.0, -100.0, -1e4, -1e6, nan, nan]})
    assert ran_off["loss.unbounded_below"] is True


def test_a_per_epoch_loss_that_climbed_a_thousandfold_before_nan_blew_up(tmp_path: Path) -> None:
    nan = float("nan")
    facts = _facts(tmp_path, {"bag_loss": [0.78, 9.9e5, 4.5e8, 4.5e10, 6e13, 5.7e15, 1.1e18, nan],
                              "val_bag_acc": [0.56, 0.51, 0.52, 0.53, 0.5, 0.5, 0.42, 0.47]})
    assert facts["loss.non_finite_without_blowup"] is False


def test_a_hand_written_loop_s_saved_accumulation_is_read(tmp_path: Path) -> None:
    import torch
    from torch import nn

    from dldoctor.probes.static_probes import probe_optimizer

    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model(torch.randn(8, 4)).sum().backward()
    optimizer.step()
    path = tmp_path / "mil.pt"
    torch.save({"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                "accum_steps": 16, "epoch": 7}, path)
    found = values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))
    assert found["loop.backwards_per_step"] == 16


def test_a_model_that_pools_its_rows_pairs_with_its_targets() -> None:
    """A multiple-instance model: a bag of 9 instance rows, one label, one output."""
    import torch

    from dldoctor.probes.live_output import shape_findings
    from dldoctor.probes.models import Batch

    bag = Batch(torch.randn(9, 32), torch.ones(1), Path("batch.pt"), unpaired=(9, 1))
    found = values_of(shape_findings(torch.zeros(1), bag))
    assert found["batch.lengths_differ"] is False
    assert found.get("batch.shape_mismatch") is not True
    # a time-first layout read as the batch: the output has the inputs' rows, not the targets'
    found = values_of(shape_findings(torch.zeros(9, 1), bag))
    assert found["batch.lengths_differ"] is True


def test_a_scheduler_saved_as_scheduler_state_is_read(tmp_path: Path) -> None:
    """The tiny LM: StepLR(step_size=2) under `scheduler_state`, stepped 25 times an epoch."""
    import torch
    from torch import nn

    from dldoctor.probes.static_probes import probe_optimizer

    model = nn.Linear(4, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    for _ in range(250):
        optimizer.step()
        scheduler.step()
    path = tmp_path / "tiny_lm.pt"
    torch.save({"model_state": model.state_dict(), "optimizer_state": optimizer.state_dict(),
                "scheduler_state": scheduler.state_dict(), "epoch": 9}, path)
    found = values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))
    assert found["loop.scheduler_in_batch_loop"] is True


def test_one_class_at_every_evaluation_says_nothing_when_the_loss_is_always_nan(
        tmp_path: Path) -> None:
    """The TCN initialised at std 1: NaN from the first step, val accuracy 0.245 throughout."""
    nan = float("nan")
    facts = _facts(tmp_path, {"loss": [nan] * 8, "val_loss": [nan] * 8,
                              "val_acc": [0.245] * 8})
    assert facts["val.acc_at_majority"] is not True
    healthy_loss = _facts(tmp_path, {"loss": [1.4 - 0.01 * i for i in range(8)],
                                     "val_acc": [0.245] * 8})
    assert healthy_loss["val.acc_at_majority"] is True
