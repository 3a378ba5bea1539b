"""A forecaster that reads the future it predicts (the twenty-fifth hand set's WaveNet: kernel-3
convolutions padded on both sides on a next-sample task, exit 0 with nothing found): the
batch's targets are its inputs shifted ahead, and changing the later inputs moves the earlier
outputs. A causal model's outputs do not move; a batch of other targets is not read."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.future_leak import future_leak_findings, shifted_axis
from dldoctor.probes.models import Batch
from tests.support.forkcli import ForkCli

_FORECASTER = '''
import torch
from torch import nn
from torch.nn import functional as F

CENTRED = {centred}


class Forecaster(nn.Module):
    """Two dilated convolutions predicting the next sample of a signal at every step."""

    def __init__(self):
        super().__init__()
        k = 3 if CENTRED else 2
        self.a = nn.Conv1d(1, 16, k, dilation=1)
        self.b = nn.Conv1d(16, 16, k, dilation=2)
        self.out = nn.Conv1d(16, 1, 1)

    def _conv(self, conv, x):
        d, k = conv.dilation[0], conv.kernel_size[0]
        pad = (d, d) if CENTRED else ((k - 1) * d, 0)
        return conv(F.pad(x, pad))

    def forward(self, x):
        h = torch.relu(self._conv(self.a, x))
        h = torch.relu(self._conv(self.b, h))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Forecaster()
'''


def _signal(n: int, steps: int, seed: int) -> torch.Tensor:
    """Noisy sums of two sines: the next sample is predictable only up to its noise."""
    gen = torch.Generator().manual_seed(seed)
    t = torch.arange(steps + 1, dtype=torch.float32)
    phase = torch.rand(n, 1, generator=gen) * 6.28
    clean = torch.sin(0.3 * t + phase) + 0.5 * torch.sin(0.05 * t + 2 * phase)
    return (clean + 0.3 * torch.randn(n, steps + 1, generator=gen))[:, None, :]


def _train(folder: Path, centred: bool) -> dict[str, Path]:
    """A real run: the factory's model trained on next-sample targets, with its checkpoint,
    log and batch."""
    folder.mkdir(parents=True)
    source = _FORECASTER.format(centred=centred)
    (folder / "model.py").write_text(source)
    space: dict = {}
    exec(compile(source, str(folder / "model.py"), "exec"), space)  # noqa: S102
    model = space["build"]()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    train, val = _signal(64, 96, 1), _signal(32, 96, 2)
    rows = []
    for epoch in range(8):
        for step in range(15):
            batch = train[torch.randperm(64, generator=torch.Generator().manual_seed(
                epoch * 100 + step))[:16]]
            loss = nn.functional.mse_loss(model(batch[..., :-1]), batch[..., 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            val_loss = nn.functional.mse_loss(model(val[..., :-1]), val[..., 1:])
        rows.append({"epoch": epoch, "train_mse": loss.item(), "val_mse": float(val_loss)})
    with (folder / "log.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               folder / "checkpoint.pt")
    torch.save((val[:16, :, :-1].clone(), val[:16, :, 1:].clone()), folder / "batch.pt")
    return {"model": folder / "model.py", "checkpoint": folder / "checkpoint.pt",
            "log": folder / "log.csv", "batch": folder / "batch.pt", "net": model}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("forecast")
    return {"centred": _train(root / "centred", True), "causal": _train(root / "causal", False)}


def _leak(run: dict) -> dict:
    batch = Batch(*torch.load(run["batch"]), source=run["batch"])
    return {f.fact: f.value for f in future_leak_findings(run["net"], batch, torch.device("cpu"))}


def test_centred_convolutions_read_the_future_and_causal_ones_do_not(runs: dict) -> None:
    # a model that reads later steps is no decoder fed the token it predicts
    assert _leak(runs["centred"]) == {"data.future_in_inputs": True,
                                      "data.targets_fed_unshifted": False}
    assert _leak(runs["causal"]) == {"data.future_in_inputs": False,
                                     "data.targets_fed_unshifted": False}


def test_a_bidirectional_rnn_reads_the_future_of_a_token_stream() -> None:
    """Next-token targets (-100 on padding) and an embedding + GRU, one way and both ways."""
    torch.manual_seed(0)
    tokens = torch.randint(1, 50, (12, 21))
    inputs, targets = tokens[:, :-1], tokens[:, 1:].clone()
    targets[:, -3:] = -100
    assert shifted_axis(inputs, targets) == (1, 1)

    class Tagger(nn.Module):
        def __init__(self, both: bool) -> None:
            super().__init__()
            self.emb, self.rnn = nn.Embedding(50, 8), nn.GRU(8, 8, batch_first=True,
                                                            bidirectional=both)
            self.head = nn.Linear(16 if both else 8, 50)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.rnn(self.emb(x))[0])

    batch, cpu = Batch(inputs, targets, Path("tokens.pt")), torch.device("cpu")
    assert future_leak_findings(Tagger(True), batch, cpu)[0].value is True
    assert future_leak_findings(Tagger(False), batch, cpu)[0].value is False


def test_targets_that_are_no_shifted_inputs_are_not_read(runs: dict) -> None:
    x = torch.randn(16, 1, 96)
    assert shifted_axis(x, x.clone()) is None  # an autoencoder's targets
    assert shifted_axis(x, torch.randn(16, 1, 96)) is None
    other = Batch(x, torch.randn(16, 1, 96), Path("b.pt"))
    assert future_leak_findings(runs["centred"]["net"], other, torch.device("cpu")) == []


def test_the_leaking_forecaster_is_diagnosed_and_the_causal_one_is_not(
        cli: ForkCli, runs: dict) -> None:
    def diagnose(run: dict) -> tuple[int, dict]:
        out = cli(shutil.which("dldoctor") or "dldoctor", "diagnose",
                  "--checkpoint", str(run["checkpoint"]), "--log", str(run["log"]),
                  "--model", f"{run['model']}:build", "--batch", str(run["batch"]),
                  "--no-input", "--format", "json", cwd=run["model"].parent)
        assert out.returncode in (0, 1), out.stderr
        return out.returncode, json.loads(out.stdout)

    code, report = diagnose(runs["centred"])
    assert code == 1 and report["diagnoses"][0]["cause"] == "task_trivial_or_leak", \
        [(d["cause"], d["confidence"]) for d in report["diagnoses"]]
    assert "left" in " ".join(report["diagnoses"][0]["fixes"])
    code, report = diagnose(runs["causal"])
    assert "task_trivial_or_leak" not in [d["cause"] for d in report["diagnoses"]]


class _TinyLM(nn.Module):
    """An embedding, one self-attention layer (causal or not) and a vocabulary head."""

    def __init__(self, causal: bool) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.causal = causal
        self.emb = nn.Embedding(13, 16)
        self.attn = nn.MultiheadAttention(16, 2, batch_first=True)
        self.head = nn.Linear(16, 13)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        h = self.emb(idx)
        steps = idx.shape[1]
        mask = torch.triu(torch.ones(steps, steps, dtype=torch.bool), 1) if self.causal else None
        return self.head(self.attn(h, h, h, attn_mask=mask, need_weights=False)[0] + h)


@pytest.mark.parametrize("causal", [True, False])
def test_token_labels_equal_to_the_inputs_are_a_language_model_checked_for_its_mask(
        causal: bool) -> None:
    """User 19's adder with its causal mask built and never passed, saved as (x, x): the
    loss shifts the labels, so step t must not read past t."""
    tokens = torch.randint(0, 13, (8, 12), generator=torch.Generator().manual_seed(0))
    found = future_leak_findings(_TinyLM(causal), Batch(tokens, tokens.clone(), Path("batch.pt")),
                                 torch.device("cpu"))
    assert [f.fact for f in found] == ["data.future_in_inputs", "data.targets_fed_unshifted"]
    assert found[0].value is (not causal) and found[1].value is False
    assert "the labels are the input tokens themselves" in str(found[0].evidence)


def test_float_targets_equal_to_the_inputs_are_a_reconstruction_not_read() -> None:
    x = torch.randn(8, 1, 32)
    model = nn.Conv1d(1, 1, 3, padding=1)
    batch = Batch(x, x.clone(), Path("batch.pt"))
    assert future_leak_findings(model, batch, torch.device("cpu")) == []
