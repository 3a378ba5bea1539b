"""Which input columns count as category codes (kept out of the input statistics)."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.live_forward import input_findings
from dldoctor.probes.models import Batch
from tests.support import values_of


def test_a_constant_huge_column_is_a_feature_out_of_scale_not_a_category_code() -> None:
    """A 1e6 appended after the scaler (a third hand set's Lightning income MLP) was read as
    a category code and left out of the input statistics."""
    scaled = torch.randn(64, 4, generator=torch.Generator().manual_seed(0))
    codes = torch.randint(0, 5, (64, 1), generator=torch.Generator().manual_seed(1)).float()
    with_codes = torch.cat([scaled, codes], 1)
    assert values_of(input_findings(Batch(with_codes, None, Path("b.pt"))))[
        "input.not_normalized"] is False  # the codes stay out of the statistics
    huge = torch.cat([with_codes, torch.full((64, 1), 1e6)], 1)
    assert values_of(input_findings(Batch(huge, None, Path("b.pt"))))[
        "input.not_normalized"] is True


def test_binary_pixels_with_blank_columns_are_not_inputs_out_of_scale() -> None:
    """A 0/1 image flattened to a table, whose border pixels are always 0 (the first hand
    set's VAE): the blank columns carry nothing to scale (they had read as mean 0, std 0)."""
    gen = torch.Generator().manual_seed(0)
    pixels = (torch.rand(64, 20, generator=gen) > 0.5).float()
    table = torch.cat([torch.zeros(64, 4), pixels, torch.zeros(64, 4)], 1)
    found = values_of(input_findings(Batch(table, None, Path("b.pt"))))
    assert found["input.not_normalized"] is False
    scaled = torch.randn(64, 4, generator=gen)
    beside = torch.cat([scaled, pixels[:, :3], torch.zeros(64, 2)], 1)  # blank beside features
    assert values_of(input_findings(Batch(beside, None, Path("b.pt"))))[
        "input.not_normalized"] is False
