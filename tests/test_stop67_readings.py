"""Readings added at stop 67 from unseen hand sets (224–226 and the misses left from 223)."""

from __future__ import annotations

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB

_KB = load_kb([BUILTIN_KB])


def _read(text: str) -> set[str]:
    return {m.symptom for m in match_symptoms(_KB, text, limit=8)}


def test_a_piece_that_goes_on_from_an_accuracy_is_about_that_accuracy() -> None:
    """Set 223's class-sorted hydrophone run: "前84步验证准确率一直是0.336，
    后来在1.0和0.66之间来回跳，最后停在0.668" — the last two clauses name no metric and go
    on from the accuracy's; they read as the validation metric jumping about, not a loss
    that stalls too high."""
    said = ("前84步验证准确率一直是0.336，后来在1.0和0.66之间来回跳，最后停在0.668，验证损失0.44。"
            "训练损失也是一会儿降一会儿突然升高。")
    read = _read(said)
    assert "loss_plateau_late" not in read
    assert {"val_oscillating", "loss_spikes"} <= read
    english = "val acc sat at 0.336 for 84 steps, finally it stuck at 0.668"
    assert "loss_plateau_late" not in _read(english)
    # without the accuracy before it, the same words tell of a loss
    assert "loss_plateau_late" in _read("finally it stuck at 0.668")
    assert "loss_plateau_late" in _read("train loss fell from 1.1 to 0.9, finally it stuck at 0.9")
    # a piece naming its own metric ends the carrying ("第575步loss" after a val accuracy)
    nan = "val 单发准确率0.89。然后第575步loss突然变成NaN，之后全部是NaN"
    assert "loss_nan" in _read(nan)
