"""Smoke test of the hand-written benchmark: two real runs and the scorer (not the verdicts).

Trains one healthy and one broken hand run (the wine MLP, a few seconds each) into a
temporary folder with their own scripts, then scores them in the checkpoint + log mode with
the installed ``diagnose``. Checks the files each script leaves, that the scorer reads both
reports (exit 0 or 1, faults with confidences in [0, 1]) and that its totals count one
broken and one healthy run. dldoctor's answers are not checked: this benchmark measures
whatever it gives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.hand.score import SCRIPTS, command, diagnose, main

HEALTHY, BROKEN = "mlp_wine_ok", "mlp_wine_weight_decay"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hand")
    for name in (HEALTHY, BROKEN):
        subprocess.run([sys.executable, str(SCRIPTS / f"{name}.py"), "--out", str(out / name)],
                       check=True, capture_output=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    return out


def test_scripts_leave_what_dldoctor_reads(runs: Path) -> None:
    for name, healthy in ((HEALTHY, True), (BROKEN, False)):
        truth = json.loads((runs / name / "truth.json").read_text())
        assert truth["healthy"] is healthy and bool(truth["causes"]) is not healthy
        for key in ("checkpoint", "log", "batch"):
            assert (runs / name / truth["files"][key]).is_file()
        assert (runs / name / "model.py").read_text().count("def build(") == 1


def test_all_mode_passes_model_batch_and_complaint(runs: Path) -> None:
    truth = json.loads((runs / BROKEN / "truth.json").read_text())
    cmd = command(runs / BROKEN, truth, "all")
    assert cmd[cmd.index("--symptom") + 1] == truth["complaint"]
    assert cmd[cmd.index("--model") + 1].endswith("model.py:build")
    assert "--model" not in command(runs / BROKEN, truth, "ckpt_log")
    files = command(runs / BROKEN, truth, "files")
    assert "--model" in files and "--batch" in files and "--symptom" not in files


def test_scorer_reads_both_reports(runs: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    assert main(["--runs", str(runs), "--modes", "ckpt_log", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"| {HEALTHY} | ckpt_log | healthy |" in printed
    assert f"| {BROKEN} | ckpt_log | over_regularization |" in printed
    result = json.loads(out.read_text())
    assert result["totals"]["ckpt_log"]["broken"] == 1
    assert result["totals"]["ckpt_log"]["healthy"] == 1
    assert result["totals"]["ckpt_log"]["errors"] == 0
    for run in result["runs"]["ckpt_log"]:
        assert run["rc"] in (0, 1) and not run["error"]
        assert all(isinstance(c, str) and 0.0 <= conf <= 1.0 for c, conf in run["faults"])


def test_unreadable_run_is_an_error_not_a_crash(runs: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    truth = json.loads((runs / HEALTHY / "truth.json").read_text())
    (bad / "truth.json").write_text(json.dumps(truth))
    (bad / truth["files"]["checkpoint"]).write_text("not a checkpoint")
    (bad / truth["files"]["log"]).write_text("epoch,train_loss\n0,1.0\n")
    outcome = diagnose(bad, "ckpt_log")
    assert outcome.rc == 2 and outcome.error and outcome.verdict == "ERROR"
