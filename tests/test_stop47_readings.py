"""Readings added in stop 47, on real artefacts: weights a penalty in the loss pulled to near
zero make the update-to-weight ratio meaningless (checkpoint and live reading alike), and the
diagnosis is the penalty, not the learning rate or vanishing gradients."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_backward, probe_forward
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer, probe_weights
from tests.support import check_findings, curve_facts, forkcli, values_of, write_csv_log

_FACTORY = '''import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 3))
'''


def _train(folder: Path, penalty: float) -> Path:
    """A 3-class MLP trained by Adam without weight decay, ``penalty`` × Σw² added to its
    loss by hand; the run's folder holds the factory, checkpoint, log and batch."""
    folder.mkdir()
    (folder / "net.py").write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(_FACTORY, namespace)  # noqa: S102 - the test's own factory
    model = namespace["build"]()  # type: ignore[operator]
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(1200, 12, generator=gen)
    y = (x @ torch.randn(12, 3, generator=gen)).argmax(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = []
    for epoch in range(15):
        for start in range(0, 1000, 50):
            loss = nn.functional.cross_entropy(model(x[start:start + 50]), y[start:start + 50])
            loss = loss + penalty * sum((p ** 2).sum() for p in model.parameters())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            out = model(x[1000:])
            val = nn.functional.cross_entropy(out, y[1000:]).item()
            acc = (out.argmax(1) == y[1000:]).float().mean().item()
        rows.append([epoch, loss.item(), val, acc])
    with (folder / "history.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        writer.writerows(rows)
    torch.save({"net": model.state_dict(), "opt": optimizer.state_dict()}, folder / "last.pt")
    torch.save((x[:64], y[:64]), folder / "batch.pt")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("penalty")
    return {"heavy": _train(root / "heavy", 0.5), "none": _train(root / "none", 0.0)}


def _inputs(run: Path, live: bool) -> Inputs:
    extra = {"model": f"{run / 'net.py'}:build", "batch": run / "batch.pt",
             "device": "cpu"} if live else {}
    return Inputs(checkpoint=run / "last.pt", **extra)  # type: ignore[arg-type]


def test_collapsed_weights_leave_the_update_ratio_unmeasured(runs: dict[str, Path]) -> None:
    heavy = check_findings(probe_optimizer(_inputs(runs["heavy"], False), ProbeContext()),
                           "checkpoint.optimizer")
    ratio = next(f for f in heavy if f.fact == "update.ratio")
    assert ratio.value is UNKNOWN and "collapse" in ratio.evidence
    assert 0 < ratio.details["scale"] < 0.01
    plain = values_of(probe_optimizer(_inputs(runs["none"], False), ProbeContext()))
    assert isinstance(plain["update.ratio"], float) and plain["update.ratio"] < 0.1


def test_the_live_step_is_not_measured_against_collapsed_weights(runs: dict[str, Path]
                                                                 ) -> None:
    heavy = check_findings(probe_backward(_inputs(runs["heavy"], True), ProbeContext()),
                           "live.backward")
    assert next(f for f in heavy if f.fact == "update.ratio").value is UNKNOWN
    plain = values_of(probe_backward(_inputs(runs["none"], True), ProbeContext()))
    assert isinstance(plain["update.ratio"], float)


@pytest.mark.parametrize("live", [False, True], ids=["ckpt_log", "all"])
def test_a_penalty_that_switched_the_model_off_is_the_diagnosis(runs: dict[str, Path],
                                                                live: bool) -> None:
    run = runs["heavy"]
    extra = ["-m", f"{run / 'net.py'}:build", "-b", str(run / "batch.pt")] if live else []
    out = forkcli.run(["dldoctor", "diagnose", "-c", str(run / "last.pt"), "-l",
                          str(run / "history.csv"), *extra, "--no-input", "--json"],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    faults = [d for d in report["diagnoses"] if d["established"]]
    assert out.returncode == 1 and faults[0]["cause"] == "over_regularization", faults
    assert not any(d["cause"] in ("lr_too_high", "vanishing_gradients") for d in faults)


# --- the eightieth to eighty-second hand sets' readings -----------------------------------

_GRAPH = '''import torch
from torch import nn


class DiffConv(nn.Module):
    """A diffusion convolution: fixed random-walk matrices (buffers) and one Linear."""

    def __init__(self):
        super().__init__()
        self.register_buffer("pf", torch.softmax(torch.randn(8, 8), 1))
        self.lin = nn.Linear(16, 4)

    def forward(self, x):  # x (B, 8, 8)
        return self.lin(torch.cat([x, torch.einsum("nm,bmc->bnc", self.pf, x)], -1))


class Net(nn.Module):
    def __init__(self, mean=90.0, std=20.0):
        super().__init__()
        self.gates = DiffConv()
        self.head = nn.Linear(4, 1)
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))

    def forward(self, x):  # speeds in km/h: the model un-scales its own output
        return self.head(torch.relu(self.gates(x))).squeeze(-1) * self.std + self.mean


def build():
    torch.manual_seed(0)
    return Net()


def plain():
    torch.manual_seed(0)
    return Net(mean=0.0, std=1.0)
'''


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graph")
    (folder / "graph.py").write_text(_GRAPH)
    namespace: dict[str, object] = {}
    exec(_GRAPH, namespace)  # noqa: S102 - the test's own factory
    torch.save(namespace["build"]().state_dict(), folder / "graph.pt")  # type: ignore[operator]
    gen = torch.Generator().manual_seed(0)
    torch.save((torch.randn(32, 8, 8, generator=gen),
                90 + 20 * torch.randn(32, 8, generator=gen)), folder / "batch.pt")
    return folder


def test_a_module_named_conv_that_holds_only_buffers_is_no_bias_free_layer(graph: Path
                                                                           ) -> None:
    found = values_of(probe_weights(Inputs(checkpoint=graph / "graph.pt",
                                           model=f"{graph / 'graph.py'}:build"),
                                    ProbeContext()))
    assert found["weights.missing_bias"] is False


def test_raw_targets_a_model_un_scales_to_are_its_design(graph: Path) -> None:
    def target_facts(factory: str) -> dict[str, object]:
        inputs = Inputs(model=f"{graph / 'graph.py'}:{factory}", batch=graph / "batch.pt",
                        device="cpu")
        return values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))

    assert target_facts("build")["target.not_normalized"] is False
    assert target_facts("plain")["target.not_normalized"] is True  # outputs near 0


def test_an_output_scored_against_an_embedding_table_has_its_rows_as_classes(
        tmp_path: Path) -> None:
    """A session recommender's scores are ``h @ item_embeddings.T``: the last matrix is 8
    wide, the table 50 rows; a validation loss that stays at ln 50 never beat a guess."""
    torch.save({"model": {"emb.weight": torch.randn(50, 8), "gru.weight_ih_l0": torch.randn(48, 8),
                          "b.weight": torch.randn(8, 32)}}, tmp_path / "rec.pt")
    torch.save((torch.randint(1, 50, (64, 6)), torch.randint(1, 50, (64,))),
               tmp_path / "batch.pt")
    guess = math.log(50)
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": list(range(6)), "train_loss": [guess - 0.02 * i for i in range(6)],
        "val_loss": [guess + 0.01, guess, guess + 0.02, guess, guess + 0.01, guess]})
    found = values_of(probe_curves(Inputs(checkpoint=tmp_path / "rec.pt",
                                          batch=tmp_path / "batch.pt", logs=(log,)),
                                   ProbeContext()))
    assert found["val.loss_at_chance"] is True


