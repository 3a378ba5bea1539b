"""Low-rank adapters in the freshly built model (the twenty-third hand set's LoRA run started
B random like A): B = 0 is LoRA's design — no "constant weight matrix" — and A and B both
non-zero add B·A to the pretrained weights before any step. Both naming styles: a hand-written
adapter's ``A`` / ``B`` parameters, and PEFT's ``lora_A`` / ``lora_B`` module dicts."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dldoctor.probes.live_structure import init_findings
from tests.support import check_findings, values_of


class HandLoRA(nn.Module):
    def __init__(self, base: nn.Linear, zero_b: bool) -> None:
        super().__init__()
        self.base = base
        self.A = nn.Parameter(torch.randn(4, base.in_features) / base.in_features ** 0.5)
        b = torch.zeros(base.out_features, 4) if zero_b else torch.randn(base.out_features, 4)
        self.B = nn.Parameter(b)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + 4.0 * (x @ self.A.t() @ self.B.t())


class PeftLoRA(nn.Module):
    """PEFT's layout: ``lora_A.default.weight`` (r, in), ``lora_B.default.weight`` (out, r)."""

    def __init__(self, base: nn.Linear, zero_b: bool) -> None:
        super().__init__()
        self.base_layer = base
        self.lora_A = nn.ModuleDict({"default": nn.Linear(base.in_features, 4, bias=False)})
        self.lora_B = nn.ModuleDict({"default": nn.Linear(4, base.out_features, bias=False)})
        if zero_b:
            nn.init.zeros_(self.lora_B["default"].weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base_layer(x) + self.lora_B["default"](self.lora_A["default"](x))


def _model(adapter: type[nn.Module], zero_b: bool) -> nn.Module:
    torch.manual_seed(0)
    body = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 3))
    for p in body.parameters():
        p.requires_grad_(False)
    body[0] = adapter(body[0], zero_b)
    body[2] = adapter(body[2], zero_b)
    return body


@pytest.mark.parametrize("adapter", [HandLoRA, PeftLoRA])
def test_a_lora_that_starts_b_at_zero_is_no_constant_matrix(adapter: type[nn.Module]) -> None:
    found = values_of(check_findings(init_findings(_model(adapter, zero_b=True))))
    assert found["init.all_zero"] is False
    assert found["init.lora_b_nonzero"] is False


@pytest.mark.parametrize("adapter", [HandLoRA, PeftLoRA])
def test_a_lora_whose_b_starts_random_is_measured(adapter: type[nn.Module]) -> None:
    found = values_of(check_findings(init_findings(_model(adapter, zero_b=False))))
    assert found["init.lora_b_nonzero"] is True


def test_no_adapter_no_lora_reading() -> None:
    torch.manual_seed(0)
    plain = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 3))
    assert "init.lora_b_nonzero" not in values_of(init_findings(plain))
