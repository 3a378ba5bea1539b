"""The dropout rates of a Hugging Face ``config.json`` beside the weights are read as data: a
BERT built with dropout 0.9 (keep-prob meant) is over-regularised from the checkpoint alone."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.model_config import config_dropout_findings
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of


def _folder(tmp_path: Path, config: object | str) -> Path:
    folder = tmp_path / "checkpoint-48"
    folder.mkdir()
    torch.save({"encoder.weight": torch.randn(8, 8), "encoder.bias": torch.zeros(8)},
               folder / "pytorch_model.bin")
    text = config if isinstance(config, str) else json.dumps(config)
    (folder / "config.json").write_text(text, encoding="utf-8")
    return folder


def test_bert_dropout_from_its_config(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"model_type": "bert", "hidden_dropout_prob": 0.9,
                                "attention_probs_dropout_prob": 0.1, "classifier_dropout": None})
    facts = values_of(check_findings(probe_weights(Inputs(checkpoint=folder), ProbeContext()),
                                     "checkpoint.weights"))
    assert facts["arch.dropout_rate_max"] == 0.9


def test_gpt2_pdrop_names_and_a_file_that_is_no_json(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"resid_pdrop": 0.1, "embd_pdrop": 0.2, "attn_pdrop": 0.1})
    (finding,) = config_dropout_findings(folder / "pytorch_model.bin")
    assert finding.value == 0.2
    (folder / "config.json").write_text("{not json", encoding="utf-8")
    assert config_dropout_findings(folder) == []
    (folder / "config.json").write_text("[0.9]", encoding="utf-8")
    assert config_dropout_findings(folder) == []
