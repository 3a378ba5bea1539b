"""What a sixth new user, in a hurry, met in the installed command line: ``--set
optimizer.lr=0,001`` (a decimal comma) taken as a learning rate of 1, answers such as
"1e-3?" or "yes!" refused, a batch file that is no torch file called "not a checkpoint", a
pasted 40-line traceback quoted whole as evidence, Adam advice for an SGD run, and "No
problem found" from a one-row log with no word that almost nothing could be checked."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DIAGNOSE, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, stdin=subprocess.DEVNULL)


def _findings(out: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return {f["fact"]: f["value"] for f in json.loads(out.stdout)["findings"]}


def test_set_takes_numbers_and_words_as_people_type_them(tmp_path: Path) -> None:
    given = {
        "optimizer.lr": ("0,001", 0.001),  # a decimal comma: it had been read as 1
        "optimizer.weight_decay": ("1,000", 1000.0),  # a thousands separator stays one
        "optimizer.momentum": ("0.9?", 0.9),
        "setup.batch_size": ("about a thousand", 1000.0),
        "setup.uses_fp16": ("yes!", True),
        "optimizer.kind": ("adamw", "adam"),
    }
    sets = [a for fact, (raw, _) in given.items() for a in ("--set", f"{fact}={raw}")]
    out = _run("--symptom", "the loss does not go down", "--no-input", "--format", "json",
               *sets, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    findings = _findings(out)
    assert {fact: findings[fact] for fact in given} == {f: v for f, (_, v) in given.items()}


def test_set_still_refuses_what_is_no_number(tmp_path: Path) -> None:
    out = _run("--symptom", "loss is nan", "--no-input", "--set", "optimizer.lr=lots",
               cwd=tmp_path)
    assert out.returncode == 2
    [line] = out.stderr.splitlines()
    assert "optimizer.lr" in line and "'lots'" in line
