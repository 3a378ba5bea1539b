"""What the twenty-fifth hand set's two-head churn model showed: its log holds the total
``loss`` = ``churn_bce`` + 200 × ``spend_mse`` and ``val_churn_bce``; the parts were no loss
columns at all, and the total (14.3) was compared with one task's validation loss (0.68) —
"validation 0.048× the training loss", ``labels_wrong`` 0.40. A tiny real two-head run with the
weight at 200 and at 1."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.writers import write_csv_log


def _two_heads(folder: Path, spend_weight: float) -> Path:
    torch.manual_seed(0)
    x = torch.randn(1200, 10)
    churn = (x[:, 0] + 0.5 * x[:, 1] + 0.8 * torch.randn(1200) > 0).float()
    spend = x[:, 2:5].sum(1, keepdim=True) / 3 ** 0.5
    trunk = nn.Sequential(nn.Linear(10, 32), nn.ReLU())
    heads = nn.ModuleList([nn.Linear(32, 1), nn.Linear(32, 1)])
    opt = torch.optim.Adam([*trunk.parameters(), *heads.parameters()], lr=3e-3)
    rows: dict[str, list[float | None]] = {"epoch": [], "loss": [], "churn_bce": [],
                                           "spend_mse": [], "val_churn_bce": []}
    for epoch in range(8):
        sums = [0.0, 0.0, 0.0]
        for i in range(0, 1000, 100):
            h = trunk(x[i:i + 100])
            bce = F.binary_cross_entropy_with_logits(heads[0](h).squeeze(1), churn[i:i + 100])
            mse = F.mse_loss(heads[1](h), spend[i:i + 100])
            loss = bce + spend_weight * mse
            opt.zero_grad()
            loss.backward()
            opt.step()
            for k, v in enumerate((loss, bce, mse)):
                sums[k] += float(v.detach()) / 10
        with torch.no_grad():
            val = F.binary_cross_entropy_with_logits(heads[0](trunk(x[1000:])).squeeze(1),
                                                     churn[1000:])
        for key, value in zip(rows, (epoch, *sums, float(val)), strict=True):
            rows[key].append(value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "metrics.csv", rows)


def test_a_total_that_weighs_one_task_200_times_is_read_as_its_weighted_parts(
        tmp_path: Path) -> None:
    found = check_findings(probe_curves(
        Inputs(logs=(_two_heads(tmp_path / "bug", 200.0),)), ProbeContext()), "log.curves")
    facts = values_of(found)
    assert facts["loss.multi_task"] is True
    ratio = next(f for f in found if f.fact == "loss.task_loss_ratio")
    assert "200 × spend_mse" in ratio.evidence, ratio.evidence  # the weights recovered
    assert facts["loss.task_loss_ratio"] > 5
    # the validation column measures churn: it is compared with churn_bce, not the total
    assert 0.5 < facts["train_val.gap_ratio"] < 2.0


def test_equal_weights_are_no_weighted_reading(tmp_path: Path) -> None:
    found = check_findings(probe_curves(
        Inputs(logs=(_two_heads(tmp_path / "ok", 1.0),)), ProbeContext()), "log.curves")
    ratio = next((f for f in found if f.fact == "loss.task_loss_ratio"), None)
    assert ratio is None or "200" not in ratio.evidence
    assert 0.5 < values_of(found)["train_val.gap_ratio"] < 2.0
