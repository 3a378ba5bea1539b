"""Readings asked for at stop 60: a recurrent net trained with SGD at a rate recurrent nets
train at with clipping, that clips nothing and blows up, lacks the clipping, not a smaller
rate; and ``clip_grad_norm_(…, math.inf)`` (reading the norm) clips nothing."""

from __future__ import annotations

import json
import math
from pathlib import Path
from subprocess import run

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.cover import EXPLAIN_AWAY, explaining_away
from dldoctor.probes.source_scan import grad_clipping_findings


class _Tagger(nn.Module):
    """A vanilla (tanh) RNN reading 80 steps of 3 features into 3 classes."""

    def __init__(self) -> None:
        super().__init__()
        self.rnn = nn.RNN(3, 16, batch_first=True)
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.rnn(x)[0][:, -1])


def _train(folder: Path, lr: float) -> list[str]:
    """SGD with momentum 0.9 at ``lr`` for 48 steps, the gradient norm logged through
    ``clip_grad_norm_(…, inf)`` (which clips nothing); the class depends on the first and
    the last five steps. Returns the checkpoint-and-log arguments of ``diagnose``."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(256, 80, 3, generator=g)
    y = (x[:, :5, 0].sum(1) > 0).long() + (x[:, -5:, 1].sum(1) > 0).long()
    model = _Tagger()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    rows = []
    for epoch in range(3):
        for start in range(0, 256, 16):
            loss = F.cross_entropy(model(x[start:start + 16]), y[start:start + 16])
            optimizer.zero_grad()
            loss.backward()
            norm = nn.utils.clip_grad_norm_(model.parameters(), math.inf)
            optimizer.step()
            rows.append({"step": len(rows) + 1, "epoch": epoch, "loss": loss.item(),
                         "grad_norm": norm.item()})
    folder.mkdir()
    (folder / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               folder / "ckpt.pt")
    return ["--checkpoint", str(folder / "ckpt.pt"), "--log", str(folder / "log.jsonl")]


def _diagnoses(arguments: list[str]) -> dict[str, dict]:
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json", *arguments],
               capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    return {d["cause"]: d for d in json.loads(done.stdout)["diagnoses"]}


def test_an_unclipped_rnn_at_a_recurrent_recipe_rate_lacks_clipping(tmp_path: Path) -> None:
    # lr 2 with momentum 0.9 (an effective 20, PyTorch's word-language-model rate): the
    # gradient norm grows ten thousand times and the loss climbs
    causes = _diagnoses(_train(tmp_path / "recipe", lr=2.0))
    top = max(causes.values(), key=lambda d: d["confidence"])
    assert top["cause"] == "exploding_gradients" and top["confidence"] >= 0.5
    assert "clip" in " ".join(top["fixes"]).lower()
    rate = causes.get("lr_too_high")
    assert rate is None or (rate["confidence"] < 0.5
                            and rate["explained_by"] == "exploding_gradients")


def test_the_same_rnn_at_ten_times_the_rate_is_the_rate(tmp_path: Path) -> None:
    # lr 20 with momentum 0.9 (an effective 200): no recipe runs a recurrent net there
    causes = _diagnoses(_train(tmp_path / "tenfold", lr=20.0))
    top = max(causes.values(), key=lambda d: d["confidence"])
    assert top["cause"] == "lr_too_high" and top["confidence"] >= 0.5
    assert causes.get("exploding_gradients", {"confidence": 0.0})["confidence"] < 0.5


def test_a_root_a_mechanism_stands_over_keeps_what_it_leaves_unexplained() -> None:
    ranked = [("lr_too_high", 0.96, frozenset({"loss.diverged"})),
              ("exploding_gradients", 0.90, frozenset({"loss.diverged", "grad.norm_blew_up"}))]
    roots = {"exploding_gradients": frozenset({"any_root"})}
    # as a mechanism it is capped under the rate it is how of
    plain = explaining_away(ranked, roots)
    assert plain["lr_too_high"] == (0.96, None)
    assert plain["exploding_gradients"][0] < 0.5
    # rooted over the rate, the rate keeps what the explosion leaves unexplained
    rooted = explaining_away(ranked, roots, rooted={"exploding_gradients":
                                                    frozenset({"lr_too_high"})})
    assert rooted["exploding_gradients"] == (0.90, None)
    assert rooted["lr_too_high"][0] <= 0.96 * (1 - 0.90) + 1e-9
    assert rooted["lr_too_high"][1] == "exploding_gradients"
    # a root it does not stand over still makes it a mechanism
    other = [("bad_weight_init", 0.96, frozenset({"loss.diverged"})), ranked[1]]
    stays = explaining_away(other, roots, rooted={"exploding_gradients":
                                                  frozenset({"lr_too_high"})})
    assert stays["exploding_gradients"][0] == pytest.approx(0.90 * (1 - EXPLAIN_AWAY * 0.96))


@pytest.mark.parametrize(("call", "clips"), [
    ("nn.utils.clip_grad_norm_(model.parameters(), math.inf)", False),
    ("nn.utils.clip_grad_norm_(model.parameters(), max_norm=float('inf'))", False),
    ("nn.utils.clip_grad_norm_(model.parameters(), CLIP or math.inf)", False),
    ("nn.utils.clip_grad_norm_(model.parameters(), 1e9)", False),
    ("nn.utils.clip_grad_norm_(model.parameters(), 1.0)", True),
    ("nn.utils.clip_grad_norm_(model.parameters(), LIMIT)", True),
    ("nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)", True),
])
def test_a_clipping_call_with_an_infinite_bound_clips_nothing(tmp_path: Path, call: str,
                                                              clips: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        "import math\nimport torch\nfrom torch import nn\n\nCLIP = None\nLIMIT = 0.25\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, x, y, opt):\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n"
        "    loss.backward()\n"
        f"    {call}\n"
        "    opt.step()\n")
    found = grad_clipping_findings(f"{source}:build")
    assert [f.value for f in found] == [clips]
    if not clips:
        assert "line 14" in found[0].evidence and "clips nothing" in found[0].evidence


@pytest.mark.parametrize(("order", "where"), [
    (("opt.zero_grad()", "CLIP", "loss.backward()", "opt.step()"), "before backward()"),
    (("opt.zero_grad()", "loss.backward()", "opt.step()", "CLIP"), "after the optimizer's step()"),
    (("opt.zero_grad()", "loss.backward()", "CLIP", "scheduler.step()", "opt.step()"), None),
])
def test_a_clipping_call_that_bounds_no_update_is_no_clipping(tmp_path: Path,
                                                             order: tuple[str, ...],
                                                             where: str | None) -> None:
    body = "".join(f"        {line}\n" for line in order).replace(
        "CLIP", "nn.utils.clip_grad_norm_(model.parameters(), 1.0)")
    source = tmp_path / "train.py"
    source.write_text(
        "from torch import nn\n\n"
        "def build():\n    return nn.Linear(2, 2)\n\n"
        "def train(model, batches, opt, scheduler):\n"
        "    for x, y in batches:\n"
        "        loss = nn.functional.mse_loss(model(x), y)\n" + body)
    found = {f.fact: f for f in grad_clipping_findings(f"{source}:build")}
    if where is None:
        assert found["setup.grad_clipping"].value is True and "src.clip_misplaced" not in found
    else:
        assert found["setup.grad_clipping"].value is False
        assert found["src.clip_misplaced"].value is True
        assert where in found["src.clip_misplaced"].evidence


class _Stack(nn.Module):
    """Three linear layers run stem → body → head, whose names sort body, head, stem."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Linear(8, 16)
        self.body = nn.Linear(16, 16)
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.tanh(self.body(torch.tanh(self.stem(x)))))


