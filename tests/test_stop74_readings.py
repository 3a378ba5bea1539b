"""Readings added at stop 74: an accuracy that stopped improving part-way is a plateau, not
an accuracy at chance (a vague "accuracy not improving" says chance only beside a level); a
training loss said to lie below the validation loss is a gap, not validation doing better; a
first epoch's training loss a million times the first validation loss is a blow-up, not
targets in raw units; padding a model learnt in training is seen beside a validation batch
that masks it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.symptoms import match_symptoms, symptoms_named
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from tests.support import values_of


def _named(text: str) -> list[str]:
    return [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, limit=8))]


@pytest.mark.parametrize("text", [
    "training loss goes down nicely but validation accuracy is stuck too",
    "val accuracy stopped improving after epoch 12 while the training loss kept dropping",
    "训练损失一直在降，但验证准确率不再提高了",
])
def test_an_accuracy_that_stopped_improving_is_a_plateau_not_chance(text: str) -> None:
    named = _named(text)
    assert "acc_plateau" in named and "acc_chance" not in named, named


@pytest.mark.parametrize("text", ["accuracy is stuck around 20% and nothing changes",
                                  "accuracy not improving, stuck at 25%"])
def test_a_low_accuracy_said_stuck_is_still_at_chance(text: str) -> None:
    assert "acc_chance" in _named(text)


@pytest.mark.parametrize("text", [
    "The training loss looks good, well below the validation loss every epoch",
    "the train loss stays well below the val loss",
])
def test_a_training_loss_below_the_validation_loss_is_a_gap(text: str) -> None:
    named = _named(text)
    assert "train_good_test_bad" in named and "val_better_than_train" not in named, named


def test_needs_level_names_only_the_symptoms_own_phrases() -> None:
    from pydantic import ValidationError

    from dldoctor.engine.model import SymptomSpec

    spec = {"id": "acc_low", "text": {"en": "Accuracy low", "zh": "准确率低"},
            "synonyms": {"en": ["accuracy not improving"]}, "implies": {"x": True}}
    assert SymptomSpec.model_validate({**spec, "needs-level": ["accuracy not improving"]})
    with pytest.raises(ValidationError, match="not synonyms"):
        SymptomSpec.model_validate({**spec, "needs-level": ["accuracy is low"]})


#: Set 287's piano-tuning MLP under Adam at lr 0.5 (its first four epochs and its last): each
#: epoch's mean training MSE and the validation MSE after it
_BLEW_UP = [(1, 2.3686643e13, 22.755), (2, 17983.07, 24.738), (3, 1110611.7, 24.831),
            (4, 25.058, 24.835), (25, 25.042, 24.817)]
#: The same shape from targets in raw units learnt within the first epoch (thousands of
#: squared units falling to a few), and from a loss summed over 2048 values (it stays so)
_RAW = [(1, 48000.0, 150.0), (2, 220.0, 90.0), (3, 95.0, 80.0), (4, 80.0, 78.0),
        (5, 76.0, 77.0)]
_SUMMED = [(e, 2048 * (1.0 / e + 0.1), 1.0 / e + 0.12) for e in range(1, 11)]


@pytest.mark.parametrize(("rows", "blew_up"), [(_BLEW_UP, True), (_RAW, False),
                                               (_SUMMED, False)])
def test_a_first_epoch_that_blew_up_is_read_against_the_first_evaluation(
        tmp_path: Path, rows: list, blew_up: bool) -> None:
    """A first epoch's mean training loss a million times the validation loss measured right
    after it, the two ending together, is a blow-up inside the first epoch — not targets in
    raw units (which the first evaluation scored low), nor a summed loss (which stays above)."""
    from dldoctor.probes.log_probes import probe_curves

    lines = ["epoch,train_mse,val_mse"] + [f"{e},{a:.8g},{b:.8g}" for e, a, b in rows]
    (tmp_path / "fit.csv").write_text("\n".join(lines) + "\n")
    found = values_of(probe_curves(Inputs(logs=(tmp_path / "fit.csv",)), ProbeContext()))
    assert found["loss.blew_up_before_first_eval"] is blew_up


class _Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.gru = nn.GRU(3, 16, batch_first=True)
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.gru(x)[0])


@pytest.mark.parametrize(("pad_target", "counted"), [(0, True), (-100, False)])
def test_padding_learnt_in_training_is_seen_beside_a_validation_batch_that_masks_it(
        pad_target: int, counted: bool) -> None:
    """Set 287's breath-mark GRU: training tags padded with 0, a real class, and a loss over
    every slot; its validation batch pads with -100. The trained model gives the padding
    class 0 more surely than any real note its class, and the training loss the log ends on
    is its average over every slot with the padding labelled so — not over the real notes.
    The same run padded with -100 in training reads as skipping the padding."""
    from torch.nn.utils.rnn import pad_sequence

    from dldoctor.probes.padding import padding_findings

    gen = torch.Generator().manual_seed(0)
    xs, ys = [], []
    for _ in range(448):
        x = torch.rand(int(torch.randint(4, 25, (1,), generator=gen)), 3, generator=gen) + 0.05
        xs.append(x)
        ys.append(((x[:, 0] > 0.7) | (torch.cumsum(x[:, 1], 0) % 2 < 0.3)).long())
    torch.manual_seed(0)
    model = _Tagger()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(6):
        total = 0.0
        for i in range(0, 384, 32):
            x = pad_sequence(xs[i:i + 32], batch_first=True)
            y = pad_sequence(ys[i:i + 32], batch_first=True, padding_value=pad_target)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x).reshape(-1, 2), y.reshape(-1))
            loss.backward()
            opt.step()
            total += loss.item()
    x = pad_sequence(xs[384:], batch_first=True)
    y = pad_sequence(ys[384:], batch_first=True, padding_value=-100)
    with torch.no_grad():
        out = model(x)
    [found] = [f for f in padding_findings(x, y, output=out, logged_train=total / 12)
               if f.fact == "loss.counts_padding"]
    assert found.value is counted


def test_a_long_set_hint_breaks_between_values_not_inside_one() -> None:
    """``--set overfit.without_flat_decay=…`` runs to 105 columns: at 80 it breaks after a
    ``|``, each line within the width, and the values read whole when joined."""
    from dldoctor.render import _hint_lines, set_hint
    from dldoctor.session import Session

    hint = set_hint(Session(load_knowledge()), "overfit.without_flat_decay", "en")
    lines = _hint_lines(hint, 80)
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    assert all(line.rstrip().endswith("|") for line in lines[:-1])
    assert "".join(line.strip() for line in lines) == hint


class _Survival(nn.Module):
    """Set 291's seedling-survival model: three small tables (one square) and 4 numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.crew, self.stock, self.prep = nn.Embedding(12, 6), nn.Embedding(3, 3), \
            nn.Embedding(4, 3)
        self.mlp = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, c: torch.Tensor, s: torch.Tensor, p: torch.Tensor,
                num: torch.Tensor) -> torch.Tensor:
        return self.mlp(torch.cat([self.crew(c), self.stock(s), self.prep(p), num], 1))


