"""What the thirteenth hand set showed (stop 30): a table of category codes whose rows repeat,
fed with a second tensor, read as a model that mixes its batch — the first half's repeated
rows had taken the first occurrence's extra tensor."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.batch_mixing import mixing_findings
from dldoctor.probes.extra_inputs import bind_extras
from dldoctor.probes.models import Batch


class Segments(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.codes = nn.Embedding(4, 8)
        self.nums = nn.Linear(3, 8)
        self.head = nn.Linear(8, 5)

    def forward(self, inputs: torch.Tensor, nums: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.codes(inputs).sum(1) + self.nums(nums)))


def test_repeated_code_rows_get_their_own_extra_tensor() -> None:
    torch.manual_seed(0)
    codes = torch.randint(0, 2, (32, 2))  # four distinct rows among 32: most repeat
    batch = Batch(codes, torch.randint(0, 5, (32,)), Path("batch.pt"),
                  named={"inputs": codes, "nums": torch.randn(32, 3)})
    model = Segments()
    bind_extras(model, batch)
    [found] = mixing_findings(model, batch, torch.device("cpu"))
    assert found.value is False, found.evidence


def test_saved_arguments_state_the_label_smoothing() -> None:
    from dldoctor.probes.train_args import args_findings

    found = {f.fact: f.value for f in args_findings(
        {"learning_rate": 2e-5, "label_smoothing_factor": 0.9}, "training_args.bin", set())}
    assert found["setup.label_smoothing"] == 0.9 and found["optimizer.lr"] == 2e-5
