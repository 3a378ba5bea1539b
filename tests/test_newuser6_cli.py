"""What a sixth new user, in a hurry, met in the installed command line: ``--set
optimizer.lr=0,001`` (a decimal comma) taken as a learning rate of 1, answers such as
"1e-3?" or "yes!" refused, a batch file that is no torch file called "not a checkpoint", a
pasted 40-line traceback quoted whole as evidence, Adam advice for an SGD run, and "No
problem found" from a one-row log with no word that almost nothing could be checked, a close
call answered "both" refused, and "what does that mean?" taken for no answer."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DIAGNOSE = shutil.which("diagnose") or "diagnose"
DATA = Path(__file__).parent / "data"


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
        "setup.loss_kind": ("bce with logits", "bce_logits"),  # not BCELoss on its first word
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


def _fixes(out: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    return {d["cause"]: d["fixes"] for d in json.loads(out.stdout)["diagnoses"]}


@pytest.mark.parametrize(("optimizer", "adam_advice"), [("sgd", False), ("adam", True)])
def test_learning_rate_fixes_fit_the_optimizer(tmp_path: Path, optimizer: str,
                                               adam_advice: bool) -> None:
    out = _run("--symptom", "the loss explodes after a few steps", "--set",
               f"optimizer.kind={optimizer}", "--no-input", "--format", "json", cwd=tmp_path)
    fixes = _fixes(out)["lr_too_high"]
    assert any(f.startswith("Divide the learning rate by 10") for f in fixes)
    assert any(f.startswith("With Adam") for f in fixes) is adam_advice


def test_scale_fixes_fit_a_tabular_regression(tmp_path: Path) -> None:
    out = _run("--symptom", "the loss does not go down", "--set", "target.not_normalized=yes",
               "--set", "input.not_normalized=no", "--set", "weights.has_conv=no",
               "--no-input", "--format", "json", cwd=tmp_path)
    fixes = _fixes(out)["input_not_normalized"]
    assert fixes[0].startswith("Normalise regression targets")  # what was found, first
    assert not any("images" in f or "transforms." in f for f in fixes)  # no conv, no images


def test_a_pasted_traceback_is_quoted_by_its_start_and_its_end(tmp_path: Path) -> None:
    traceback = (DATA / "pasted_cuda_traceback.txt").read_text("utf-8")  # 38 lines
    out = _run("--symptom", traceback, "--no-input", "--format", "markdown", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    quoted = [line for line in out.stdout.splitlines() if "“Traceback" in line]
    told, *evidence = quoted  # what you told me, then each piece of evidence
    assert told.startswith("- You said **“Traceback (most recent call last):")
    assert evidence and all(line.endswith("[symptom:target_out_of_bounds]")
                            for line in evidence)
    for line in quoted:  # one line each, its start and its end, not 60 lines
        assert " … " in line and "device-side assert triggered”" in line and len(line) < 400
    assert "**kwargs" not in told  # no stray emphasis


def test_no_problem_found_says_how_little_could_be_checked(tmp_path: Path) -> None:
    (tmp_path / "one.csv").write_text("step,train_loss\n0,2.30\n")
    out = _run("--log", "one.csv", "--no-input", "--why-not", "lr_too_low",
               "--save-session", ".", cwd=tmp_path)  # a folder: it had said "exists"
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "dldoctor-session.json").is_file()
    assert "the session is saved as dldoctor-session.json" in out.stderr
    head = out.stdout.split("\n\n")[0]
    assert head.startswith("No problem found.") and "But little could be checked:" in head
    assert "only 1 logged step of the training loss" in " ".join(head.split())
    why_not = " ".join(out.stdout[out.stdout.index("Why not lr_too_low"):].split())
    # what a rule waits on is named as well as its id ("needs loss.plateau" was all it said)
    assert re.search(r"waiting: needs [a-z][^();]* \(loss\.plateau\)", why_not), why_not
    assert "is don't know" not in why_not


def test_a_batch_without_targets_is_said_and_no_torch_file_is_no_checkpoint(
        tmp_path: Path) -> None:
    import torch

    torch.save(torch.randn(8, 20), tmp_path / "x.pt")
    (tmp_path / "model.py").write_text(
        "from torch import nn\n\ndef build():\n    return nn.Sequential(nn.Linear(20, 2))\n")
    (tmp_path / "acc.csv").write_text("epoch,acc\n1,0.5\n2,0.6\n")  # and no loss logged
    out = _run("--model", "model.py:build", "--batch", "x.pt", "--log", "acc.csv",
               "--no-input", "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    assert not any(d["established"] for d in report["diagnoses"])
    assert any("x.pt holds inputs but no targets" in x for x in report["limits"])
    assert any(x.startswith("the log has no loss column (only acc)") for x in report["limits"])

    (tmp_path / "log.csv").write_text("step,loss\n0,1\n")
    bad = _run("--model", "model.py:build", "--batch", "log.csv", "--no-input", cwd=tmp_path)
    assert bad.returncode == 2
    [line] = bad.stderr.splitlines()
    assert "log.csv: not a batch" in line and "checkpoint" not in line


def test_both_takes_both_and_what_does_that_mean_asks_why(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    dldoctor = shutil.which("dldoctor") or "dldoctor"
    save = tmp_path / "s.json"
    child = pexpect.spawn(dldoctor, ["diagnose", "--symptom", "my loss goes up and then nan",
                                     "--save-session", str(save)],
                          env={**os.environ, "COLUMNS": "80"}, encoding="utf-8", timeout=60)
    child.expect("Which of these do you mean")
    child.expect("> ")
    child.sendline("both")  # it had said "type a number from 0 to 2"
    child.expect("> ")  # the first question
    child.sendline("what does that mean?")  # as "why": it had said "not an answer"
    child.expect("It helps decide between")
    child.expect("> ")
    child.sendline("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)
    said = [a["key"] for a in json.loads(save.read_text())["answers"] if a["kind"] == "symptom"]
    assert sorted(said) == ["loss_nan", "loss_rising"]
