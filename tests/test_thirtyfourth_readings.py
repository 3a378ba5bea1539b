"""Readings the thirty-fourth hand set asked for. A denoising score model divided its targets by
a noise level of 0: 54 of its 512 target values were inf, and the targets' scale (read over the
finite rest) outranked the division. A tiny Whisper built from its config was refused: the
batch's ``decoder_input_ids`` (an optional argument of ``forward``) were not passed."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.live_forward import label_findings
from dldoctor.probes.models import Batch
from tests.support import values_of


def test_targets_divided_by_a_zero_level_are_made_by_arithmetic() -> None:
    generator = torch.Generator().manual_seed(0)
    noise = torch.randn(256, 2, generator=generator)
    sigmas = torch.tensor([2.0, 1.0, 0.5, 0.0])
    levels = torch.arange(256) % 4
    targets = -noise / sigmas[levels, None] ** 2
    found = values_of(label_findings(Batch(torch.randn(256, 2), targets, Path("b.pt")),
                                     torch.zeros(256, 2)))
    assert found["target.non_finite"] is True and found["target.non_finite_made"] is True
    assert found["target.not_normalized"] is UNKNOWN  # no scale is read over broken targets


def test_missing_targets_are_told_apart_from_made_ones() -> None:
    targets = torch.randn(64, 3, generator=torch.Generator().manual_seed(1))
    targets[[3, 17, 40], [0, 2, 1]] = float("nan")  # scattered: missing labels
    found = values_of(label_findings(Batch(torch.randn(64, 5), targets, Path("b.pt")),
                                     torch.zeros(64, 3)))
    assert found["target.non_finite"] is True and found["target.non_finite_made"] is False
    clean = values_of(label_findings(Batch(torch.randn(64, 5), torch.randn(64, 3), Path("b.pt")),
                                     torch.zeros(64, 3)))
    assert clean["target.non_finite"] is False


class _Decoder(nn.Module):
    """A forward whose second input is optional, as a seq2seq model's decoder ids are."""

    def __init__(self) -> None:
        super().__init__()
        self.enc = nn.Linear(4, 8)
        self.dec = nn.Embedding(10, 8)
        self.out = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor, decoder_input_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> torch.Tensor:
        if decoder_input_ids is None:
            raise ValueError("decoder_input_ids are needed")
        assert labels is None  # never filled from the batch: it would make the model's loss
        return self.out(self.enc(x).mean(1, keepdim=True) + self.dec(decoder_input_ids))


def test_a_dict_batchs_tensor_named_after_an_optional_argument_is_passed() -> None:
    from dldoctor.probes.extra_inputs import bind_extras

    batch = Batch(torch.randn(6, 3, 4), torch.randint(0, 10, (6, 5)), Path("b.pt"),
                  named={"decoder_input_ids": torch.randint(0, 10, (6, 5)),
                         "labels": torch.randint(0, 10, (6, 5))})
    model = _Decoder()
    bind_extras(model, batch)
    assert model(batch.inputs).shape == (6, 5, 10)
    assert model(batch.inputs[:2]).shape == (2, 5, 10)  # a part gets its own rows


def test_a_forward_already_adapted_to_one_input_is_left_to_pass_its_own() -> None:
    """A tiny BART is fed its source and decoder ids as one input by the seq2seq adapter; the
    batch's own ``decoder_input_ids`` must not be passed beside them (it had made the BART of
    the thirty-second set unrunnable)."""
    import types

    from dldoctor.probes.extra_inputs import bind_extras

    model = _Decoder()
    ids = torch.randint(0, 10, (6, 5))

    def adapted(self: _Decoder, x: torch.Tensor) -> torch.Tensor:
        return _Decoder.forward(self, x[:, :, :4], decoder_input_ids=ids[: x.shape[0]])

    model.forward = types.MethodType(adapted, model)  # type: ignore[method-assign]
    batch = Batch(torch.randn(6, 3, 4), ids, Path("b.pt"), named={"decoder_input_ids": ids})
    bind_extras(model, batch)
    assert model.forward.__func__ is adapted  # type: ignore[attr-defined]
