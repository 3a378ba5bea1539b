"""What the twentieth hand set (bench/hand/twentieth, scored before anything here) found
misread, each on artefacts made here:

- a healthy Lightning TransE whose loss has a within-epoch shape (entity embeddings
  renormalised each epoch) was "data not shuffled", though its model file builds its train
  loader with ``shuffle=True``;
- a Poisson count model's raw counts were "targets far from unit scale" — a likelihood on
  counts is defined on them;
- a DDPM predicting a 2-D noise had its 2-wide head read as two classes (ln 2 "a guess").
"""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.live_forward import label_findings
from dldoctor.probes.models import Batch
from dldoctor.probes.source_scan import loader_shuffle_findings
from tests.support import values_of

LIGHTNING_MODULE = '''
import torch
from torch.utils.data import DataLoader, TensorDataset


class TransE(torch.nn.Module):
    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.zeros(8, 3)), batch_size=4, shuffle=True)

    def val_dataloader(self):
        return DataLoader(TensorDataset(torch.zeros(8, 3)), batch_size=4)


def build():
    return TransE()
'''


def test_a_model_file_that_shuffles_its_train_loader_says_so(tmp_path: Path) -> None:
    shuffled = tmp_path / "model.py"
    shuffled.write_text(LIGHTNING_MODULE, encoding="utf-8")
    found = values_of(loader_shuffle_findings(f"{shuffled}:build"))
    assert found == {"data.shuffled": True}
    plain = tmp_path / "plain.py"
    plain.write_text(LIGHTNING_MODULE.replace(", shuffle=True", ""), encoding="utf-8")
    assert loader_shuffle_findings(f"{plain}:build") == []  # a val loader says nothing
    broken = tmp_path / "broken.py"
    broken.write_text("def build(:\n", encoding="utf-8")
    assert loader_shuffle_findings(f"{broken}:build") == []
    assert loader_shuffle_findings("torchvision.models:resnet18") == []


def test_float_counts_are_read_as_counts() -> None:
    torch.manual_seed(0)
    counts = torch.poisson(torch.full((64,), 20.0))
    batch = Batch(torch.randn(64, 6), counts, Path("batch.pt"))
    found = values_of(label_findings(batch, torch.rand(64)))
    assert found["target.counts"] is True
    scaled = Batch(torch.randn(64, 6), torch.randn(64) * 30, Path("batch.pt"))
    assert values_of(label_findings(scaled, torch.rand(64)))["target.counts"] is False


def test_float_targets_that_are_no_labels_make_no_classes(tmp_path: Path) -> None:
    """The DDPM toy predicts a 2-D noise: its 2-wide head is no 2-class classifier, so its
    loss has no "ln 2, a uniform guess" to stay above."""
    from torch import nn

    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.task_info import classes_for

    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
    torch.save({"model": model.state_dict()}, tmp_path / "ddpm.pt")
    torch.save((torch.randn(64, 3), torch.randn(64, 2)), tmp_path / "noise.pt")
    torch.save((torch.randn(64, 3), torch.randint(0, 2, (64,))), tmp_path / "labels.pt")
    ckpt = tmp_path / "ddpm.pt"
    assert classes_for(Inputs(checkpoint=ckpt, batch=tmp_path / "noise.pt"), ProbeContext()) \
        is None
    assert classes_for(Inputs(checkpoint=ckpt, batch=tmp_path / "labels.pt"),
                       ProbeContext()) == 2
