"""Readings the forty-first hand set prompted, on real logs: a distillation log whose only
loss-like column is its KL term (``kd``, beside a cross-entropy ``ce``) keeps that term a KL,
so a negative value names the KL's inputs, not a generic loss contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log


def _distill_log(path: Path, kd: list[float]) -> Path:
    rows = [{"epoch": i, "kd": v, "ce": 1.8 - 0.02 * i, "val_ce": 1.75 - 0.01 * i,
             "val_acc": 0.28 + 0.015 * i} for i, v in enumerate(kd)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_distillation_kl_below_zero_is_read_as_a_kl(tmp_path: Path, cli: Any) -> None:
    log = _distill_log(tmp_path / "distill.jsonl", [-17.3 - 0.02 * i for i in range(12)])
    metrics = read_log(log)
    # `ce` is a cross-entropy's name (stop 72): the student's loss; the KL is read from `kd`
    assert metrics.get("loss").column == "ce" and metrics.get("kl").column == "kd"
    facts = {f.fact: f for f in curve_findings(metrics)}
    assert facts["loss.kl_part_negative"].value is True
    out = cli.run(["diagnose", "--log", str(log), "--no-input", "--format", "json"],
                  cwd=tmp_path)
    report = json.loads(out.stdout)
    assert out.returncode == 1 and report["diagnoses"][0]["cause"] == "kl_div_wrong_inputs"


def test_a_distillation_kl_above_zero_says_so(tmp_path: Path) -> None:
    log = _distill_log(tmp_path / "distill.jsonl", [0.9 - 0.05 * i for i in range(12)])
    facts = {f.fact: f for f in curve_findings(read_log(log))}
    assert facts["loss.kl_part_negative"].value is False
