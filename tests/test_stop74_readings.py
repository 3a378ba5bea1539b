"""Readings added at stop 74: an accuracy that stopped improving part-way is a plateau, not
an accuracy at chance; a low accuracy said to be stuck still is."""

from __future__ import annotations

import pytest

from dldoctor.engine.symptoms import match_symptoms, symptoms_named
from dldoctor.kbpaths import load_knowledge


def _named(text: str) -> list[str]:
    return [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, limit=8))]


@pytest.mark.parametrize("text", [
    "training loss goes down nicely but validation accuracy is stuck too",
    "训练损失一直在降，但验证损失从第8轮开始上升，验证准确率也不再提高",
])
def test_an_accuracy_that_stopped_improving_is_a_plateau_not_chance(text: str) -> None:
    named = _named(text)
    assert "acc_plateau" in named and "acc_chance" not in named, named


def test_a_low_accuracy_said_stuck_is_still_at_chance() -> None:
    assert "acc_chance" in _named("accuracy is stuck around 20% and nothing changes")
