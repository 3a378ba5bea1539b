"""Readings the thirty-fifth hand set asked for. A learned index fed its keys sorted: the saved
batch was a contiguous slice (targets rising with the row, inputs spanning 2 % of the range),
read as inputs not normalised; a FlowNet's log named its error ``train_epe`` / ``val_epe`` and
was refused; gradients never cleared blew up and read as exploding gradients first."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.live_forward import label_findings, target_order_findings
from dldoctor.probes.metric_names import canonical_name
from dldoctor.probes.models import Batch
from tests.support import values_of


def _keys(sort: bool) -> Batch:
    generator = torch.Generator().manual_seed(0)
    keys = torch.rand(256, generator=generator) * 0.023
    if sort:
        keys = keys.sort().values
    return Batch(keys[:, None], keys * 16384, Path("batch.pt"))


def test_a_batch_whose_targets_rise_with_the_row_came_sorted() -> None:
    sorted_batch, shuffled = _keys(True), _keys(False)
    assert values_of(label_findings(sorted_batch))["batch.targets_sorted"] is True
    assert values_of(label_findings(shuffled))["batch.targets_sorted"] is False
    assert target_order_findings(torch.arange(8).float()) == []  # too few rows to tell
    assert target_order_findings(torch.randint(0, 3, (64,)).float()) == []  # classes


def test_a_sorted_batch_says_nothing_of_the_inputs_spread(tmp_path: Path) -> None:
    from torch import nn

    from dldoctor.probes.live_forward import input_findings
    from dldoctor.probes.live_probes import _inputs_as_seen

    for sort, expected in ((True, UNKNOWN), (False, True)):
        batch = _keys(sort)
        found = _inputs_as_seen(input_findings(batch), nn.Linear(1, 1), batch,
                                torch.device("cpu"))
        assert values_of(found)["input.not_normalized"] is expected


def test_endpoint_error_columns_are_the_loss() -> None:
    assert canonical_name("train_epe")[0] == "loss"
    assert canonical_name("val_epe")[0] == "val_loss"


def test_a_validation_loss_below_training_all_run_is_read(tmp_path: Path) -> None:
    """The thirty-fifth set's depth net, BatchNorm at batch size 2: its training L1 stayed
    above the validation L1 at every epoch (no dropout) — BatchNorm's batch statistics over two
    samples, not the data."""
    import numpy as np

    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import check_findings, write_csv_log

    epochs = np.arange(12)
    train = 0.6 + 0.3 * np.exp(-epochs / 3.0)
    for val, expected in ((train * 0.78, True), (train * 1.05, False)):
        path = write_csv_log(tmp_path / "log.csv", {"epoch": list(map(float, epochs)),
                                                    "train_loss": list(train),
                                                    "val_loss": list(val)})
        found = values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                         "log.curves"))
        assert found["val.below_train_throughout"] is expected
