"""A float tensor at the model's top level that no optimizer holds is where registered
buffers live (a two-tower model's table of user profiles): from the checkpoint alone it is
not called a frozen parameter (it had read gradient_not_flowing 0.65)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


class _Towers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("profile", torch.randn(30, 6))
        self.user = nn.Linear(6, 4)
        self.item = nn.Embedding(20, 4)


def _frozen(tmp_path: Path, model: nn.Module, params: list[nn.Parameter]) -> object:
    opt = torch.optim.Adam(params, lr=1e-3)
    loss = sum(p.sum() for p in params)
    loss.backward()
    opt.step()
    path = tmp_path / "ck.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    facts = values_of(check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.optimizer"))
    return facts["optimizer.frozen_params"]


def test_a_top_level_buffer_is_not_called_frozen(tmp_path: Path) -> None:
    model = _Towers()
    assert _frozen(tmp_path, model, list(model.parameters())) is UNKNOWN


def test_a_layer_left_out_of_the_optimizer_still_is(tmp_path: Path) -> None:
    model = _Towers()
    assert _frozen(tmp_path, model, list(model.item.parameters())) is True
