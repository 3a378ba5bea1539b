"""Stop 79: what a model file has answered is not asked again; a loss that crossed below
zero is read as such whatever its column is called; a loss a helper rebuilt as a leaf."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine.memory import Fact
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.source_scan import leaf_loss_findings
from dldoctor.session import Session
from tests.support import values_of, write_csv_log


def _open_facts(session: Session) -> set[str]:
    return {q.fact for q in session.open_questions(limit=200)}


def test_a_loop_batch_size_read_from_the_model_file_is_not_asked() -> None:
    """A BatchNorm run whose loop cuts batches of 2 was asked 'What batch size do you train
    with?' and 'Is your batch size smaller than 16?'."""
    asked = {"setup.batch_size", "setup.batch_small"}
    session = Session(load_knowledge())
    session.add_symptom("acc_plateau")
    assert asked <= _open_facts(session)
    session.engine.add_fact(Fact("src.batch_size", 2.0, "probed", "probe:live.forward"))
    session.engine.run()
    assert not asked & _open_facts(session)


@pytest.mark.parametrize(("train", "val", "crossed", "named"), [
    ([0.43, 0.11, -0.08, -1.2, -3.4, -7.5], "val_bce", True, True),  # named by its validation
    ([0.43, 0.11, -0.08, -1.2, -3.4, -7.5], "val_loss", True, None),  # a bare name: not named
    ([-0.69, -0.9, -1.5, -2.2, -3.4, -7.5], "val_bce", False, False),  # a flipped sign
    ([0.69, 0.5, 0.4, 0.3, 0.25, 0.2], "val_bce", None, None),  # never below zero
])
def test_a_loss_that_crossed_below_zero_is_read_whatever_its_name(
        tmp_path: Path, train: list[float], val: str, crossed: bool | None,
        named: bool | None) -> None:
    """Set 322's turmeric tagger logged a bare "loss" beside "val_bce": 0.43 → -7.5."""
    log = write_csv_log(tmp_path / "tags.csv", {
        "epoch": list(range(6)), "loss": train, val: [0.34, 0.31, 0.34, 0.9, 2.1, 4.0]})
    found = values_of(curve_findings(read_logs([log])))
    assert found.get("loss.crossed_below_zero") is crossed
    assert found.get("loss.bce_named_negative") is named


_HELPER_LEAF = """\
import numpy as np
import torch


def weighted_bce(logits, y):
    z, t = logits.detach().numpy(), y.numpy()
    bce = np.logaddexp(0, z) - t * z
    {body}


def build():
    return torch.nn.Linear(4, 2)


def train(model, x, y):
    opt = torch.optim.Adam(model.parameters())
    for _ in range(3):
        opt.zero_grad()
        loss = weighted_bce(model(x), y)
        loss.backward()
        opt.step()
"""


@pytest.mark.parametrize(("body", "cut"), [
    ("return torch.tensor(bce.mean(), requires_grad=True)", True),
    ("out = torch.tensor(bce.mean(), requires_grad=True)\n    return out", True),
    ("return torch.tensor(bce.mean())", False),  # no gradient asked for: backward would fail
])
def test_a_loss_a_helper_rebuilt_as_a_leaf_is_cut(tmp_path: Path, body: str, cut: bool) -> None:
    """Set 321's dredger alarms: a weighted BCE in NumPy, wrapped again inside a helper."""
    path = tmp_path / "model.py"
    path.write_text(_HELPER_LEAF.format(body=body))
    found = values_of(leaf_loss_findings(f"{path}:build"))
    assert found.get("src.loss_rebuilt_as_leaf") is (True if cut else None)
