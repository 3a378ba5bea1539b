"""BatchNorm weights NaN over finite running statistics: the steps after the blow-up ran in
eval mode (a train-mode forward would have folded NaN batch statistics into them). Two hand
runs trained in eval mode after their first validation had read lr_too_high 0.62."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of


def _blown_up(tmp_path: Path, eval_after_first: bool) -> dict[str, object]:
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(256, 8, generator=gen), torch.randint(0, 3, (256,), generator=gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for epoch in range(4):
        for step in range(8):
            idx = torch.arange(step * 32, step * 32 + 32)
            batch = x[idx]
            if not eval_after_first and epoch == 1 and step == 1:
                batch = batch.clone()
                batch[0, 0] = float("nan")  # BatchNorm spreads one NaN to every weight
            loss = F.cross_entropy(model(batch), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if eval_after_first and epoch >= 1 and step == 0:  # in eval mode, a rate that
                opt.param_groups[0]["lr"] = 1e6  # blows the weights up (batch statistics
                # would have kept them in check: BatchNorm makes the scale irrelevant)
        model.eval()  # the validation pass
        if not eval_after_first:
            model.train()
    path = tmp_path / f"bn_{eval_after_first}.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    return values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                    "checkpoint.weights"))


def test_nan_weights_over_finite_statistics_trained_in_eval_mode(tmp_path: Path) -> None:
    facts = _blown_up(tmp_path, eval_after_first=True)
    assert facts["weights.non_finite"] is True
    assert facts["weights.bn_stats_kept_through_nan"] is True


def test_in_train_mode_the_statistics_follow_the_weights(tmp_path: Path) -> None:
    facts = _blown_up(tmp_path, eval_after_first=False)
    assert facts["weights.non_finite"] is True
    assert facts["weights.bn_stats_kept_through_nan"] is False
