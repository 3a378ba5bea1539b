"""Stop 79: what a model file has answered is not asked again; a loss that crossed below
zero is read as such whatever its column is called; a loss a helper rebuilt as a leaf."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from dldoctor.engine.memory import Fact
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.hf_sequences import adapt_batch, adapt_model
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.models import Batch
from dldoctor.probes.source_scan import (
    division_findings,
    leaf_loss_findings,
    loss_kind_findings,
)
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


class _EncoderDecoder(torch.nn.Module):
    """An encoder–decoder as NLLB-MoE is one: it shifts its labels into decoder inputs inside
    ``forward`` and has no ``prepare_decoder_input_ids_from_labels``."""

    def __init__(self) -> None:
        super().__init__()
        self.config = SimpleNamespace(is_encoder_decoder=True, decoder_start_token_id=2,
                                      pad_token_id=1)
        self.seen: dict[str, torch.Tensor] = {}

    def forward(self, input_ids: torch.Tensor | None = None,
                attention_mask: torch.Tensor | None = None,
                decoder_input_ids: torch.Tensor | None = None) -> torch.Tensor:
        assert input_ids is not None and decoder_input_ids is not None
        self.seen = {"source": input_ids, "decoder": decoder_input_ids}
        return torch.zeros(*decoder_input_ids.shape, 8)


def test_an_encoder_decoder_without_a_label_helper_is_teacher_forced(tmp_path: Path) -> None:
    """Set 324's healthy NLLB-MoE Trainer run was refused: 'cannot run on --batch'."""
    model = _EncoderDecoder()
    source = torch.tensor([[5, 6, 7, 1], [5, 5, 1, 1]])
    labels = torch.tensor([[3, 4, 0], [4, -100, -100]])
    batch = Batch(source, labels, tmp_path / "batch.pt")
    adapt_model(model, batch)
    adapted = adapt_batch(model, batch)
    out = model(adapted.inputs)
    assert out.shape == (2, 3, 8)  # the logits pair with the labels position by position
    assert model.seen["source"].tolist() == source.tolist()
    assert model.seen["decoder"].tolist() == [[2, 3, 4], [2, 4, 1]]  # -100 becomes the pad


def test_a_dev_column_that_adds_up_to_the_total_is_a_part(tmp_path: Path) -> None:
    """Set 324's shaft CNN logged loss_total = loss_dev (a diameter deviation) + loss_fault;
    "dev" had been read as a development-set loss, hiding a fault head left at a guess."""
    dev = [189.2, 1.99, 0.42, 0.3, 0.2, 0.15, 0.13, 0.12]
    fault = [1.50, 1.44, 1.42, 1.40, 1.40, 1.38, 1.36, 1.35]
    log = write_csv_log(tmp_path / "grind.csv", {
        "epoch": list(range(8)), "loss_total": [a + b for a, b in zip(dev, fault, strict=True)],
        "loss_dev": dev, "loss_fault": fault, "val_fault_acc": [0.27, 0.22, 0.33, 0.3] * 2})
    metrics = read_logs([log])
    assert "val_loss" not in metrics.series and set(metrics.parts) == {"loss_dev", "loss_fault"}
    found = values_of(curve_findings(metrics))
    assert found["loss.light_task_lagging"] is True and found["loss.multi_task"] is True
    apart = write_csv_log(tmp_path / "apart.csv", {  # a dev-set loss proper: no sum
        "epoch": list(range(8)), "loss_total": [a + b for a, b in zip(dev, fault, strict=True)],
        "loss_dev": [2.0] * 8, "loss_fault": fault})
    assert read_logs([apart]).series["val_loss"].column == "loss_dev"


