"""Stop 80: what a log measured is not asked again — a loss that climbed before its NaN was
neither flat nor slowly falling; data held back is held-out data."""

from __future__ import annotations

from pathlib import Path

from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from tests.support import values_of, write_csv_log


def test_a_loss_that_climbed_to_its_nan_was_not_flat(tmp_path: Path) -> None:
    """The bundled example (SGD 0.5: 1.26 → 2.3e25 → NaN) was still asked whether its loss
    had stayed flat and whether it was falling along a straight line."""
    nan = float("nan")
    climb = [1.3 * 1.8 ** i for i in range(30)] + [nan] * 10
    found = values_of(curve_findings(read_logs([
        write_csv_log(tmp_path / "climb.csv", {"step": list(range(40)), "loss": climb})])))
    assert found["loss.rising"] is True
    assert found["loss.plateau"] is False
    assert found["loss.linear_decline"] is False
    assert found["loss.falling_at_end"] is False
    falling = [2.0 - 0.05 * i for i in range(30)] + [nan] * 10  # fell, then NaN: shape unknown
    found = values_of(curve_findings(read_logs([
        write_csv_log(tmp_path / "fall.csv", {"step": list(range(40)), "loss": falling})])))
    assert "loss.plateau" not in found and "loss.falling_at_end" not in found


def test_data_held_back_is_held_out_data() -> None:
    """Set 324's complaint said "the shots we hold back": read as nothing but a loss at 0."""
    said = {m.symptom for m in match_symptoms(load_knowledge(), (
        "The model fits the training set almost perfectly but on the held back data the error"
        " has been going up for a while."))}
    assert {"train_good_test_bad", "val_loss_rising"} <= said