def test_experts_fused_in_memory_and_saved_split_are_all_held(tmp_path: Path) -> None:
    fused = nn.Parameter(torch.randn(4, 6, 5))
    head = nn.Linear(5, 3)
    optimizer = torch.optim.Adam([fused, *head.parameters()], lr=1e-3)
    (fused.sum() + head(torch.randn(2, 5)).sum()).backward()
    optimizer.step()
    saved = {f"experts.{i}.weight": fused.detach()[i].clone() for i in range(4)}
    saved |= {f"head.{k}": v for k, v in head.state_dict().items()}
    torch.save({"model": saved, "optimizer": optimizer.state_dict()}, tmp_path / "moe.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "moe.pt"), ProbeContext()))
    assert found["optimizer.frozen_params"] is False


_FLOW = '''import torch
from torch import nn


class Coupling(nn.Module):
    """An affine-coupling net whose last conv starts at zero: the flow starts as the identity."""

    def __init__(self):
        super().__init__()
        self.start = nn.Conv1d(2, 16, 3, padding=1)
        self.end = nn.Conv1d(16, 4, 1)
        nn.init.zeros_(self.end.weight)
        nn.init.zeros_(self.end.bias)

    def forward(self, x):
        a, b = x.chunk(2, 1)
        log_s, t = self.end(torch.tanh(self.start(a))).chunk(2, 1)
        return torch.cat([a, b * log_s.exp() + t], 1), log_s.sum((1, 2))


class Flow(nn.Module):
    def __init__(self):
        super().__init__()
        self.mix = nn.Conv1d(4, 4, 1)
        self.couplings = nn.ModuleList(Coupling() for _ in range(2))

    def forward(self, x):  # returns its own negative log-likelihood, one number
        z, logdet = self.mix(x), 0.0
        for c in self.couplings:
            z, ld = c(z)
            logdet = logdet + ld
        return (0.5 * (z ** 2).sum((1, 2)) - logdet).mean() / z[0].numel()


def build():
    torch.manual_seed(0)
    return Flow()
'''


def test_a_branch_zeroed_to_start_as_the_identity_is_no_zero_init(tmp_path: Path) -> None:
    """The run's weights went NaN, so they cannot show the zeros trained apart; the fresh
    model's gradient on the batch shows the first step does."""
    (tmp_path / "flow.py").write_text(_FLOW)
    namespace: dict[str, object] = {}
    exec(_FLOW, namespace)  # noqa: S102 - the test's own factory
    model = namespace["build"]()  # type: ignore[operator]
    state = {k: torch.full_like(v, float("nan")) for k, v in model.state_dict().items()}
    torch.save(state, tmp_path / "flow.pt")
    x = torch.randn(16, 4, 32)
    torch.save((x, x), tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'flow.py'}:build", batch=tmp_path / "batch.pt",
                    checkpoint=tmp_path / "flow.pt", device="cpu")
    found = check_findings(probe_forward(inputs, ProbeContext()), "live.forward")
    zero = next(f for f in found if f.fact == "init.all_zero")
    assert zero.value is False and "first step" in zero.evidence
    assert "output.is_probability" not in values_of(found)  # one number: the model's own loss


