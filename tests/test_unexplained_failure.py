"""A run whose loss went NaN, with nothing that can tell why, says that it failed: "No fault
established yet" alone had read like a clean run (the installed CLI, text and JSON)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _diagnose(log: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dldoctor", "diagnose", "--log", str(log),
                           "--no-input", "--format", fmt], capture_output=True, text=True,
                          timeout=300, check=False)


def test_a_nan_loss_without_a_cause_is_said_to_have_failed(tmp_path: Path) -> None:
    log = tmp_path / "epochs.csv"
    log.write_text("epoch,train_loss,val_loss\n0,1.2,1.1\n1,nan,nan\n2,nan,nan\n3,nan,nan\n")
    text = _diagnose(log, "text")
    assert "No fault established yet" in text.stdout
    assert "Yet the run failed" in text.stdout and "row 2 of epochs.csv" in text.stdout
    report = json.loads(_diagnose(log, "json").stdout)
    assert report["diagnoses"] == [] or not any(d["confidence"] >= 0.5
                                                for d in report["diagnoses"])
    assert len(report["unexplained"]) == 1 and "NaN" in report["unexplained"][0]


def test_a_finite_run_has_no_such_line(tmp_path: Path) -> None:
    log = tmp_path / "ok.csv"
    rows = "".join(f"{i},{1.0 / (i + 1)},{1.1 / (i + 1)}\n" for i in range(12))
    log.write_text("step,loss,val_loss\n" + rows)
    result = _diagnose(log, "json")
    assert "unexplained" not in json.loads(result.stdout)


def test_accuracy_at_chance_without_a_cause_is_said_to_have_failed(tmp_path: Path) -> None:
    # a new user's run stuck near a guess had exited 0 with nothing saying it failed
    log = tmp_path / "chance.csv"
    rows = "".join(f"{i},{2.303 + 0.01 * (-1) ** i:.4f},{2.302 + 0.004 * (-1) ** i:.4f},"
                   f"{0.1 + 0.003 * (-1) ** i:.4f}\n" for i in range(12))
    log.write_text("epoch,train_loss,val_loss,val_acc\n" + rows)
    report = json.loads(_diagnose(log, "json").stdout)
    assert not any(d["established"] for d in report["diagnoses"])
    assert any("chance" in line for line in report["unexplained"]), report.get("unexplained")