def test_a_validation_loss_that_blew_up_before_the_nan_is_a_climb(tmp_path: Path) -> None:
    """Set 324's lysimeter autoencoder: validation 0.57 → 5.2e12 the epoch before its
    per-epoch training loss was NaN, which had read as a NaN from a steady loss."""
    nan = float("nan")
    train = [1.24, 0.56, 0.25, 0.19, 0.14, 0.25, 0.12, 0.08, 0.09, 0.98, nan, nan]
    val = [0.57, 0.26, 0.22, 0.18, 0.21, 0.13, 0.09, 0.07, 0.08, 5.2e12, nan, nan]
    log = write_csv_log(tmp_path / "ae.csv", {"epoch": list(range(12)), "train_loss": train,
                                              "val_loss": val})
    found = values_of(curve_findings(read_logs([log])))
    assert found["loss.non_finite_without_blowup"] is False
    assert found["loss.finite_epochs_before_non_finite"] == 10
    steady = write_csv_log(tmp_path / "steady.csv", {
        "epoch": list(range(12)), "train_loss": train,
        "val_loss": [0.57, 0.26, 0.22, 0.18, 0.21, 0.13, 0.09, 0.07, 0.08, 0.09, nan, nan]})
    assert values_of(curve_findings(read_logs([steady])))["loss.non_finite_without_blowup"] \
        is not False


@pytest.mark.parametrize(("line", "flagged"), [
    ("y = bell / bell.sum()", False),  # a sum of exp() values is never 0
    ("y = bell / torch.exp(x).sum()", False),
    ("y = x / x.sum()", True),
    ("y = bell / bell.std()", True),  # a positive tensor's spread can still be 0
])
def test_a_sum_of_positive_values_is_no_zero_denominator(tmp_path: Path, line: str,
                                                          flagged: bool) -> None:
    """Set 324's lysimeter data made a daily curve with ``bell / bell.sum()`` of an exp()."""
    path = tmp_path / "model.py"
    path.write_text(f"import torch\n\n\ndef data(x):\n    bell = torch.exp(-x ** 2)\n"
                    f"    {line}\n    return y\n\n\ndef build():\n"
                    "    return torch.nn.Linear(2, 1)\n")
    found = values_of(division_findings(f"{path}:build"))
    assert found.get("src.divides_by_a_statistic") is (True if flagged else None)


@pytest.mark.parametrize(("head", "raw"), [
    ("return self.fc(x)", True),
    ("return F.log_softmax(self.fc(x), dim=1)", False),
    ("return self.fc(x).log_softmax(1)", False),
])
def test_nll_on_a_file_that_makes_no_log_probabilities(tmp_path: Path, head: str,
                                                       raw: bool) -> None:
    """Set 325's rheometer MLP: nn.NLLLoss() on raw class scores, no log_softmax anywhere."""
    path = tmp_path / "model.py"
    path.write_text(
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        f"        self.fc = nn.Linear(6, 4)\n\n    def forward(self, x):\n        {head}\n\n\n"
        "def build():\n    return Net()\n\n\ndef train(model, x, y):\n"
        "    opt = torch.optim.Adam(model.parameters())\n    loss = nn.NLLLoss()(model(x), y)\n"
        "    loss.backward()\n    opt.step()\n")
    found = values_of(loss_kind_findings(f"{path}:build"))
    assert found["setup.loss_kind"] == "nll"
    assert found["src.nll_without_log_softmax"] is raw


def test_a_model_of_several_classes_is_not_told_its_binary_labels_must_be_0_and_1() -> None:
    """A new user's five-class MLP under NLLLoss on raw logits was told "Binary labels must
    be 0 and 1"."""
    def fixes(facts: dict[str, object]) -> str:
        session = Session(load_knowledge())
        for fact, value in facts.items():
            session.engine.add_fact(Fact(fact, value, "probed", "probe:test"))
        session.engine.run()
        wrong = next(d for d in session.report().diagnoses if d.cause == "loss_input_wrong")
        return " ".join(f.text for f in wrong.fixes)

    seen = {"loss.negative": True, "loss.unbounded_below": True, "setup.loss_kind": "nll"}
    assert "Binary labels" not in fixes({**seen, "weights.output_width": 5.0})
    assert "Binary labels" in fixes({**seen, "setup.loss_kind": "bce_logits",
                                     "weights.output_width": 1.0})
