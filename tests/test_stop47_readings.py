"""Readings added in stop 47, on real artefacts: weights a penalty in the loss pulled to near
zero make the update-to-weight ratio meaningless (checkpoint and live reading alike), and the
diagnosis is the penalty, not the learning rate or vanishing gradients."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_backward
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, forkcli, values_of

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