def _momentum_reading(model: nn.Module, folder: Path) -> dict[str, object]:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_optimizer

    torch.manual_seed(0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x = torch.randn(64, 80, 8) if isinstance(model, _Tagger8) else torch.randn(64, 8)
    y = torch.randint(0, 3, (64,))
    for _ in range(5):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    folder.mkdir()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               folder / "ckpt.pt")
    found = probe_optimizer(Inputs(checkpoint=folder / "ckpt.pt"), ProbeContext())
    return {f.fact: f for f in found}


class _Tagger8(_Tagger):
    """The RNN tagger reading 8 features."""

    def __init__(self) -> None:
        super().__init__()
        self.rnn = nn.RNN(8, 16, batch_first=True)


def test_the_momentum_depth_reading_follows_the_model_not_the_sorted_names(
        tmp_path: Path) -> None:
    reading = _momentum_reading(_Stack(), tmp_path / "stack")["optimizer.momentum_first_last_ratio"]
    assert "first of 3 weight matrices, stem.weight" in reading.evidence
    assert "the last, head.weight" in reading.evidence
    # a recurrent net's gradients fade or grow through time, not down a stack: no reading
    assert "optimizer.momentum_first_last_ratio" not in _momentum_reading(_Tagger8(),
                                                                         tmp_path / "rnn")


def test_a_head_swapped_in_before_the_optimizer_is_handed_to_a_fit_is_not_trained(
        tmp_path: Path) -> None:
    from dldoctor.probes.source_scan import replaced_after_optimizer_findings

    source = tmp_path / "finetune.py"
    source.write_text(
        "import torch\nfrom torch import nn\n\n"
        "def build():\n    return nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 3))\n\n"
        "def fit(model, optimizer, x, y):\n"
        "    loss = nn.functional.cross_entropy(model(x), y)\n"
        "    loss.backward()\n    optimizer.step()\n\n"
        "def main(model, x, y):\n"
        "    opt = torch.optim.Adam(model.parameters(), lr=1e-3)\n"
        "    model.head = nn.Linear(8, 5)\n"
        "    fit(model, opt, x, y)\n")
    found = replaced_after_optimizer_findings(f"{source}:build")
    assert [f.value for f in found] == [True]
    assert "line 14" in found[0].evidence and "model.head" in found[0].evidence
    # built after the swap: the optimizer holds the new head
    source.write_text(source.read_text().replace(
        "    opt = torch.optim.Adam(model.parameters(), lr=1e-3)\n"
        "    model.head = nn.Linear(8, 5)\n",
        "    model.head = nn.Linear(8, 5)\n"
        "    opt = torch.optim.Adam(model.parameters(), lr=1e-3)\n"))
    assert replaced_after_optimizer_findings(f"{source}:build") == []


def test_the_batch_r2_of_a_regression_is_measured_whatever_the_targets_scale() -> None:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.loss_match import batch_loss_findings

    g = torch.Generator().manual_seed(0)
    targets = 50 + 29 * torch.rand(128, 1, generator=g)  # a wear share in percent
    close = targets + 5 * torch.randn(128, 1, generator=g)
    found = {f.fact: f for f in batch_loss_findings(close, targets, Inputs(), ProbeContext())}
    share = found["loss.batch_unexplained_share"]
    assert 0.2 < share.value < 0.45 and "R² = " in share.evidence
    mean = torch.full_like(targets, float(targets.mean()))
    found = {f.fact: f for f in batch_loss_findings(mean, targets, Inputs(), ProbeContext())}
    assert found["loss.batch_unexplained_share"].value == pytest.approx(1.0, abs=1e-3)
    labels = torch.randint(0, 3, (128,), generator=g)
    assert batch_loss_findings(torch.randn(128, 3, generator=g), labels, Inputs(),
                               ProbeContext()) == []
