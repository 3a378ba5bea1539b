"""A perfect validation that a second held-out evaluation does not confirm is a leak (the
tenth hand set's text CNN: a priority tag left in every ticket, validation accuracy 1.00, a
``live_acc`` column of fresh tickets at 0.35 for three classes). A shifted test set or an
over-used validation set lowers a score; it does not make one perfect."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import train_tiny, write_csv_log
from tests.support.forkcli import run


def _diagnose(tmp_path: Path, val_acc: list[float], second: str, second_acc: list[float]
              ) -> tuple[dict[str, float], list[str]]:
    run_ = train_tiny(tmp_path / "run", None, steps=12)
    log = write_csv_log(tmp_path / "metrics.csv", {
        "epoch": [0, 1, 2, 3, 4, 5],
        "train_loss": [1.18, 0.46, 0.084, 0.025, 0.012, 0.008],
        "val_loss": [0.82, 0.049, 0.0055, 0.0009, 0.0006, 0.0005],
        "val_acc": val_acc, second: second_acc})
    out = run(["dldoctor", "diagnose", "--checkpoint", run_.checkpoint, "--log", log,
               "--format", "json", "--no-input"], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    scores = {d["cause"]: d["confidence"] for d in report["diagnoses"]}
    evidence = [line for d in report["diagnoses"] if d["cause"] == "task_trivial_or_leak"
                for line in d["evidence"]]
    return scores, evidence


def test_a_perfect_validation_that_fresh_data_do_not_confirm_is_a_leak(tmp_path: Path) -> None:
    scores, evidence = _diagnose(tmp_path / "leak", [0.71, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 "live_acc", [0.49, 0.35, 0.35, 0.35, 0.35, 0.35])
    assert max(scores, key=scores.__getitem__) == "task_trivial_or_leak", scores
    assert scores["task_trivial_or_leak"] >= 0.5
    # the evidence cites the measured columns, not the rule's intermediate conclusion
    assert any("live_acc" in line for line in evidence), evidence


def test_a_good_validation_above_the_test_is_not_called_a_leak(tmp_path: Path) -> None:
    scores, _ = _diagnose(tmp_path / "shift", [0.6, 0.8, 0.85, 0.88, 0.9, 0.9],
                          "holdout_acc", [0.5, 0.55, 0.55, 0.6, 0.6, 0.6])
    assert scores.get("task_trivial_or_leak", 0.0) < 0.5, scores
