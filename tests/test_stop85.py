"""Stop 85: readings from sets 383–394, each test seen failing on the code before its change."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.probes.batch_mixing import mixing_findings
from dldoctor.probes.live_probes import LR_GRID, sweep_rates
from dldoctor.probes.logs import read_logs
from dldoctor.probes.models import Batch
from dldoctor.probes.padding import padding_findings
from dldoctor.probes.source_scan import sliced_batch_findings
from dldoctor.session import Session
from tests.support.stepruns import save_step_run


def test_a_lightning_loss_named_for_its_kind_is_read_with_its_step_suffix(
        tmp_path: Path) -> None:
    """Set 380's Lightning GRU logged ``self.log("step_ce", on_step=True, on_epoch=True)``:
    its ``step_ce_step`` column was no loss, so the report asked "is the loss negative?" of
    a run whose loss was logged every five steps."""
    rows = ["epoch,step,step_ce_epoch,step_ce_step,val_ce"]
    for i in range(12):
        rows.append(f"{i // 4},{i * 5 + 4},,{0.8 * 0.9 ** i:.4f},")
        if i % 4 == 3:
            rows.append(f"{i // 4},{i * 5 + 4},{0.8 * 0.9 ** i:.4f},,{0.85 * 0.9 ** i:.4f}")
    (tmp_path / "metrics.csv").write_text("\n".join(rows) + "\n")
    metrics = read_logs([tmp_path / "metrics.csv"])
    assert metrics.series["loss"].column == "step_ce_step"
    assert metrics.series["val_loss"].column == "val_ce"


def _decayed_regressor(folder: Path, decay: float, decoupled: bool) -> dict[str, float]:
    """Set 385's turf-bank regressor, made small: an MLP trained 30 epochs with Adam (or
    AdamW) at ``weight_decay=decay``; diagnosed from its checkpoint and per-epoch log."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(512, 6, generator=g)
    y = 2 * x[:, :1] + x[:, 1:2].sin() + 0.1 * torch.randn(512, 1, generator=g)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    kind = torch.optim.AdamW if decoupled else torch.optim.Adam
    opt = kind(model.parameters(), lr=1e-3, weight_decay=decay)
    train, val = [], []
    for _ in range(30):
        total = 0.0
        for i in range(0, 448, 32):
            loss = nn.functional.mse_loss(model(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() / 14
        train.append(total)
        with torch.no_grad():
            val.append(nn.functional.mse_loss(model(x[448:]), y[448:]).item())
    checkpoint, log = save_step_run(folder, model, opt, {
        "epoch": list(range(30)), "train_mse": train, "val_mse": val})
    session = Session(load_knowledge(), Inputs(checkpoint=checkpoint, logs=(log,)))
    session.run_probes()
    return {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}


@pytest.mark.parametrize(("decay", "decoupled", "regularised"),
                         [(0.1, False, True), (0.0, False, False), (0.1, True, False)])
def test_a_coupled_decay_that_leads_the_optimizer_s_memory_is_too_much_regularisation(
        tmp_path: Path, decay: float, decoupled: bool, regularised: bool) -> None:
    """Adam's coupled ``weight_decay=0.1`` turns its first moment toward the weights
    (cosine about 0.37 here, at most 0.27 in healthy hand runs): set 385's run, read from
    its checkpoint and log, had no cause at all. Without decay, or with AdamW's decoupled
    decay (which never enters the moments), there is nothing to read."""
    found = _decayed_regressor(tmp_path, decay, decoupled)
    assert (found.get("over_regularization", 0.0) >= 0.5) is regularised


def test_a_model_file_that_names_no_batch_size_says_so(tmp_path: Path) -> None:
    """A model file with neither a shuffling DataLoader nor a sliced loop gives "don't
    know", so the batch file's own count may stand in for the training batch size; one
    with ``DataLoader(..., batch_size=2, shuffle=True)`` gives 2 (set 383's tannin MLP)."""
    plain = tmp_path / "plain.py"
    plain.write_text("from torch import nn\n\ndef build():\n    return nn.Linear(3, 1)\n")
    assert sliced_batch_findings(f"{plain}:build")[0].value is UNKNOWN
    looped = tmp_path / "looped.py"
    looped.write_text(plain.read_text() + (
        "\ndef loader(ds):\n    from torch.utils.data import DataLoader\n"
        "    return DataLoader(ds, batch_size=2,  # more updates per epoch\n"
        "                      shuffle=True)\n"))
    assert sliced_batch_findings(f"{looped}:build")[0].value == 2.0
    # a package module's source is not read here: "don't know" too; no model, nothing
    assert sliced_batch_findings("torch.nn:Linear")[0].value is UNKNOWN
    assert sliced_batch_findings(None) == []


def test_several_ids_per_position_padded_with_zeros_are_read_as_padding() -> None:
    """Set 391's round-book tagger: each call is (house id, door answered), days padded to 48
    calls with (0, 0) and tagged 0, "nothing sold", which half the real calls are too: the
    loss averaged over the padding. Integer vectors had been no batch to read."""
    g = torch.Generator().manual_seed(0)
    houses = torch.randint(1, 9, (64, 48), generator=g)
    answered = torch.randint(0, 2, (64, 48), generator=g)
    tags = torch.randint(1, 5, (64, 48), generator=g) * answered
    lengths = torch.randint(4, 30, (64,), generator=g)
    pad = torch.arange(48)[None, :] >= lengths[:, None]
    inputs = torch.stack([houses.masked_fill(pad, 0), answered.masked_fill(pad, 0)], -1)
    found = {f.fact: f.value for f in padding_findings(inputs, tags.masked_fill(pad, 0))}
    assert found["loss.counts_padding"] is True
    assert found["labels.padding_value"] == 0
    skipped = {f.fact: f.value for f in padding_findings(inputs, tags.masked_fill(pad, -100))}
    assert skipped["loss.counts_padding"] is False


def test_the_sweep_tries_the_run_s_own_rate_unless_it_is_a_grid_rate() -> None:
    """Set 392's SGD ran at 1.5 (momentum 0.9) and died; the sweep stood in the grid's 1 for
    it, which fitted the batch best, and cleared the rate. A rate the grid holds up to
    float formatting is that rate."""
    assert 1.5 in sweep_rates(1.5)
    assert 2e-3 in sweep_rates(2e-3)
    assert sweep_rates(0.0010000001) == LR_GRID
    assert sweep_rates(float("nan")) == LR_GRID


class _BatchScaled(nn.Module):
    """Scores scaled by a statistic of the whole batch, as Hugging Face's Nyströmformer
    starts its pseudo-inverse from the largest column sum in the batch."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Linear(6, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)
        return out / (1 + 0.05 * out.abs().max())


class _LibraryModel(_BatchScaled):
    """The same, as a model library's own class."""


_LibraryModel.__module__ = "transformers.models.fake.modeling_fake"


def _mixed(model: nn.Module) -> object:
    torch.manual_seed(0)
    x = torch.randn(64, 6)
    x[:32] *= 3  # the first half holds the batch's largest entries
    found = mixing_findings(model, Batch(x, torch.zeros(64, dtype=torch.long), "b.pt"),
                            torch.device("cpu"))
    return next(f.value for f in found if f.fact == "batch.outputs_mixed")


def test_a_library_model_s_own_batch_dependence_is_no_user_s_mixing() -> None:
    """Set 393's healthy Nyströmformer moved its outputs 4 % with the rest of the batch and
    read as a softmax over the wrong dimension at 0.55, exit 1. The same dependence in the
    user's own module — or in a user's wrapper around the library's — is still mixing."""
    torch.manual_seed(0)
    assert _mixed(_LibraryModel()) is UNKNOWN
    assert _mixed(_BatchScaled()) is True
    assert _mixed(nn.Sequential(_LibraryModel())) is True
