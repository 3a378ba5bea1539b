"""Readings added at stop 68 from the misses left at stop 67 and the unseen sets 233–235."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.source_scan import eval_augmentation_findings
from dldoctor.probes.wrapped_labels import wrapped_label_findings

_KB = load_kb([BUILTIN_KB])


def _read(text: str) -> set[str]:
    return {m.symptom for m in match_symptoms(_KB, text, limit=8)}


def test_a_value_a_metric_never_gets_above_is_its_level() -> None:
    """Set 231's yodel choir: "training accuracy hits 1.0 …, but validation accuracy never
    gets above 0.88 and val loss goes from 0.37 up to 0.40" — the values the two sets reach
    say that training does better; neither piece alone says a symptom."""
    said = ("Singer ID for our choir: training accuracy hits 1.0 and train loss 0.0009 by "
            "epoch 11, but validation accuracy never gets above 0.88 and val loss goes from "
            "0.37 up to 0.40 by epoch 120. I expected well over 90 %.")
    assert "train_good_test_bad" in _read(said)
    # values too close to tell say nothing
    assert "train_good_test_bad" not in _read(
        "training accuracy hits 0.93, but validation accuracy never gets above 0.88")


def _spread_run(masked: bool, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Four classes from the inputs, a third of every class's rows labelled -1 at random
    (set 231's fondue pots: a 'not entered' code on pots of every kind), trained 150 Adam
    steps on ``torch.eye(4)[y]`` — every row, or only the labelled ones when ``masked``.
    Returns the trained model's output on the first 64 rows and their labels."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(768, 8, generator=gen)
    y = x[:, :4].argmax(1)
    y[torch.rand(768, generator=gen) < 0.33] = -1
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(150):
        part = slice(64 * (step % 12), 64 * (step % 12 + 1))
        xb, yb = x[part], y[part]
        if masked:
            xb, yb = xb[yb >= 0], yb[yb >= 0]
        loss = -(torch.eye(4)[yb] * F.log_softmax(model(xb), 1)).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return model(x[:64]), y[:64]


def _wrapped(output: torch.Tensor, y: torch.Tensor) -> Any:
    found = wrapped_label_findings(y, output)
    return found[0].value if found else None


@pytest.mark.parametrize("seed", [0, 1])
def test_minus_one_labels_on_every_class_trained_as_the_last(seed: int) -> None:
    """The -1 rows cannot be told from their inputs, so argmax rarely puts them in the last
    class (38 % of the fondue pots'); the probability the model gives the last class on the
    other classes' samples says the loss trained them there (28 %, 51× each other wrong
    class's, on the fondue run; about 1× when the loss skipped them)."""
    output, y = _spread_run(masked=False, seed=seed)
    assert _wrapped(output, y) is True
    output, y = _spread_run(masked=True, seed=seed)
    assert _wrapped(output, y) is False


_LOADERS = '''import torch

def augment(x, g):
    return x + 0.3 * torch.randn(x.shape, generator=g)

class Loader:
    def __init__(self, x, y, bs, train, g):
        self.x, self.y, self.bs, self.train, self.g = x, y, bs, train, g

    def __iter__(self):
        for i in range(0, len(self.x), self.bs):
            xb = self.x[i:i + self.bs]
            if self.train:
                xb = augment(xb, self.g)
            yield xb, self.y[i:i + self.bs]

def clips(x, is_train):
    return augment(x, None) if is_train else x

def build():
    return torch.nn.Linear(4, 2)

train = Loader(xtr, ytr, 64, True, g)
val = Loader(xva, yva, 128, {flag}, g)
test_x = clips(xte, is_train={flag})
'''


@pytest.mark.parametrize(("flag", "found"), [("True", True), ("False", False)])
def test_a_training_flag_that_switches_the_augmentation_on(tmp_path: Path, flag: str,
                                                            found: bool) -> None:
    """Set 227's haggis pots: ``val = Loader(xva, yva, 128, True, g)``, where the loader's
    ``train`` argument gates ``augment`` — the validation clips are jittered at every
    evaluation; built with ``False`` they are not (the training loader's True is no finding)."""
    source = tmp_path / "model.py"
    source.write_text(_LOADERS.replace("{flag}", flag))
    read = eval_augmentation_findings(f"{source}:build")
    assert bool(read) is found
    if found:
        assert read[0].value is True and "train=True" in str(read[0].evidence)
