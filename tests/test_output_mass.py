"""A log-softmax taken over the batch axis (the forty-seventh set's hierarchical softmax: the
class part normalised over dim 0): each sample's outputs depend on the others, and their
probabilities do not add up to 1 over its classes — measured on the model's own outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.batch_mixing import mixing_findings
from dldoctor.probes.models import Batch
from tests.support import values_of


class _Classifier(nn.Module):
    def __init__(self, dim: int, log: bool = True) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.head, self.dim, self.log = nn.Linear(6, 5), dim, log

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = self.head(x)
        return torch.log_softmax(logits, self.dim) if self.log else torch.softmax(logits,
                                                                                   self.dim)


@pytest.mark.parametrize("log", [True, False])
def test_normalised_over_the_batch_is_not_normalised_per_sample(log: bool) -> None:
    batch = Batch(torch.randn(32, 6, generator=torch.Generator().manual_seed(1)),
                  torch.randint(0, 5, (32,)), Path("batch.pt"))
    wrong = values_of(mixing_findings(_Classifier(0, log), batch, torch.device("cpu")))
    right = values_of(mixing_findings(_Classifier(1, log), batch, torch.device("cpu")))
    assert wrong["batch.outputs_mixed"] is True and right["batch.outputs_mixed"] is False
    assert right["output.mass_per_sample"] == pytest.approx(1.0, abs=1e-5)
    assert abs(wrong["output.mass_per_sample"] - 1.0) > 0.1


def test_logits_say_nothing_of_their_mass() -> None:
    batch = Batch(torch.randn(16, 6), torch.randint(0, 5, (16,)), Path("batch.pt"))
    found = values_of(mixing_findings(nn.Linear(6, 5), batch, torch.device("cpu")))
    assert "output.mass_per_sample" not in found
