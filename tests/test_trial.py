"""``dldoctor trial``: the user's step, the diagnosis, the fix, and the verdict."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import torch

from dldoctor.cli.trial import curve_table
from dldoctor.watcher.trial import verdict
from tests.support import forkcli

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"

HOT = '''
import torch
import torch.nn.functional as F
from torch import nn

def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))

def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=20.0)

def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss
'''


def _files(tmp_path: Path) -> None:
    (tmp_path / "hot.py").write_text(HOT)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(64, 8, generator=g)
    torch.save((x, x[:, :4].argmax(1)), tmp_path / "batch.pt")


def test_a_trial_verifies_the_learning_rate_fix(tmp_path: Path) -> None:
    """A real subprocess of the installed script; the other trials fork from a warm one."""
    _files(tmp_path)
    out = subprocess.run([DLDOCTOR, "trial", "--model", "hot.py:build", "--batch", "batch.pt",
                          "--step", "hot.py:train_step", "--steps", "30", "--out", "traces",
                          "--format", "json"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert out.returncode == 1, out.stderr
    result = json.loads(out.stdout)
    assert result["diagnosis"]["cause"] == "lr_too_high" and result["fix"]["cause"] == "lr_too_high"
    assert result["verified"] is True and result["message"].startswith("verified: the fix")
    assert len(result["curves"]["as_is"]) == len(result["curves"]["fixed"]) == 30
    assert result["curves"]["as_is"][0] == result["curves"]["fixed"][0]  # same seed, same start
    assert {"trial.trace", "fixed.trace"} <= {p.name for p in (tmp_path / "traces").iterdir()}


NO_ZERO_GRAD = '''
import torch.nn.functional as F

def train_step(model, optimizer, x, y):   # no make_optimizer beside it, no zero_grad
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    optimizer.param_groups[0]["lr"]       # a real torch optimizer, as the user's code expects
    return loss
'''


def test_a_step_without_make_optimizer_gets_a_torch_optimizer(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / "nozero.py").write_text(NO_ZERO_GRAD)
    out = forkcli.run([DLDOCTOR, "trial", "--model", "hot.py:build", "--batch", "batch.pt",
                       "--step", "nozero.py:train_step", "--steps", "30", "--format", "json"],
                      capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    result = json.loads(out.stdout)
    assert result["diagnosis"]["cause"] == "missing_zero_grad", result["diagnosis"]


def test_a_step_that_does_not_exist_is_exit_2(tmp_path: Path) -> None:
    _files(tmp_path)
    out = forkcli.run([DLDOCTOR, "trial", "--model", "hot.py:build", "--batch", "batch.pt",
                       "--step", "hot.py:no_such_step"], capture_output=True, text=True,
                      cwd=tmp_path, timeout=120)
    assert out.returncode == 2 and "no_such_step" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_the_verdict_needs_a_clearly_lower_finite_loss() -> None:
    assert verdict([2.0] * 20, [1.0] * 20)[0] is True
    assert verdict([2.0] * 20, [1.95] * 20)[0] is False
    assert verdict([math.nan] * 20, [1.0] * 20)[0] is True
    assert verdict([1.0] * 20, [math.nan] * 20)[0] is False


def test_the_curve_table_keeps_the_first_and_last_step() -> None:
    rows = curve_table([float(i) for i in range(95)], [0.5] * 95)
    assert rows[0]["step"] == 1 and rows[-1]["step"] == 95 and len(rows) <= 12
    assert all(row["fixed"] == 0.5 for row in rows)
