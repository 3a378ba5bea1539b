"""Parameters without a gradient that the loss does not depend on at all (a module never
called, a branch computed and left unused) are unused, not cut from the graph; a branch
cut by ``.detach()`` still changes the loss's value and stays a cut (the forty-third set's
CANINE and the forty-second set's VICReg: false gradient_not_flowing 0.84 and 0.92)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.live_gradients import measure_gradients


class _Branches(nn.Module):
    """A trunk and a head; ``mode`` decides what a side branch does."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.trunk = nn.Linear(6, 16)
        self.side = nn.Linear(16, 16)
        self.never = nn.Linear(16, 16)  # built, never called
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.trunk(x))
        side = self.side(h)
        if self.mode == "detached":
            h = h + side.detach()  # cut: it changes the output, no gradient comes back
        # "unused": computed and left there
        return self.head(h)


def _report(mode: str):  # noqa: ANN202 - GradientReport
    torch.manual_seed(0)
    model = _Branches(mode)
    x, y = torch.randn(32, 6), torch.randint(0, 3, (32,))
    return measure_gradients(model, lambda m: (F.cross_entropy(m(x), y), "cross_entropy"))


def test_a_branch_computed_and_left_unused_is_unused() -> None:
    report = _report("unused")
    assert set(report.none) == {"side.weight", "side.bias", "never.weight", "never.bias"}
    assert set(report.unused) == set(report.none)


def test_a_detached_branch_that_feeds_the_output_is_a_cut() -> None:
    report = _report("detached")
    assert {"side.weight", "side.bias"} <= set(report.none)
    assert "side.weight" not in report.unused and "never.weight" in report.unused


def test_the_check_puts_the_parameters_back() -> None:
    torch.manual_seed(0)
    model = _Branches("unused")
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    x, y = torch.randn(32, 6), torch.randint(0, 3, (32,))
    measure_gradients(model, lambda m: (F.cross_entropy(m(x), y), "cross_entropy"))
    assert all(torch.equal(before[n], p.detach()) for n, p in model.named_parameters())
    assert model.training


_SSL = '''import torch
from torch import nn

class Encoder(nn.Module):
    """A self-supervised encoder: forward gives the features; the expander is called only by
    the training step (VICReg, SimCLR's projection head)."""
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
        self.expander = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 32))

    def forward(self, x):
        return self.body(x)

def make():
    torch.manual_seed(0)
    return Encoder()
'''


def test_parameters_the_run_trained_but_the_check_cannot_reach_say_nothing(tmp_path) -> None:  # noqa: ANN001
    """Every parameter holds Adam state (the run's own objective reached the expander):
    the check's loss on forward()'s output reaching fewer says nothing of a cut."""
    from dldoctor.engine.values import UNKNOWN
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.live_probes import probe_backward
    from tests.support import check_findings

    (tmp_path / "net.py").write_text(_SSL)
    namespace: dict[str, object] = {}
    exec(compile(_SSL, "net.py", "exec"), namespace)  # noqa: S102 - the test's own model
    model = namespace["make"]()  # type: ignore[operator]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(64, 8)
    for _ in range(5):
        a, b = model.expander(model(x + 0.1 * torch.randn_like(x))), \
            model.expander(model(x + 0.1 * torch.randn_like(x)))
        optimizer.zero_grad()
        F.mse_loss(a, b).backward()
        optimizer.step()
    torch.save({"state_dict": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "run.pt")
    torch.save((x, torch.randint(0, 4, (64,))), tmp_path / "batch.pt")
    ctx = ProbeContext()
    found = {f.fact: f for f in check_findings(probe_backward(Inputs(
        checkpoint=tmp_path / "run.pt", model=f"{tmp_path / 'net.py'}:make",
        batch=tmp_path / "batch.pt", device="cpu"), ctx), "live.backward")}
    assert found["grad.none_params"].value is UNKNOWN
    assert "optimizer state" in found["grad.none_params"].evidence
