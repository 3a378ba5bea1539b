"""Stop 63: the live checks train each parameter with the weight decay of its own param group
(runs keep biases and norm scales apart, decay-free or not); when turning the decay off lets
a stalled one-batch fit through, a third fit keeps the weight matrices' decay and turns off
only the biases' and norm scales': whether the decay on those alone holds the model back
(weight decay on biases) or the decay on the weights themselves does (too much
regularisation). A strong decay also makes Adam's moments grow steadily with no un-cleared
``.grad``; Adam's decay is an L2 term or decoupled as the checkpoint says. A dataset that
builds its own generator and is loaded in worker processes without a ``worker_init_fn``
repeats its draws in every worker. Rows of an Adam moment that never received a gradient (ids
a table never looked up) are no gradient fading with depth. The chat's cards show a dunder
name as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_optim import PlainOptimizer
from dldoctor.probes.live_probes import probe_overfit
from dldoctor.probes.live_runtime import optimizer_choice
from dldoctor.probes.source_scan import worker_rng_findings
from dldoctor.probes.static_probes import probe_optimizer
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
    # the biases carry no decay: the fit with the weights' decay alone is the run's own
    facts = _fits(run)
    assert facts["overfit.without_decay"] == "reaches_zero"
    assert facts["overfit.without_flat_decay"] == facts["overfit.outcome"]


def test_one_shared_decay_is_no_split(tmp_path: Path) -> None:
    choice = optimizer_choice(_grouped_run(tmp_path, 3.0, 3.0), ProbeContext())
    assert choice.settings["weight_decay"] == 3.0 and "flat_weight_decay" not in choice.settings


def test_a_decay_on_the_biases_alone_holds_back_the_fit(tmp_path: Path, cli: Any) -> None:
    """Given a loss that stalls high (the fault must explain something observed), the third
    fit tells which decay holds the model back."""
    run = _grouped_run(tmp_path / "bias", 0.0, 3.0)
    facts = _fits(run)
    assert facts["overfit.without_flat_decay"] == "reaches_zero"
    stalls = ["--symptom", "training loss stalls at a high value"]
    out = cli.run(["diagnose", "--checkpoint", "run.pt", "--model", "net.py:make",
                   "--batch", "batch.pt", "--no-input", "--format", "json", *stalls],
                  cwd=run.batch.parent)
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
                   "--batch", "batch.pt", "--no-input", "--format", "json", *stalls],
                  cwd=both.batch.parent)
    causes = {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}
    assert max(causes, key=causes.__getitem__) == "over_regularization"
    assert causes.get("weight_decay_on_bias", 0) < 0.5
    # the gradient that grows against the decay is no missing zero_grad()
    assert causes.get("missing_zero_grad", 0) < 0.5


def test_adam_decays_as_its_checkpoint_says() -> None:
    """``torch.optim.Adam(weight_decay=…)`` adds an L2 term to the gradient, which Adam then
    normalises; AdamW shrinks the weights directly. A checkpoint says which."""
    moved = {}
    for decoupled in (True, False):
        param = torch.full((1,), 10.0)
        param.grad = torch.zeros(1)
        PlainOptimizer("adam", [param], 0.1, {"weight_decay": 1.0,
                                              "decoupled_weight_decay": decoupled}).step()
        moved[decoupled] = float(param)
    assert moved[True] == pytest.approx(9.0) and moved[False] == pytest.approx(9.9)


_WINDOWS = '''import numpy as np
import torch


class Windows(torch.utils.data.Dataset):
    def __init__(self, recs):
        self.recs = recs
        self.rng = {made}

    def __len__(self):
        return 256

    def __getitem__(self, i):
        {draw}
        return self.recs[o:o + 8]


def build():
    return torch.nn.Linear(8, 2)


def main():
    ds = Windows(torch.randn(100))
    loader = torch.utils.data.DataLoader(ds, batch_size=32{loader})
'''


@pytest.mark.parametrize(("made", "draw", "loader", "shared"), [
    # the generator built in __init__, drawn per item, copied into 4 workers
    ("np.random.default_rng(0)", "o = int(self.rng.integers(92))", ", num_workers=4", True),
    ("torch.Generator().manual_seed(0)",
     "o = int(torch.randint(92, (1,), generator=self.rng))", ", num_workers=workers", True),
    # each worker reseeds it
    ("np.random.default_rng(0)", "o = int(self.rng.integers(92))",
     ", num_workers=4, worker_init_fn=reseed", None),
    # one process: the stream goes on from epoch to epoch
    ("np.random.default_rng(0)", "o = int(self.rng.integers(92))", ", num_workers=0", None),
    ("np.random.default_rng(0)", "o = int(self.rng.integers(92))", "", None),
    # the global generator, which PyTorch seeds per worker
    ("None", "o = int(np.random.randint(92))", ", num_workers=4", None),
])
def test_a_dataset_generator_copied_into_the_loader_workers(
        tmp_path: Path, made: str, draw: str, loader: str, shared: bool | None) -> None:
    (tmp_path / "net.py").write_text(_WINDOWS.format(made=made, draw=draw, loader=loader))
    found = values_of(worker_rng_findings(f"{tmp_path / 'net.py'}:build"))
    assert found.get("data.worker_rng_shared") is shared


class _Stack(nn.Module):
    """``depth`` hidden layers — a deep stack of sigmoids at a small init fades the gradient
    far below Adam's eps; a shallow ReLU one does not — optionally behind a table of three
    type vectors of which the data uses one (a token-type table, named as no embedding)."""

    def __init__(self, depth: int, table: bool) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.a_types = nn.Parameter(torch.randn(3, 16) * 0.1) if table else None
        layers: list[nn.Module] = []
        for _ in range(depth):
            linear = nn.Linear(16, 16)
            nn.init.normal_(linear.weight, std=0.1 if depth > 6 else 0.3)
            layers += [linear, nn.Sigmoid() if depth > 6 else nn.ReLU()]
        self.body, self.head = nn.Sequential(*layers), nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.a_types is not None:
            x = x + self.a_types[torch.zeros(len(x), dtype=torch.long)]
        return self.head(self.body(x))


@pytest.mark.parametrize(("depth", "table", "fades"), [
    (14, False, True), (14, True, True),
    # the table's two unused rows never received a gradient: no gradient faded there
    (3, True, False),
])
def test_rows_that_never_received_a_gradient_are_no_fading_gradient(
        tmp_path: Path, depth: int, table: bool, fades: bool) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(256, 16, generator=gen)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    model = _Stack(depth, table)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(20):
        rows = slice(32 * (step % 8), 32 * (step % 8 + 1))
        loss = F.cross_entropy(model(x[rows]), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               tmp_path / "run.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "run.pt"), ProbeContext()))
    reading = found.get("optimizer.first_layer_grad_over_eps")
    assert (reading is not None and 0 < reading < 0.01) is fades and (reading is None) is not fades


def test_a_card_shows_the_underscores_of_a_dunder_name() -> None:
    """The chat renders a diagnosis card as Markdown: ``__init__`` in the explanation, the
    evidence or a fix must not turn into a bold "init"."""
    from markdown_it import MarkdownIt

    from dldoctor.report import Diagnosis, Evidence, FixItem
    from dldoctor.tui.texts import evidence_markdown, fixes_markdown, inline_literal

    said = "net.py line 14: Windows builds self.rng in __init__ and draws per *item*"
    card = Diagnosis("loader_worker_seed", "t", 0.8, said, [Evidence("f", said, 0.8)],
                     [FixItem(said)], [], [])

    def shown(markdown: str) -> str:
        tokens = MarkdownIt().parseInline(markdown)
        return "".join(child.content for token in tokens for child in token.children or []
                       if child.type == "text")

    assert said in shown(inline_literal(card.explanation))
    assert said in shown(evidence_markdown(card))
    assert said in shown(fixes_markdown(card))


@pytest.mark.parametrize(("targets", "read"), [
    (torch.tensor([[0., 2., 1., 0.], [1., 0., 0., 2.]]), True),  # severity codes per label
    (torch.tensor([[0., 1., 1., 0.], [1., 0., 0., 1.]]), None),  # multi-hot: what BCE takes
    (torch.tensor([[0., 1.5, 1., 0.], [1., 0., 0., 2.]]), None),  # not whole numbers
    (torch.tensor([[0, 2], [1, 3]]), True),  # integer codes
])
def test_per_label_targets_above_one(targets: torch.Tensor, read: bool | None) -> None:
    from dldoctor.probes.live_forward import label_findings
    from dldoctor.probes.models import Batch

    batch = Batch(inputs=torch.zeros(len(targets), 3), targets=targets, source=Path("b.pt"))
    found = values_of(label_findings(batch, torch.zeros(targets.shape)))
    assert found.get("batch.multilabel_targets_above_one") is read
