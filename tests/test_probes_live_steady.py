"""Live probes give the same answer every run and on a busy machine: steps, not seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_optim import PlainOptimizer
from dldoctor.probes.live_probes import (
    OVERFIT_STEPS,
    probe_backward,
    probe_lr_sweep,
    probe_overfit,
)
from tests.support import forkcli

_SOURCE = '''import torch
from torch import nn


class Branchy(nn.Module):
    """Data-dependent control flow: vmap cannot run it."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 3)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        if float(h.detach().sum()) > -1.0:
            h = h * 1.0
        return self.fc2(h)


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 3))


def wide():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 256), nn.ReLU(), nn.Linear(256, 3))


def bn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))


def branchy():
    torch.manual_seed(0)
    return Branchy()
'''


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Inputs]:
    root = tmp_path_factory.mktemp("steady")
    (root / "nets.py").write_text(_SOURCE)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(32, 8, generator=gen)
    torch.save((x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long()), root / "batch.pt")
    return {name: Inputs(model=f"{root / 'nets.py'}:{name}", batch=root / "batch.pt",
                         device="cpu") for name in ("mlp", "wide", "bn", "branchy")}


def _facts(probe, inputs: Inputs, **kwargs) -> dict[str, tuple[object, object]]:
    ctx = ProbeContext()
    return {f.fact: (f.value, f.details.get("losses")) for f in probe(inputs, ctx, **kwargs)}


def test_same_facts_every_run_and_under_a_slowdown(live: dict[str, Inputs],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = live["mlp"]
    first = [_facts(p, inputs) for p in (probe_backward, probe_overfit, probe_lr_sweep)]
    assert first == [_facts(p, inputs) for p in (probe_backward, probe_overfit, probe_lr_sweep)]
    step = PlainOptimizer.step

    def slow_step(self: PlainOptimizer) -> None:  # a busy machine: every update takes longer
        time.sleep(0.002)
        step(self)

    monkeypatch.setattr(PlainOptimizer, "step", slow_step)
    assert first == [_facts(p, inputs) for p in (probe_backward, probe_overfit, probe_lr_sweep)]


def test_past_the_budget_is_not_measured_never_a_finding(live: dict[str, Inputs]) -> None:
    for probe, fact in ((probe_overfit, "overfit.outcome"),
                        (probe_lr_sweep, "lr_sweep.best_over_current")):
        ctx = ProbeContext(max_seconds=-1.0)  # already past: the first step aborts
        found = probe(live["mlp"], ctx)
        # the sweep's loss-scale reading is one backward pass, not budgeted steps: without a
        # log it is unknown whatever the budget
        measured = [(f.fact, f.value) for f in found if f.fact != "grad.first_over_fresh"]
        assert measured == [(fact, UNKNOWN)]
        assert all(f.value is UNKNOWN for f in found)
        assert any("not measured" in note and "--probe-budget" in note for note in ctx.notes)


def test_overfit_stops_once_certain(live: dict[str, Inputs]) -> None:
    found = probe_overfit(live["wide"], ProbeContext())
    (finding,) = [f for f in found if f.fact == "overfit.outcome"]
    assert finding.value == "reaches_zero"
    losses = finding.details["losses"]
    assert 3 <= len(losses) < OVERFIT_STEPS
    assert sorted(losses[-3:])[1] < 0.05 * losses[0]


@pytest.mark.parametrize(("name", "together"), [("wide", True), ("bn", True),
                                                ("branchy", False)])
def test_sweep_trains_all_lrs_at_once_when_it_can(live: dict[str, Inputs], name: str,
                                                  together: bool) -> None:
    fast = next(f for f in probe_lr_sweep(live[name], ProbeContext())
                if f.fact == "lr_sweep.best_over_current")
    slow = next(f for f in probe_lr_sweep(live[name], ProbeContext(), vectorise=False)
                if f.fact == "lr_sweep.best_over_current")
    assert fast.details["trained_together"] is together
    assert slow.details["trained_together"] is False
    assert fast.value == slow.value
    for lr, loss in slow.details["losses"].items():
        assert fast.details["losses"][lr] == pytest.approx(loss, rel=1e-3, abs=1e-5), lr


@pytest.mark.parametrize(("kind", "settings"), [
    ("sgd", {}), ("sgd", {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-2}),
    ("sgd", {"momentum": 0.9, "dampening": 0.1}),
    ("adam", {}), ("adam", {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
    ("rmsprop", {"momentum": 0.5, "centered": True, "weight_decay": 1e-3}),
    ("adagrad", {"lr_decay": 0.01, "weight_decay": 1e-3}),
])
def test_plain_update_rules_match_torch_optim(kind: str, settings: dict[str, object]) -> None:
    gen = torch.Generator().manual_seed(1)
    start = torch.randn(4, 3, generator=gen)
    grads = [torch.randn(4, 3, generator=gen) for _ in range(5)]
    ours, theirs = start.clone(), start.clone().requires_grad_(True)
    cls = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop,
           "adagrad": torch.optim.Adagrad,
           "adam": torch.optim.AdamW if settings.get("weight_decay") else torch.optim.Adam}[kind]
    reference = cls([theirs], lr=0.05, **settings)
    plain = PlainOptimizer(kind, [ours], 0.05, settings)
    for grad in grads:
        ours.grad, theirs.grad = grad.clone(), grad.clone()
        plain.step()
        reference.step()
    assert torch.allclose(ours, theirs.detach(), rtol=1e-5, atol=1e-6)
    # stacked copies with one lr each step exactly like separate copies
    stacked = start.unsqueeze(0).repeat(2, 1, 1)
    together = PlainOptimizer(kind, [stacked], torch.tensor([0.05, 0.5]), settings)
    for grad in grads:
        stacked.grad = grad.unsqueeze(0).repeat(2, 1, 1)
        together.step()
    assert torch.allclose(stacked[0], ours, rtol=1e-5, atol=1e-6)
    assert not torch.allclose(stacked[1], ours)


def test_live_probes_do_not_import_dynamo(live: dict[str, Inputs]) -> None:
    inputs = live["mlp"]
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from dldoctor.probes.base import Inputs, ProbeContext\n"
        "from dldoctor.probes import live_probes as lp\n"
        f"inputs = Inputs(model={inputs.model!r}, batch=Path({str(inputs.batch)!r}), "
        "device='cpu')\n"
        "for probe in (lp.probe_forward, lp.probe_backward, lp.probe_overfit, "
        "lp.probe_lr_sweep):\n    assert probe(inputs, ProbeContext())\n"
        "print(sorted(m for m in sys.modules if m.startswith('torch._dynamo')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, check=True)
    assert json.loads(out.stdout.strip().replace("'", '"')) == []


@pytest.fixture(scope="module")
def example_reports(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The bundled example diagnosed by two processes with different hash seeds (JSON, JSON),
    and the first one's saved session read back as text by a third."""
    session = tmp_path_factory.mktemp("example") / "session.json"
    reports = []
    for hash_seed, args in (("1", ["--example", "--format", "json", "--save-session",
                                   str(session)]),
                            ("2", ["--example", "--format", "json"]),
                            ("3", ["--resume", str(session), "--format", "text"])):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(["dldoctor", "diagnose", "--no-input", *args],
                             capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 1, out.stderr
        reports.append(out.stdout)
    return reports


def test_example_gives_the_same_report_every_run(example_reports: list[str]) -> None:
    """Two processes with different hash seeds give the same JSON; its lr-sweep figure is the
    text report's."""
    reports = example_reports
    assert reports[0] == reports[1]
    data = json.loads(reports[0])
    sweep = [e for d in data["diagnoses"] for e in d["evidence"]
             if "lr_sweep" in json.dumps(e)]
    assert sweep, "the lr sweep's evidence is in the report"
    figure = next(part for part in json.dumps(sweep[0]).split() if part.endswith("\\u00d7"))
    assert figure.replace("\\u00d7", "×") in reports[2]


def test_probe_budget_option() -> None:
    """``--probe-budget`` reaches the live checks; past it they are not measured (exit stays a
    diagnosis from the rest); a budget that is not a positive number is bad usage."""
    out = forkcli.run(["dldoctor", "diagnose", "--example", "--no-input", "--format", "json",
                       "--probe-budget", "1e-9"], capture_output=True, text=True, timeout=300)
    data = json.loads(out.stdout)
    live = [f for f in data["findings"]
            if f["fact"] in ("overfit.outcome", "lr_sweep.best_over_current")]
    assert len(live) == 2 and all(f["unknown"] and f["value"] is None for f in live)
    assert sum("not measured" in note for note in data["notes"]) == 2
    bad = forkcli.run(["dldoctor", "diagnose", "--example", "--probe-budget", "0"],
                      capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--probe-budget" in bad.stderr


def test_the_example_report_reads_as_a_person_would(example_reports: list[str]) -> None:
    """A statement that does not hold is evidence said in its own negative wording ("The loss
    was finite at the first step", not "…: no" under a "for", nor "Not so: …"), and a log that
    shows the loss blowing up is not asked whether the loss stalled at a level still too
    high."""
    data = json.loads(example_reports[0])
    lines = [e for d in data["diagnoses"] for e in d["evidence"]]
    assert any(e.startswith("The loss was finite at the first step") for e in lines), lines
    assert not any(e.startswith("Not so:") for e in lines), lines
    assert not any(e.split(" — ")[0].endswith(": no") for e in lines), lines
    assert "loss.plateau_late" not in json.dumps(data["unanswered"])
    assert "The loss was finite at the first step" in example_reports[2]
