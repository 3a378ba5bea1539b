"""A softmax (sigmoid) handed to a loss that applies its own, read from the model file's
syntax tree (the forty-third set's CANINE: a Trainer ``compute_loss`` feeding
``outputs.logits.softmax(-1)`` to ``CrossEntropyLoss``); nothing in the file is run."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.probes.source_scan import double_activation_findings

_HEAD = "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n\n" \
        "def build():\n    return nn.Linear(4, 3)\n\n"


def _file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "model.py"
    path.write_text(_HEAD + body)
    return f"{path}:build"


@pytest.mark.parametrize(("body", "what"), [
    ("def compute_loss(outputs, labels):\n    probs = outputs.logits.softmax(-1)\n"
     "    return nn.CrossEntropyLoss(weight=None)(probs, labels)\n", "softmax"),
    ("def step(x, y):\n    return F.cross_entropy(torch.softmax(x, dim=1), y)\n", "softmax"),
    ("crit = nn.BCEWithLogitsLoss()\ndef step(out, y):\n    p = torch.sigmoid(out)\n"
     "    return crit(p, y)\n", "sigmoid"),
])
def test_an_activation_into_a_loss_that_applies_it_is_found(
        tmp_path: Path, body: str, what: str) -> None:
    found = double_activation_findings(_file(tmp_path, body))
    assert [(f.fact, f.value) for f in found] == [("src.activation_into_its_loss", True)]
    assert f"hands a {what}'s output" in str(found[0].evidence)


@pytest.mark.parametrize("body", [
    "def step(x, y):\n    return F.cross_entropy(x, y)\n",
    "def step(x, y):\n    p = torch.softmax(x, 1)\n    return F.nll_loss(torch.log(p), y)\n",
    "crit = nn.BCELoss()\ndef step(out, y):\n    return crit(torch.sigmoid(out), y)\n",
])
def test_logits_into_the_loss_or_a_loss_that_wants_probabilities_is_not(
        tmp_path: Path, body: str) -> None:
    assert double_activation_findings(_file(tmp_path, body)) == []


@pytest.mark.parametrize(("body", "found"), [
    ("def loss(noisy, clean):\n    return (torch.log(noisy) - torch.log(clean)).abs().mean()\n",
     True),
    ("def nll(p, y):\n    return -(y * p.log()).sum()\n", True),
    ("def nll(p, y):\n    return -(y * torch.log(p + 1e-8)).sum()\n", False),
    ("def nll(p, y):\n    return -(y * p.clamp_min(1e-6).log()).sum()\n", False),
    ("import math\nSCALE = math.log(10)\n", False),
])
def test_a_log_of_a_value_not_kept_off_zero(tmp_path: Path, body: str, found: bool) -> None:
    from dldoctor.probes.source_scan import unguarded_log_findings

    readings = unguarded_log_findings(_file(tmp_path, body))
    assert bool(readings) is found
    if found:
        assert readings[0].fact == "src.log_without_floor" and readings[0].value is True