def test_lookup_tables_before_a_wider_layer_are_no_layers_without_a_bias(
        tmp_path: Path) -> None:
    """``crew`` (12, 6), ``stock`` (3, 3) and ``prep`` (4, 3) before ``mlp.0`` (32, 16): no
    chain of layers ends in a 16-wide input, so they are lookups — not three layers built
    without a bias (0.70 from the checkpoint alone)."""
    from dldoctor.probes.static_probes import probe_weights

    torch.manual_seed(0)
    torch.save(_Survival().state_dict(), tmp_path / "s.pt")
    found = values_of(probe_weights(Inputs(checkpoint=tmp_path / "s.pt"), ProbeContext()))
    assert found["weights.has_embedding"] is True and found["weights.missing_bias"] is False


def test_a_model_that_cannot_take_the_batch_is_told_the_batchs_shape(tmp_path: Path) -> None:
    """The trial runs two samples first, so the error it quotes says "2x3": the message also
    gives the batch's own inputs (64×3)."""
    from dldoctor.errors import InputError
    from dldoctor.probes.models import check_runs

    torch.save((torch.randn(64, 3), torch.randn(64, 1)), tmp_path / "b.pt")
    (tmp_path / "m.py").write_text("from torch import nn\n\n\ndef build():\n"
                                   "    return nn.Linear(8, 1)\n")
    inputs = Inputs(model=f"{tmp_path / 'm.py'}:build", batch=tmp_path / "b.pt")
    with pytest.raises(InputError, match="inputs 64×3 float32"):
        check_runs(nn.Linear(8, 1), inputs, ProbeContext())
