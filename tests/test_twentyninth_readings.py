"""Readings the twenty-ninth hand set asked for. A graph batch (node rows for per-graph
labels) blocked every check that fits the batch, though the model pools its nodes into one
output per label; a state-space kernel's structured parameters (log_A_real = log 0.5
everywhere, A_imag = π·n in every row) read as a constant, symmetric initialisation; a
SimSiam loss falling from 0 towards −1 read as a sign error."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_lr_sweep, probe_overfit
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log

_GRAPH_MODEL = '''
import torch
from torch import nn


class SumPool(nn.Module):
    """Embeds each node, sums the nodes of each graph (8 nodes a graph), classifies."""

    def __init__(self):
        super().__init__()
        self.node = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 32))
        self.head = nn.Linear(32, 2)

    def forward(self, x):
        return self.head(self.node(x).reshape(-1, 8, 32).sum(1))


def build():
    torch.manual_seed(0)
    return SumPool()
'''


def test_a_graph_batch_is_fitted_through_the_model_that_pools_it(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(_GRAPH_MODEL)
    gen = torch.Generator().manual_seed(0)
    nodes = torch.randn(16 * 8, 5, generator=gen)
    labels = (nodes.reshape(16, 8, 5)[..., 0].sum(1) > 0).long()
    torch.save({"inputs": nodes, "targets": labels}, tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'model.py'}:build", batch=tmp_path / "batch.pt")
    ctx = ProbeContext()
    fitted = values_of(check_findings(probe_overfit(inputs, ctx), "live.overfit_batch"))
    assert fitted["overfit.outcome"] in ("reaches_zero", "decreases_slowly"), ctx.notes
    swept = values_of(check_findings(probe_lr_sweep(inputs, ProbeContext()), "live.lr_sweep"))
    assert swept["lr_sweep.best_over_current"] > 0


class _S4DKernel(nn.Module):
    """S4D-Lin's diagonal state matrix: A = −0.5 + iπn, the same for every channel."""

    def __init__(self, channels: int = 8, states: int = 16) -> None:
        super().__init__()
        self.log_A_real = nn.Parameter(torch.full((channels, states), math.log(0.5)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(states).float().repeat(channels, 1))
        self.C = nn.Parameter(torch.randn(channels, states))
        self.proj = nn.Linear(channels, channels)


class _ZeroedCustom(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.mix = nn.Parameter(torch.zeros(8, 8))  # forgotten init, whatever its name


def test_a_kernels_structured_parameters_are_no_constant_initialisation() -> None:
    found = values_of(init_findings(_S4DKernel()))
    assert found["init.all_zero"] is False and found["init.symmetric_rows"] is False
    assert values_of(init_findings(_ZeroedCustom()))["init.all_zero"] is True


def _curve(tmp_path: Path, values: list[float]) -> dict[str, object]:
    path = write_csv_log(tmp_path / "loss.csv", {"epoch": [float(i) for i in range(len(values))],
                                                 "loss": values})
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))


def test_a_negative_cosine_falling_towards_minus_one_is_read_as_one(tmp_path: Path) -> None:
    simsiam = list(-0.9 + 0.83 * np.exp(-np.arange(12) / 3.0))
    assert _curve(tmp_path, simsiam)["loss.cosine_bounded"] is True
    flipped = list(-1.0 - 0.9 * (1 - np.exp(-np.arange(12) / 3.0)))  # cos − 1, a 1 − cos flipped
    assert _curve(tmp_path, flipped)["loss.cosine_bounded"] is False
    runaway = list(-np.arange(12) * 3.0 - 0.1)  # −CE: leaves every bound
    assert "loss.cosine_bounded" not in _curve(tmp_path, runaway)


def test_autoregressive_masks_are_buffers_not_frozen_weights(tmp_path: Path) -> None:
    """The twenty-ninth set's MADE: its 0/1 masks (l1.mask …) sit in the state_dict beside
    the weights the optimizer holds: read as frozen weights, gradient_not_flowing 0.65."""
    from dldoctor.probes.static_probes import probe_optimizer

    torch.manual_seed(0)
    layer = nn.Linear(8, 8)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    layer(torch.randn(4, 8)).sum().backward()
    optimizer.step()
    state = dict(layer.state_dict())
    state["mask"] = torch.tril(torch.ones(8, 8), -1)
    torch.save({"model": state, "optimizer": optimizer.state_dict()}, tmp_path / "made.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "made.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is False


def _lightning_like(tmp_path: Path, manual: int, automatic: int) -> Path:
    """A checkpoint laid out as Lightning 2.x writes one (the fit loop's keys joined by dots)."""
    torch.manual_seed(0)
    layer = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1, momentum=0.9)
    layer(torch.randn(8, 4)).sum().backward()
    optimizer.step()
    count = {"total": {"ready": manual, "completed": manual}}
    auto = {"optimizer": {"step": {"total": {"ready": automatic, "completed": automatic}}}}
    path = tmp_path / "last.ckpt"
    torch.save({"epoch": 14, "global_step": manual + automatic,
                "state_dict": layer.state_dict(), "optimizer_states": [optimizer.state_dict()],
                "loops": {"fit_loop": {
                    "epoch_loop.manual_optimization.optim_step_progress": count,
                    "epoch_loop.automatic_optimization.optim_progress": auto}}}, path)
    return path


def test_lightnings_counters_tell_manual_from_automatic_optimisation(tmp_path: Path) -> None:
    """The twenty-ninth set's GIN stepped its optimizer itself (375 manual steps, 0
    automatic) and never cleared the gradients: where Lightning steps, it clears them."""
    from dldoctor.probes.static_probes import probe_optimizer

    for manual, automatic, expected in ((375, 0, True), (0, 375, False)):
        inputs = Inputs(checkpoint=_lightning_like(tmp_path, manual, automatic))
        found = values_of(check_findings(probe_optimizer(inputs, ProbeContext()),
                                         "checkpoint.optimizer"))
        assert found["loop.manual_optimization"] is expected
