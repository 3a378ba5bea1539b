"""Readings the twelfth hand set called for (stop 30): a loss below zero only at first (raw
scores fed a loss that wants log-probabilities), task losses logged side by side and how far
apart they end, and a graph's normalised adjacency passed beside the features, which is no
raw-scale input."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_forward import input_findings
from dldoctor.probes.models import Batch
from tests.support import curve_facts

_facts = curve_facts


def test_a_loss_below_zero_only_at_first_is_told_from_one_that_runs_off(
        tmp_path: Path) -> None:
    steps = [float(10 * i) for i in range(1, 25)]
    ctc = [-3.47, 1.47, 3.98] + [2.6 + 0.1 * (-1) ** i for i in range(21)]
    assert _facts(tmp_path, {"step": steps, "loss": ctc})["loss.negative_only_early"] is True
    flipped = [0.5 - 0.4 * i for i in range(24)]  # a flipped sign keeps falling
    assert _facts(tmp_path, {"step": steps, "loss": flipped})["loss.negative_only_early"] is False


def test_task_losses_side_by_side_are_measured_apart(tmp_path: Path) -> None:
    epochs = [float(i) for i in range(8)]
    cls = [1.36 - 0.02 * i for i in epochs]
    reg = [37868.0 * 0.8 ** i for i in epochs]
    total = [a + b for a, b in zip(cls, reg, strict=True)]
    facts = _facts(tmp_path, {"epoch": epochs, "cls_loss": cls, "reg_loss": reg, "loss": total})
    assert facts["loss.multi_task"] is True
    assert 5000 < facts["loss.task_loss_ratio"] < 20000  # the sum is not a task of its own
    kl = [5.0 - 0.1 * i for i in epochs]  # a VAE's KL beside its reconstruction: no task
    single = _facts(tmp_path, {"epoch": epochs, "recon_loss": reg, "kl_loss": kl,
                               "loss": [a + b for a, b in zip(reg, kl, strict=True)]})
    assert "loss.task_loss_ratio" not in single


def test_a_normalised_adjacency_beside_the_features_is_no_raw_input() -> None:
    torch.manual_seed(0)
    x = torch.randn(60, 8)
    a = (torch.rand(60, 60) < 0.05).float() + torch.eye(60)
    degree = a.sum(1).rsqrt()
    adj = degree[:, None] * a * degree[None, :]  # D^-1/2 (A + I) D^-1/2: small and sparse
    batch = Batch(x, torch.randint(0, 4, (60,)), Path("batch.pt"), named={"adj": adj})
    found = {f.fact: f.value for f in input_findings(batch)}
    assert found["input.not_normalized"] is False
    raw = Batch(x, None, Path("batch.pt"), named={"amounts": 1000 * torch.rand(60, 3)})
    assert {f.fact: f.value for f in input_findings(raw)}["input.not_normalized"] is True


def test_a_hugging_face_classifier_has_the_labels_its_config_declares(tmp_path: Path) -> None:
    from safetensors.torch import save_file

    from dldoctor.probes.task_info import head_width

    folder = tmp_path / "checkpoint-252"
    folder.mkdir()
    weights = {"distilbert.embeddings.word_embeddings.weight": torch.randn(50, 64),
               "pre_classifier.weight": torch.randn(64, 64), "pre_classifier.bias": torch.zeros(64),
               "classifier.weight": torch.randn(3, 64), "classifier.bias": torch.zeros(3)}
    save_file(weights, str(folder / "model.safetensors"))  # keys stored sorted: the head first
    (folder / "config.json").write_text(
        '{"architectures": ["DistilBertForSequenceClassification"], '
        '"id2label": {"0": "a", "1": "b", "2": "c"}}')
    assert head_width(Inputs(checkpoint=folder), ProbeContext()) == 3  # not pre_classifier's 64
    (folder / "config.json").write_text(
        '{"architectures": ["DistilBertForMaskedLM"], "id2label": {"0": "a", "1": "b"}}')
    assert head_width(Inputs(checkpoint=folder), ProbeContext()) == 64  # no label head