def test_one_negative_point_then_nan_is_no_loss_running_off(tmp_path: Path) -> None:
    facts = curve_facts(tmp_path, {"step": [10, 20, 30, 40], "train_nll": [-0.58] + [
        float("nan")] * 3})
    assert facts.get("loss.unbounded_below") is not True


def _head_bias_ratio(tmp_path: Path, sorted_batches: bool) -> object:
    """Adam on a 4-class MLP, 120 steps of 32 samples: class-sorted batches (one class each,
    in turn) or shuffled ones; the optimizer probe's one-class ratio of the output bias."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(512, 8), torch.arange(512) % 4
    order = torch.argsort(y, stable=True) if sorted_batches else torch.randperm(512)
    for step in range(120):
        idx = order[(step * 32) % 512:(step * 32) % 512 + 32]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        optimizer.step()
    path = tmp_path / f"head{sorted_batches}.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return values_of(probe_optimizer(Inputs(checkpoint=path), ProbeContext()))[
        "optimizer.head_bias_one_class_ratio"]


def test_an_output_bias_pushed_by_one_class_batches_sits_at_their_value(tmp_path: Path
                                                                        ) -> None:
    assert 0.85 <= _head_bias_ratio(tmp_path, True) <= 1.15  # type: ignore[operator]
    assert _head_bias_ratio(tmp_path, False) < 0.5  # type: ignore[operator]
