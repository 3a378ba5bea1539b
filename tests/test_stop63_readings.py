"""Stop 63: the live checks train each parameter with the weight decay of its own param group
(runs keep biases and norm scales apart, decay-free or not); when turning the decay off lets
a stalled one-batch fit through, a third fit keeps the weight matrices' decay and turns off
only the biases' and norm scales': whether the decay on those alone holds the model back
(weight decay on biases) or the decay on the weights themselves does (too much
regularisation). A strong decay also makes Adam's moments grow steadily with no un-cleared
``.grad``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_optim import PlainOptimizer
from dldoctor.probes.live_probes import probe_overfit
from dldoctor.probes.live_runtime import optimizer_choice
from tests.support import check_findings, values_of

_NET = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 1))
'''


def _grouped_run(tmp_path: Path, matrices: float, flat: float) -> Inputs:
    """A small regressor (targets around 6, so the output bias matters) trained 60 minibatch
    steps with AdamW, its weight matrices decayed by ``matrices`` and its biases and
    LayerNorm parameters by ``flat``, each in a param group of its own."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(512, 8, generator=gen)
    y = 6 + x[:, :3].sum(1, keepdim=True) + 0.5 * x[:, 3:4] ** 2
    (tmp_path / "net.py").write_text(_NET)
    torch.save((x[:64], y[:64]), tmp_path / "batch.pt")
    namespace: dict[str, Any] = {}
    exec(_NET, namespace)  # the same fresh model the probes build from net.py
    model = namespace["make"]()
    groups = [{"params": [p for p in model.parameters() if p.dim() > 1],
               "weight_decay": matrices},
              {"params": [p for p in model.parameters() if p.dim() <= 1],
               "weight_decay": flat}]
    opt = torch.optim.AdamW(groups, lr=3e-3)
    for step in range(60):
        rows = slice(64 * (step % 8), 64 * (step % 8 + 1))
        loss = F.mse_loss(model(x[rows]), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               tmp_path / "run.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", model=f"{tmp_path / 'net.py'}:make",
                  batch=tmp_path / "batch.pt", device="cpu")


def _fits(inputs: Inputs) -> dict[str, Any]:
    return values_of(check_findings(probe_overfit(inputs, ProbeContext()),
                                    "live.overfit_batch"))


def test_the_live_checks_decay_each_parameter_as_its_group_did(tmp_path: Path) -> None:
    run = _grouped_run(tmp_path, 3.0, 0.0)
    choice = optimizer_choice(run, ProbeContext())
    assert choice.settings["weight_decay"] == 3.0
    assert choice.settings["flat_weight_decay"] == 0.0
    bias, matrix = torch.zeros(4), torch.zeros(4, 4)
    plain = PlainOptimizer("adam", [bias, matrix], 0.1, choice.settings)
    assert (plain.decay_of(bias), plain.decay_of(matrix)) == (0.0, 3.0)
    # the lr sweep stacks one copy per rate: a stacked bias is still a bias
    stacked = PlainOptimizer("sgd", [bias[None], matrix[None]], torch.tensor([0.1]),
                             choice.settings)
    assert (stacked.decay_of(bias[None]), stacked.decay_of(matrix[None])) == (0.0, 3.0)
    # the decay on the weights alone holds the fit back: nothing left to turn off apart
    facts = _fits(run)
    assert facts["overfit.without_decay"] == "reaches_zero"
    assert "overfit.without_flat_decay" not in facts


def test_one_shared_decay_is_no_split(tmp_path: Path) -> None:
    choice = optimizer_choice(_grouped_run(tmp_path, 3.0, 3.0), ProbeContext())
    assert choice.settings["weight_decay"] == 3.0 and "flat_weight_decay" not in choice.settings


def test_a_decay_on_the_biases_alone_holds_back_the_fit(tmp_path: Path, cli: Any) -> None:
    run = _grouped_run(tmp_path / "bias", 0.0, 3.0)
    facts = _fits(run)
    assert facts["overfit.without_flat_decay"] == "reaches_zero"
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--model", "net.py:make",
                   "--batch", "batch.pt", "--no-input", "--format", "json"], cwd=run.batch.parent)
    report = json.loads(out.stdout)
    faults = {d["cause"]: d for d in report["diagnoses"] if d["kind"] == "fault"}
    top = report["diagnoses"][0]
    assert out.returncode == 1 and top["cause"] == "weight_decay_on_bias"
    assert faults.get("over_regularization", {"confidence": 0})["confidence"] < 0.5
    assert any("set it to 0 for the biases" in fix for fix in top["fixes"])
    # with the decay on every parameter, the weights' share is the fault
    both = _grouped_run(tmp_path / "both", 3.0, 3.0)
    facts = _fits(both)
    assert facts["overfit.without_decay"] == "reaches_zero"
    assert facts["overfit.without_flat_decay"] in ("decreases_slowly", "plateaus", "goes_up")
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--model", "net.py:make",
                   "--batch", "batch.pt", "--no-input", "--format", "json"], cwd=both.batch.parent)
    causes = {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}
    assert max(causes, key=causes.__getitem__) == "over_regularization"
    assert causes.get("weight_decay_on_bias", 0) < 0.5
    # the gradient that grows against the decay is no missing zero_grad()
    assert causes.get("missing_zero_grad", 0) < 0.5
