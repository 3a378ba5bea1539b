"""Readings the eighty-third to eighty-eighth hand sets asked for at stop 49.

An EDSR super-resolution net started its output convolution (16 → 3 channels) at 0.04× the
Kaiming scale on purpose, so its first output is close to the upscaled input: read as a too
small initialisation beside the frozen body that was the fault. A FiBiNET's squeeze-and-
excitation gate over six fields (``Linear(6, 3)``, ``Linear(3, 6)``, a sigmoid that reweights
the fields) was read, from its checkpoint, as a 3-unit bottleneck every input passes through.
Three models of the eighty-seventh set written ``forward(self, batch)``, reading the batch dict's
keys themselves, were refused (exit 2) although the file held what they read; a padded
waveform's last column, filled by the one clip long enough, read as a one-hot label of the
one sample in its class."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.label_leak import label_leak_findings
from dldoctor.probes.live_probes import probe_backward, probe_forward
from dldoctor.probes.live_structure import init_findings, output_heads
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of


class _TinySR(nn.Module):
    """A residual super-resolver: head, body, and an output convolution to RGB."""

    def __init__(self, out_scale: float = 0.1) -> None:
        super().__init__()
        self.head = nn.Conv2d(3, 16, 3, padding=1)
        self.body = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 16, 3, padding=1))
        self.tail = nn.Sequential(nn.Conv2d(16, 12, 3, padding=1), nn.PixelShuffle(2),
                                  nn.Conv2d(3, 3, 1), nn.Conv2d(3, 16, 1), nn.ReLU(),
                                  nn.Conv2d(16, 3, 3, padding=1))
        with torch.no_grad():
            self.tail[-1].weight.mul_(out_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.head(x)
        return self.tail(h + self.body(h))


def test_an_output_convolution_started_small_is_a_head_not_a_small_initialisation() -> None:
    torch.manual_seed(0)
    model = _TinySR()
    assert "tail.5.weight" in output_heads(model)
    assert values_of(init_findings(model))["init.scale_ratio_min"] > 0.1


def test_a_hidden_convolution_started_small_is_still_found() -> None:
    torch.manual_seed(0)
    model = _TinySR(out_scale=1.0)
    with torch.no_grad():
        model.body[0].weight.mul_(0.01)
    assert "body.0.weight" not in output_heads(model)
    assert values_of(init_findings(model))["init.scale_ratio_min"] < 0.05


def test_a_last_convolution_that_widens_is_no_head() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3))
    assert output_heads(model) == set()


class _FieldGateCTR(nn.Module):
    """Six embedded fields reweighted by a squeeze-and-excitation gate, then an MLP."""

    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.ModuleList(nn.Embedding(20, 8) for _ in range(6))
        self.se = nn.Sequential(nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 6), nn.Sigmoid())
        self.mlp = nn.Sequential(nn.Linear(48, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))


def _narrowest(model: nn.Module, path: Path) -> object:
    torch.save(model.state_dict(), path)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.weights"))
    return found["weights.narrowest_hidden"]


def test_a_gates_squeeze_is_no_bottleneck_but_a_narrowed_trunk_is(tmp_path: Path) -> None:
    assert _narrowest(_FieldGateCTR(), tmp_path / "ctr.pt") == 32
    trunk = nn.Sequential(nn.Linear(20, 3), nn.ReLU(), nn.Linear(3, 20), nn.ReLU(),
                          nn.Linear(20, 1))  # the restored width feeds the head
    assert _narrowest(trunk, tmp_path / "trunk.pt") == 3


_READER = """
import torch
from torch import nn


class Reader(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 8)
        self.start = nn.Linear(16, 1)

    def forward(self, batch):
        passage, question = self.emb(batch["passage"]), self.emb(batch["question"])
        q = question.mean(1, keepdim=True).expand(-1, passage.shape[1], -1)
        return self.start(torch.cat([passage, q], -1)).squeeze(-1)


def make():
    torch.manual_seed(0)
    return Reader()
"""


def test_a_forward_that_reads_the_batch_dict_runs_under_the_live_probes(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    (tmp_path / "reader.py").write_text(_READER)
    torch.save({"passage": torch.randint(1, 20, (16, 12), generator=gen),
                "question": torch.randint(1, 20, (16, 4), generator=gen),
                "targets": torch.randint(0, 12, (16,), generator=gen)}, tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'reader.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    ctx = ProbeContext()
    forward = values_of(check_findings(probe_forward(inputs, ctx), "live.forward"))
    assert forward["forward.non_finite"] is False and forward["batch.single_class"] is False
    backward = values_of(check_findings(probe_backward(inputs, ctx), "live.backward"))
    assert backward["grad.none_params"] is False and backward["grad.norm_max"] > 0


def test_a_column_only_one_sample_fills_is_no_one_hot_label() -> None:
    gen = torch.Generator().manual_seed(0)
    y = torch.randint(0, 6, (48,), generator=gen)
    y[7] = 9  # the one sample of its class
    waves = torch.randn(48, 40, generator=gen)
    waves[:, 30:] = 0.0
    waves[7, 30:] = 1.0  # the one clip long enough to fill the last columns
    assert {f.fact: f.value for f in label_leak_findings(waves, y)} == \
        {"data.label_in_inputs": False}
    waves[:, 35] = (y == 2).float()  # a class of several samples copied in: still a leak
    assert {f.fact: f.value for f in label_leak_findings(waves, y)}["data.label_in_inputs"]
