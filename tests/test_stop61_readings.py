"""Stop 61: a clipping call under an ``if`` that the file's own settings never take
(``if CLIP is not None:`` with ``CLIP = None``) clips nothing; a setting the file may change
(assigned twice, a parameter, read from the command line) keeps the call a clip; a torch loss
only read as a number (``.item()``, ``float(…)``, under ``no_grad``) is a metric, not the loss
the run trains on; a run too short for the first-1000-steps window whose logged rate is under
1 % of its peak within its first quarter, and stays there, lost its rate early; held-out
data passed through an alias of the training augmentation (``val_tf = train_tf``) is
augmented; an output layer left at PyTorch's default init beside a trained body, in a run
whose optimizer stepped nothing, is a head built after the optimizer; a clip handed a
generator of parameters the optimizer already ran through clips nothing; a test inside an
``all`` of a cause's ``explains`` is an explained observation only when the whole ``all``
holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.source_scan import (
    eval_augmentation_findings,
    grad_clipping_findings,
    loss_kind_findings,
)
from dldoctor.probes.static_probes import probe_weights
from dldoctor.session import Session
from tests.support import curve_facts
from tests.support.facts import check_findings, values_of

CLIP = "nn.utils.clip_grad_norm_(model.parameters(), CLIP)"


@pytest.mark.parametrize(("setting", "guard", "clips"), [
    ("CLIP = None", "if CLIP is not None:", False),
    ("CLIP = None", "if CLIP:", False),
    ("CLIP = 0.0", "if CLIP > 0:", False),
    ("CLIP = 0.25", "if CLIP is None:", False),
    ("CLIP = 0.25", "if CLIP is not None:", True),
    ("CLIP = None\nCLIP = 1.0", "if CLIP is not None:", True),
    ("CLIP = float(sys.argv[1])", "if CLIP is not None:", True),
    ("CLIP = None", "if clip is not None:", True),
])
def test_a_clip_the_file_never_reaches_clips_nothing(tmp_path: Path, setting: str, guard: str,
                                                     clips: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        f"import sys\nimport torch\nfrom torch import nn\n\n{setting}\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, x, y, opt, clip=None):\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()\n"
        f"    {guard}\n"
        f"        {CLIP.replace('CLIP)', 'clip)') if 'clip ' in guard else CLIP}\n"
        "    opt.step()\n")
    found = grad_clipping_findings(f"{source}:build")
    assert [f.fact for f in found] == ["setup.grad_clipping"]
    assert found[0].value is clips
    if not clips:
        assert "never clips" in found[0].evidence and guard[3:-1] in found[0].evidence


def test_a_parameter_of_the_same_name_keeps_the_clip(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "from torch import nn\n\nCLIP = None\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, x, y, opt, CLIP=1.0):\n"
        "    nn.functional.mse_loss(model(x), y).backward()\n"
        "    if CLIP is not None:\n"
        f"        {CLIP}\n"
        "    opt.step()\n")
    assert [f.value for f in grad_clipping_findings(f"{source}:build")] == [True]


@pytest.mark.parametrize(("lines", "kind"), [
    (("loss = gaussian_nll(mu, var, y)", "mse = F.mse_loss(mu, y).item()"), None),
    (("loss = F.cross_entropy(out, y)", "bayes = F.binary_cross_entropy(p, y).item()"),
     "cross_entropy"),
    (("loss = -log_lik(out, y)", "with torch.no_grad():", "    val = F.cross_entropy(out, y)"),
     None),
    (("loss = F.mse_loss(mu, y)", "shown = float(F.l1_loss(mu, y))"), "mse"),
])
def test_a_loss_read_only_as_a_metric_is_not_the_trained_loss(
        tmp_path: Path, lines: tuple[str, ...], kind: str | None) -> None:
    body = "".join(f"    {line}\n" for line in lines)
    source = tmp_path / "train.py"
    source.write_text(
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        f"def train(out, mu, var, p, y):\n{body}    loss.backward()\n")
    found = loss_kind_findings(f"{source}:build")
    assert [f.value for f in found] == ([kind] if kind else [])


@pytest.mark.parametrize(("gamma", "step_size", "collapsed"), [
    (0.5, 10, True),   # StepLR(10, 0.5) stepped per batch: under 1 % by step 72 of 640
    (0.1, 213, False),  # a per-epoch StepLR(7, 0.1) read per batch: 1 % at two thirds
])
def test_a_short_run_whose_rate_is_gone_in_its_first_quarter_collapsed_early(
        tmp_path: Path, gamma: float, step_size: int, collapsed: bool) -> None:
    steps = [float(s) for s in range(8, 641, 8)]
    rows = {"step": steps, "epoch": [float((s - 1) // 32) for s in steps],
            "loss": [1.38 - 0.07 * (1 - 0.9 ** (s / 8)) for s in steps],
            "lr": [0.05 * gamma ** (s // step_size) for s in steps]}
    assert curve_facts(tmp_path, rows)["loop.lr_collapsed_early"] is collapsed


def test_held_out_data_run_through_an_alias_of_the_training_augmentation(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "import torch\nfrom torch import nn\n\n"
        "def train_tf(x, g):\n    return x + 0.3 * torch.randn(x.shape, generator=g)\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def main(model, xtr, xva, g):\n"
        "    val_tf = train_tf  # same pipeline as training\n"
        "    model(train_tf(xtr, g))\n"
        "    with torch.no_grad():\n"
        "        return model(val_tf(xva, g))\n")
    found = eval_augmentation_findings(f"{source}:build")
    assert [(f.fact, f.value) for f in found] == [("data.eval_random_transforms", True)]
    assert "line 14" in found[0].evidence and "val_tf = train_tf" in found[0].evidence
    source.write_text(source.read_text().replace("val_tf(xva, g)", "xva"))
    assert eval_augmentation_findings(f"{source}:build") == []


def _two_stage_checkpoint(path: Path, swap_after_optimizer: bool) -> Path:
    """A body trained on an old task, then a new head trained for 30 steps with the
    optimizer built before (the bug) or after the head swap."""
    torch.manual_seed(0)
    x = torch.randn(256, 12)
    model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 3))
    old = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        old.zero_grad()
        nn.functional.cross_entropy(model(x), (x[:, 0] > 0).long()).backward()
        old.step()
    for p in model[:4].parameters():
        p.requires_grad_(False)
    if swap_after_optimizer:
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        model[4] = nn.Linear(64, 5)
    else:
        model[4] = nn.Linear(64, 5)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    y = (x[:, :5].argmax(1))
    for _ in range(30):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    return path


@pytest.mark.parametrize("swap_after_optimizer", [True, False])
def test_an_output_layer_at_its_default_init_beside_a_trained_body(
        tmp_path: Path, swap_after_optimizer: bool) -> None:
    checkpoint = _two_stage_checkpoint(tmp_path / "ckpt.pt", swap_after_optimizer)
    facts = values_of(check_findings(probe_weights(Inputs(checkpoint=checkpoint),
                                                   ProbeContext()), "checkpoint.weights"))
    assert facts["weights.head_at_init_body_moved"] is swap_after_optimizer
    fresh = tmp_path / "fresh.pt"
    torch.manual_seed(1)
    torch.save(nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 5)).state_dict(), fresh)
    facts = values_of(probe_weights(Inputs(checkpoint=fresh), ProbeContext()))
    assert facts["weights.head_at_init_body_moved"] is False  # all at init: no anomaly


def test_the_stale_head_is_a_parameter_left_out_not_a_cut_graph() -> None:
    session = Session(load_knowledge(), Inputs())
    for fact, value in (("optimizer.never_stepped_share", 1.0),
                        ("optimizer.frozen_params", False), ("train.step", 240.0),
                        ("weights.head_at_init_body_moved", True), ("loss.plateau", True)):
        session.answer(fact, value)
    ranked = {d.cause: d.confidence for d in session.report().diagnoses}
    assert ranked["params_not_in_optimizer"] >= 0.5
    assert ranked.get("gradient_not_flowing", 0.0) < 0.5


def test_only_a_whole_clause_that_holds_is_an_explained_observation() -> None:
    """A test inside an ``all`` whose other tests fail explains nothing: it must not keep a
    cause from being explained away by one that accounts for the observations."""
    from dldoctor.engine.cover import explained_facts
    from dldoctor.engine.memory import Fact, WorkingMemory
    from dldoctor.engine.model import CauseSpec

    cause = CauseSpec.model_validate({
        "id": "c", "title": "c", "fixes": [{"text": "x"}], "sources": ["t#1"],
        "explains": {"any": [{"fact": "a", "is": True},
                             {"all": [{"fact": "b", "is": True}, {"fact": "d", "is": True}]},
                             {"not": {"fact": "e", "is": True}}]}})
    memory = WorkingMemory()
    for fact, value in (("a", True), ("b", True), ("e", False)):
        memory.add(Fact(fact, value, "given", "test"))
    assert explained_facts(cause, memory) == {"a"}
    memory.add(Fact("d", True, "given", "test"))
    assert explained_facts(cause, memory) == {"a", "b", "d"}


@pytest.mark.parametrize(("params", "clips"), [
    ("(p for p in model.parameters() if p.requires_grad)", False),
    ("model.parameters()", False),
    ("[p for p in model.parameters() if p.requires_grad]", True),
    ("list(model.parameters())", True),
])
def test_a_clip_handed_a_generator_the_optimizer_used_up_clips_nothing(
        tmp_path: Path, params: str, clips: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "import torch\nfrom torch import nn\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, x, y):\n"
        f"    params = {params}\n"
        "    opt = torch.optim.SGD(params, lr=0.3)\n"
        "    for _ in range(10):\n"
        "        opt.zero_grad()\n"
        "        nn.functional.mse_loss(model(x), y).backward()\n"
        "        nn.utils.clip_grad_norm_(params, 1.0)\n"
        "        opt.step()\n")
    found = grad_clipping_findings(f"{source}:build")
    assert [(f.fact, f.value) for f in found] == (
        [("setup.grad_clipping", True)] if clips else
        [("setup.grad_clipping", False), ("src.clip_misplaced", True)])
    if not clips:
        assert "line 13" in found[0].evidence and "SGD (line 9)" in found[0].evidence
