"""A lone tensor that starts constant is no zero-init fault once the checkpoint shows its rows
trained apart (the forty-first set's FT-Transformer: zero per-feature token offsets
``num_b``, added, not multiplied; false alarm zero_weight_init 0.86); a model whose every
matrix started at zero stays one whatever its trained rows."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from tests.support import check_findings, values_of

_TOKENS = '''import torch
from torch import nn

class Tokens(nn.Module):
    """Numeric features as tokens: value * weight + offset, then a small MLP on all of them
    (a mean over the tokens would give every offset row the same gradient: no symmetry
    broken, which the check reads as such)."""
    def __init__(self, features=6, width=16):
        super().__init__()
        self.num_w = nn.Parameter(torch.randn(features, width) * 0.1)
        self.num_b = nn.Parameter(torch.zeros(features, width))
        self.mlp = nn.Sequential(nn.Linear(features * width, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        tokens = x[:, :, None] * self.num_w + self.num_b
        return self.mlp(tokens.flatten(1))

def make():
    torch.manual_seed(0)
    return Tokens()
'''

_ALL_ZERO = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                          nn.Linear(32, 2))
    for p in model.parameters():
        if p.dim() > 1:
            nn.init.zeros_(p)
    return model
'''


def _trained(tmp_path: Path, source: str, checkpoint: bool = True) -> Inputs:
    """The model file, a batch, and (optionally) a checkpoint after 60 Adam steps on it."""
    (tmp_path / "net.py").write_text(source)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(128, 6, generator=gen)
    y = (x[:, 0] + x[:, 1] > 0).long()
    torch.save((x, y), tmp_path / "batch.pt")
    spec = f"{tmp_path / 'net.py'}:make"
    if not checkpoint:
        return Inputs(model=spec, batch=tmp_path / "batch.pt", device="cpu")
    namespace: dict[str, object] = {}
    exec(compile(source, "net.py", "exec"), namespace)  # noqa: S102 - the test's own model
    model = namespace["make"]()  # type: ignore[operator]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.save({"state": model.state_dict(), "optim": optimizer.state_dict()},
               tmp_path / "run.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", model=spec, batch=tmp_path / "batch.pt",
                  device="cpu")


def _init(inputs: Inputs) -> dict[str, object]:
    found = check_findings(probe_forward(inputs, ProbeContext()), "live.forward")
    return {f.fact: f for f in found if f.fact.startswith("init.")}


def test_a_lone_zero_offset_whose_trained_rows_differ_is_no_fault(tmp_path: Path) -> None:
    facts = _init(_trained(tmp_path, _TOKENS))
    assert facts["init.all_zero"].value is False
    assert "num_b" in facts["init.all_zero"].evidence
    assert "training broke the symmetry" in facts["init.all_zero"].evidence


def test_without_a_checkpoint_the_first_steps_gradient_decides(tmp_path: Path) -> None:
    """No trained rows to read: the fresh model's gradient on the batch does. The offsets feed
    an MLP over every token, so each row gets its own gradient and the first step breaks
    them apart; pooled by a mean, every row gets the same one and the constant stands."""
    apart = _init(_trained(tmp_path, _TOKENS, checkpoint=False))["init.all_zero"]
    assert apart.value is False and "first step" in apart.evidence
    pooled = tmp_path / "pooled"
    pooled.mkdir()
    source = _TOKENS.replace("return self.mlp(tokens.flatten(1))",
                             "return self.head(tokens.mean(1))").replace(
        "self.mlp = nn.Sequential(nn.Linear(features * width, 32), nn.ReLU(), "
        "nn.Linear(32, 2))", "self.head = nn.Linear(width, 2)")
    assert "self.head = nn.Linear(width, 2)" in source
    assert values_of(_init(_trained(pooled, source, checkpoint=False)).values())[
        "init.all_zero"] is True


def test_every_matrix_at_zero_stays_a_fault_after_training(tmp_path: Path) -> None:
    facts = _init(_trained(tmp_path, _ALL_ZERO))
    assert facts["init.all_zero"].value is True
