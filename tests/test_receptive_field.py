"""The last convolution's reach, measured by its gradient on real modules (no training)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.models import Batch
from dldoctor.probes.receptive_field import receptive_field_findings


def _stack(dilations: tuple[int, ...]) -> nn.Module:
    layers: list[nn.Module] = []
    c = 1
    for d in dilations:
        layers += [nn.Conv1d(c, 8, 3, padding=d, dilation=d), nn.BatchNorm1d(8), nn.ReLU()]
        c = 8
    return nn.Sequential(*layers, nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(8, 3))


def _batch(shape: tuple[int, ...]) -> Batch:
    g = torch.Generator().manual_seed(0)
    return Batch(torch.randn(*shape, generator=g), torch.zeros(shape[0], dtype=torch.long),
                 Path("batch.pt"))


@pytest.mark.parametrize(("dilations", "span"), [((1, 1, 1, 1), 9), ((1, 2, 4, 8), 31)])
def test_a_stack_of_convolutions_sees_what_its_kernels_and_dilations_add_up_to(dilations, span):
    torch.manual_seed(0)
    model = _stack(dilations).train()
    [found] = receptive_field_findings(model, _batch((8, 1, 128)), torch.device("cpu"))
    assert found.fact == "arch.receptive_field_share"
    assert found.value == pytest.approx(span / 128)
    assert f"sees {span} of the input's 128 positions" in str(found.evidence)
    assert model.training  # the model is handed back in the mode it came in


def test_a_channels_last_window_is_read_along_its_time_axis():
    """A (batch, time, channels) window the model transposes: the 32 channels are seen whole,
    the time axis is the one the reach is measured on."""
    class Transposing(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(32, 4, 5, padding=2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(x.transpose(1, 2)).mean(-1)

    [found] = receptive_field_findings(Transposing(), _batch((4, 64, 32)), torch.device("cpu"))
    assert found.value == pytest.approx(5 / 64)


def test_images_token_ids_and_recurrent_models_give_no_reading():
    cpu = torch.device("cpu")
    conv2d = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
    [found] = receptive_field_findings(conv2d, _batch((2, 1, 32, 32)), cpu)
    assert found.value == pytest.approx(5 / 32)
    assert receptive_field_findings(conv2d, _batch((2, 1, 12, 12)), cpu) == []  # too small
    tokens = Batch(torch.zeros(2, 64, dtype=torch.long), None, Path("b.pt"))
    assert receptive_field_findings(conv2d, tokens, cpu) == []

    class ConvThenGRU(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(1, 4, 3, padding=1)
            self.gru = nn.GRU(4, 4, batch_first=True)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.gru(self.conv(x).transpose(1, 2))[0][:, -1]

    assert receptive_field_findings(ConvThenGRU(), _batch((2, 1, 64)), cpu) == []
    assert receptive_field_findings(nn.Linear(64, 2), _batch((2, 3, 64)), cpu) == []


class _Window(nn.Module):
    """A 1-D CNN over (batch, time, channels) windows, reordered by ``view`` or ``permute``."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how
        self.conv = nn.Conv1d(8, 4, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.how == "view":
            x = x.view(x.shape[0], x.shape[2], x.shape[1])
        elif self.how == "permute":
            x = x.permute(0, 2, 1)
        return self.conv(x).mean(-1)


def test_axes_relabelled_by_view_are_told_from_axes_moved_by_permute():
    from dldoctor.probes.layout_view import layout_view_findings

    cpu, batch = torch.device("cpu"), _batch((4, 40, 8))
    [viewed] = layout_view_findings(_Window("view"), batch, cpu)
    assert viewed.value is True and "(8, 40), the batch's (40, 8)" in str(viewed.evidence)
    [moved] = layout_view_findings(_Window("permute"), batch, cpu)
    assert moved.value is False
    as_is = nn.Sequential(nn.Conv1d(40, 4, 3), nn.Flatten())  # takes the batch as it is
    assert layout_view_findings(as_is, batch, cpu) == []


def test_a_model_that_raises_on_the_extra_passes_keeps_the_rest_of_the_forward_check(tmp_path):
    """A model that asserts its batch size (the reach check feeds eight samples, the layout
    check four) gives no reading of either, and the forward check's other facts stand."""
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.live_probes import probe_forward

    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.conv = nn.Conv1d(2, 4, 3, padding=1)\n\n"
        "    def forward(self, x):\n        assert x.shape[0] == 16, 'batches of 16 only'\n"
        "        return self.conv(x).mean(-1)\n\n\ndef build():\n    return Net()\n")
    torch.save((torch.randn(16, 2, 32), torch.arange(16) % 4), tmp_path / "batch.pt")
    facts = {f.fact for f in probe_forward(Inputs(model=f"{tmp_path / 'model.py'}:build",
                                                  batch=tmp_path / "batch.pt"), ProbeContext())}
    assert "batch.size" in facts and "arch.receptive_field_share" not in facts


def test_pointwise_convolutions_over_a_set_have_no_receptive_field_to_grow() -> None:
    """PointNet's shared per-point MLP (kernel-1 convolutions, then a max over the points)
    treats the axis as a set: each point alone, on purpose (the forty-first set's
    receptive_field_too_small 0.60 from '1 of 64 positions')."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(3, 16, 1), nn.ReLU(), nn.Conv1d(16, 32, 1), nn.ReLU(),
                          nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 4))
    assert receptive_field_findings(model, _batch((8, 3, 64)), torch.device("cpu")) == []
