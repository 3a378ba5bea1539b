"""Layers kept in a plain Python list are not registered: the optimizer never sees them. The
forward probe finds them on the model the factory builds (the sixth hand set's mixture of
experts had read lr_too_high 0.49)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.live_structure import unregistered_findings


class _Experts(nn.Module):
    def __init__(self, registered: bool) -> None:
        super().__init__()
        self.gate = nn.Linear(6, 3)
        experts = [nn.Linear(6, 2) for _ in range(3)]
        self.experts = nn.ModuleList(experts) if registered else experts

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = F.softmax(self.gate(x), dim=-1)
        return (w[..., None] * torch.stack([e(x) for e in self.experts], 1)).sum(1)


def test_experts_in_a_plain_list_are_found_with_their_parameter_count() -> None:
    model = _Experts(registered=False)
    (finding,) = unregistered_findings(model)
    assert finding.value is True
    assert finding.details == {"attributes": ["experts"], "parameters": 3 * (6 * 2 + 2)}
    # what the finding says happens: the optimizer built from parameters() never moves them
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    before = model.experts[0].weight.detach().clone()
    loss = F.cross_entropy(model(torch.randn(16, 6)), torch.randint(0, 2, (16,)))
    loss.backward()
    opt.step()
    assert torch.equal(model.experts[0].weight, before)


def test_a_module_list_is_registered() -> None:
    (finding,) = unregistered_findings(_Experts(registered=True))
    assert finding.value is False
