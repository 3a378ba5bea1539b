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


POINTER = '''
import torch
from torch import nn


class Pointer(nn.Module):
    """Scores the input positions at each output step; teacher-forced by ``order``."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(1, 16)
        self.step = nn.Embedding(8, 16)
        self.score = nn.Linear(16, 16)

    def forward(self, values, order=None):
        keys = self.embed(values[..., None])                        # (B, N, 16)
        steps = self.step(torch.arange(values.shape[1]))            # (N, 16)
        logits = torch.einsum("bnd,td->btn", self.score(keys), steps)
        if order is not None:                                       # mask what was taken
            taken = torch.zeros_like(logits, dtype=torch.bool)
            for t in range(1, values.shape[1]):
                taken[:, t] = taken[:, t - 1] | nn.functional.one_hot(order[:, t - 1], 8).bool()
            logits = logits.masked_fill(taken, -1e9)
        return logits                                               # (B, steps, positions)


def build():
    return Pointer()
'''


def _pointer_run(tmp_path: Path) -> Inputs:
    (tmp_path / "pointer.py").write_text(POINTER, encoding="utf-8")
    import importlib.util

    spec = importlib.util.spec_from_file_location("pointer_for_test", tmp_path / "pointer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    model = module.build()
    values = torch.rand(256, 8, generator=torch.Generator().manual_seed(1))
    order = values.argsort(1)
    opt = torch.optim.Adam(model.parameters(), lr=3e-2)
    for step in range(150):
        rows = slice(step % 4 * 64, step % 4 * 64 + 64)
        loss = nn.functional.cross_entropy(model(values[rows], order[rows]).reshape(-1, 8),
                                           order[rows].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save(model.state_dict(), tmp_path / "pointer.pt")
    torch.save({"inputs": values[:64], "order": order[:64], "targets": order[:64]},
               tmp_path / "batch.pt")
    return Inputs(checkpoint=tmp_path / "pointer.pt", model=f"{tmp_path / 'pointer.py'}:build",
                  batch=tmp_path / "batch.pt")


def test_a_pointer_networks_scores_are_read_along_their_last_axis(tmp_path: Path) -> None:
    from dldoctor.probes.losses import loss_for
    from dldoctor.probes.models import batch_for, load_model

    inputs = _pointer_run(tmp_path)
    ctx = ProbeContext()
    batch = batch_for(inputs, ctx)
    assert batch.classes_last is True
    assert any("last axis" in str(note) for note in ctx.notes)
    model = load_model(inputs, ctx)
    with torch.no_grad():
        output = model(batch.inputs)  # the saved ``order`` is passed: the masks are its own
        right = float(loss_for(output, batch.targets, classes_last=True)[0])
        wrong = float(loss_for(output, batch.targets)[0])
    assert right < 1.0 < 1e6 < wrong


class _Captioner(nn.Module):
    """An image feature plus a token sequence through an LSTM: step t reads token t."""

    def __init__(self) -> None:
        super().__init__()
        self.enc = nn.Linear(12, 16)
        self.tok = nn.Embedding(20, 16)
        self.lstm = nn.LSTM(16, 16, batch_first=True)
        self.out = nn.Linear(16, 20)

    def forward(self, images: torch.Tensor, captions: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(self.tok(captions) + self.enc(images)[:, None])
        return self.out(h)


def test_a_decoder_fed_its_targets_unshifted_reads_the_token_it_predicts(
        tmp_path: Path) -> None:
    """The thirty-second set's captioner was given the caption it must predict at each step
    (labels_wrong 0.83 had been its diagnosis); the pointer net, whose ``order`` is the
    targets too but is used only after each step is scored, does not read ahead."""
    from dldoctor.probes.extra_inputs import bind_extras
    from dldoctor.probes.future_leak import future_leak_findings
    from dldoctor.probes.models import batch_for, load_model

    generator = torch.Generator().manual_seed(0)
    captions = torch.randint(0, 20, (16, 10), generator=generator)
    images = torch.randn(16, 12, generator=generator)
    batch = Batch(images, captions, Path("batch.pt"), named={"captions": captions})
    torch.manual_seed(0)
    model = _Captioner()
    bind_extras(model, batch)
    found = values_of(future_leak_findings(model, batch, torch.device("cpu")))
    assert found["data.future_in_inputs"] is True and found["data.targets_fed_unshifted"] is True
    shifted = Batch(images, captions, Path("batch.pt"),
                    named={"captions": torch.cat([captions[:, :1] * 0, captions[:, :-1]], 1)})
    assert future_leak_findings(model, shifted, torch.device("cpu")) == []  # nothing to test

    inputs = _pointer_run(tmp_path)
    ctx = ProbeContext()
    pointer = values_of(future_leak_findings(load_model(inputs, ctx), batch_for(inputs, ctx),
                                             torch.device("cpu")))
    assert pointer["data.future_in_inputs"] is False
