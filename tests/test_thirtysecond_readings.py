"""Readings the thirty-second hand set's RMTPP asked for. Its log named its losses
``train_nll_per_event`` / ``val_nll_per_event`` (a unit after the name); its NLL crossed 0, so
the validation gap from the first evaluation had no ratio to be read as; its model fed
``log1p`` of the raw waiting times (mean 9) to its GRU; and its waiting-time targets are
modelled through a log-rate, so their raw scale is no fault."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.input_rescaled import rescaled_input_finding
from dldoctor.probes.live_forward import input_findings, label_findings
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.metric_names import canonical_name
from dldoctor.probes.models import Batch
from tests.support import check_findings, values_of, write_csv_log


def test_a_per_unit_suffix_is_read_as_a_unit() -> None:
    assert canonical_name("train_nll_per_event") == canonical_name("train_nll")
    assert canonical_name("val_nll_per_event") == canonical_name("val_nll")
    assert canonical_name("val_loss_per_token")[0] == "val_loss"
    assert canonical_name("throughput_per_gpu") is None  # no unit the table knows


def _curves(tmp_path: Path, **columns: list[float]) -> dict[str, object]:
    n = len(next(iter(columns.values())))
    path = write_csv_log(tmp_path / "log.csv", {"epoch": [float(i) for i in range(n)], **columns})
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))


def test_a_gap_from_the_first_evaluation_is_read_for_a_loss_that_crosses_zero(
        tmp_path: Path) -> None:
    epochs = np.arange(12)
    train = 0.31 * np.exp(-epochs / 2.0) - 0.08  # 0.23 → -0.08: crosses 0
    shifted = _curves(tmp_path, train_nll_per_event=list(train),
                      val_nll_per_event=list(9.7 - 5 * (1 - np.exp(-epochs)) + 0.1 * epochs))
    assert shifted["val.gap_at_first_eval"] is True
    healthy = _curves(tmp_path, train_nll_per_event=list(train),
                      val_nll_per_event=list(train + 0.02 + 0.01 * epochs))
    assert healthy["val.gap_at_first_eval"] is False


def test_a_gap_between_positive_losses_is_still_a_ratio(tmp_path: Path) -> None:
    epochs = np.arange(10)
    found = _curves(tmp_path, train_loss=list(1.0 * np.exp(-epochs / 3.0) + 0.2),
                    val_loss=list(1.0 * np.exp(-epochs / 3.0) + 0.25))
    assert found["val.gap_at_first_eval"] is False


class _LogTimes(nn.Module):
    """A recurrent model over waiting times that takes their log itself."""

    def __init__(self) -> None:
        super().__init__()
        self.gru = nn.GRU(1, 8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, gaps: torch.Tensor) -> torch.Tensor:
        h, _ = self.gru(torch.log1p(gaps)[..., None])
        return self.head(h).squeeze(-1)


class _RawTimes(_LogTimes):
    def forward(self, gaps: torch.Tensor) -> torch.Tensor:
        h, _ = self.gru(gaps[..., None])
        return self.head(h).squeeze(-1)


def _waiting_times() -> Batch:
    generator = torch.Generator().manual_seed(0)
    gaps = -10.0 * torch.log(torch.rand(32, 20, generator=generator))  # exponential, mean 10
    return Batch(gaps, gaps.roll(-1, dims=1), Path("batch.pt"))


def test_a_model_that_rescales_its_inputs_is_read_at_its_first_layer() -> None:
    torch.manual_seed(0)
    batch = _waiting_times()
    assert values_of(input_findings(batch))["input.not_normalized"] is True  # mean ≈ 10
    rescaled = rescaled_input_finding(_LogTimes(), batch, torch.device("cpu"))
    assert rescaled is not None and rescaled.value is False
    assert rescaled.details["layer"] == "gru" and 1.0 < rescaled.details["mean"] < 3.0
    assert rescaled_input_finding(_RawTimes(), batch, torch.device("cpu")) is None


def test_non_negative_float_targets_are_told_apart_from_counts() -> None:
    batch = _waiting_times()
    found = values_of(label_findings(batch, torch.rand(32, 20)))
    assert found["target.non_negative"] is True and found["target.counts"] is False
    centred = Batch(batch.inputs, torch.randn(32, 20) * 30, Path("batch.pt"))
    assert values_of(label_findings(centred, torch.rand(32, 20)))["target.non_negative"] is False
