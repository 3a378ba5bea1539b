"""Readings added in stop 48, on real artefacts: a model that memorised its few training
samples scores an unseen batch at the validation loss's level, far above the training loss
it logged — a generalisation gap, not a loss given the wrong tensors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from tests.support import curve_facts, forkcli

_FACTORY = '''import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))
'''


@pytest.fixture(scope="module")
def memorised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-class MLP trained by Adam for 60 epochs on 40 noisy samples: training accuracy 1,
    validation accuracy about 0.5; the batch is 64 validation samples."""
    folder = tmp_path_factory.mktemp("memorised")
    (folder / "net.py").write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(_FACTORY, namespace)  # noqa: S102 - the test's own factory
    model = namespace["build"]()  # type: ignore[operator]
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(600, 20, generator=gen)
    y = (x @ torch.randn(20, 4, generator=gen) + 1.5 * torch.randn(600, 4, generator=gen)).argmax(1)
    train_x, train_y, val_x, val_y = x[:40], y[:40], x[40:], y[40:]
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = []
    for epoch in range(60):
        order = torch.randperm(40, generator=gen)
        for start in range(0, 40, 8):
            pick = order[start:start + 8]
            loss = nn.functional.cross_entropy(model(train_x[pick]), train_y[pick])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            scores = [(nn.functional.cross_entropy(out, t).item(),
                       (out.argmax(1) == t).float().mean().item())
                      for out, t in ((model(train_x), train_y), (model(val_x), val_y))]
        rows.append([epoch, *scores[0], *scores[1]])
    with (folder / "history.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        writer.writerows(rows)
    torch.save({"net": model.state_dict(), "opt": optimizer.state_dict()}, folder / "last.pt")
    torch.save((val_x[:64], val_y[:64]), folder / "batch.pt")
    return folder


def test_an_unseen_batch_of_a_memorising_model_is_over_fitting(memorised: Path) -> None:
    run = memorised
    out = forkcli.run(["dldoctor", "diagnose", "-c", str(run / "last.pt"), "-l",
                       str(run / "history.csv"), "-m", f"{run / 'net.py'}:build", "-b",
                       str(run / "batch.pt"), "--no-input", "--json"],
                      capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    found = {f["fact"]: f["value"] for f in report["findings"]}
    # the premise of a loss on the wrong tensors holds: the batch costs far more than the log
    assert found["loss.batch_over_logged"] >= 10 and found["train_val.gap_ratio"] >= 3
    assert found["train.acc_end"] == 1.0
    faults = [d["cause"] for d in report["diagnoses"] if d["established"]]
    assert faults[0] == "overfitting" and "loss_input_wrong" not in faults, faults


def test_a_log_without_training_accuracy_leaves_its_end_unknown(tmp_path: Path) -> None:
    facts = curve_facts(tmp_path, {"train_loss": [1.3, 0.9, 0.7, 0.6, 0.55],
                                   "val_loss": [1.3, 1.0, 0.8, 0.75, 0.7]})
    assert facts["train.acc_end"] is UNKNOWN
    with_accuracy = curve_facts(tmp_path, {"train_loss": [1.3, 0.9, 0.7, 0.6, 0.55],
                                           "train_acc": [0.3, 0.5, 0.6, 0.7, 0.72]},
                                "acc.csv")
    assert with_accuracy["train.acc_end"] == pytest.approx(0.7)


def test_a_validation_loss_that_zigzags_after_its_first_fall_oscillates(tmp_path: Path
                                                                          ) -> None:
    train = [5.2, 1.75, 1.52, 1.29, 1.18, 1.11, 1.01, 0.96]
    zigzag = curve_facts(tmp_path, {"train_loss": train,
                                    "val_loss": [21.3, 2.27, 1.62, 1.36, 1.16, 1.88, 1.0, 1.63]})
    assert zigzag["val.oscillating"] is True
    steady = curve_facts(tmp_path, {"train_loss": train,
                                    "val_loss": [21.3, 2.27, 1.62, 1.36, 1.2, 1.12, 1.08, 1.05]},
                         "steady.csv")
    assert steady["val.oscillating"] is False
