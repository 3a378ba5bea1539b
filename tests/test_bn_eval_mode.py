"""A model left in eval mode after its first validation pass: BatchNorm stops counting
training batches while Adam keeps counting steps, on tiny runs the tests train."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, forkcli, values_of


def _train(folder: Path, stays_in_eval: bool) -> Path:
    """A small BatchNorm MLP, 4 epochs of 8 batches with Adam; validation after each epoch
    calls ``model.eval()``; the buggy loop calls ``model.train()`` once, above the loop."""
    torch.manual_seed(0)
    x, y = torch.randn(256, 6), torch.randint(0, 3, (256,))
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(4):
        if not stays_in_eval:
            model.train()
        for i in range(0, 256, 32):
            loss = F.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            model(x[:64])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "checkpoint.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


def _share(path: Path) -> object:
    found = check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                           "checkpoint.optimizer")
    return values_of(found)["bn.tracked_share"]


def test_batchnorm_counts_tell_a_loop_left_in_eval_mode(tmp_path: Path) -> None:
    healthy = _train(tmp_path / "ok", stays_in_eval=False)
    buggy = _train(tmp_path / "eval", stays_in_eval=True)
    assert _share(healthy) == 1.0
    assert _share(buggy) == 0.25  # 8 of 32 steps: only the first epoch counted
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--checkpoint", str(buggy), "--format", "json", "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    causes = [d["cause"] for d in json.loads(out.stdout)["diagnoses"]]
    assert causes and causes[0] == "train_in_eval_mode"
