"""The trace probe and ``diagnose --trace``: loop bugs planted in tiny loops, read back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dldoctor.probes.trace_probe import trace_findings
from dldoctor.watcher.format import read_trace
from tests.support import forkcli
from tests.support.facts import check_findings
from tests.support.loops import run_loop

DIAGNOSE = shutil.which("diagnose") or "diagnose"

LOOP_FACTS = ("loop.grads_not_zeroed", "loop.trained_in_eval_mode", "loop.lr_collapsed_early",
              "loop.params_not_in_optimizer", "labels.out_of_range")


def _facts(tmp_path: Path, bug: str | None, **kw: int) -> dict[str, object]:
    path = tmp_path / f"{bug}.trace"
    run_loop(path, bug, **kw)
    findings = trace_findings(read_trace(path))
    loop = [f for f in findings if f.fact.startswith(("loop.", "labels.", "loss.counts"))]
    check_findings(loop, "trace.loop")  # declared, well typed, with evidence
    return {f.fact: f.value for f in findings}


def test_a_healthy_loop_shows_none_of_the_loop_bugs(tmp_path: Path) -> None:
    facts = _facts(tmp_path, None, steps=20)
    assert {k: facts[k] for k in LOOP_FACTS} == dict.fromkeys(LOOP_FACTS, False)
    assert facts["labels.class_zero_unused"] is False
    assert facts["loop.backwards_per_step"] == 1
    assert 0 < facts["update.ratio"] < 0.05


@pytest.mark.parametrize(("bug", "fact", "value"), [
    ("missing_zero_grad", "loop.grads_not_zeroed", True),
    ("train_in_eval_mode", "loop.trained_in_eval_mode", True),
    ("scheduler_step_per_batch", "loop.lr_collapsed_early", True),
    ("params_not_in_optimizer", "loop.params_not_in_optimizer", True),
    ("label_out_of_range", "labels.out_of_range", True),
    ("labels_from_one", "labels.class_zero_unused", True),
    ("grad_accum_unscaled", "loop.backwards_per_step", 4),
    ("grad_accum_unscaled", "loop.accum_loss_divided", False),
    ("rnn_state_not_detached", "loop.rnn_state_carried", True),
    ("loss_ignores_padding", "loss.counts_padding", True),
])
def test_each_planted_bug_sets_its_fact(tmp_path: Path, bug: str, fact: str,
                                        value: object) -> None:
    assert _facts(tmp_path, bug, steps=16)[fact] == value


def test_a_sequence_loop_that_skips_padding_is_told_apart(tmp_path: Path) -> None:
    # the rnn loop detaches nothing but uses ignore_index: the loss check says so
    facts = _facts(tmp_path, "rnn_state_not_detached")
    assert facts["loss.counts_padding"] is False
    assert facts["labels.dominant_value_share"] > 0.5


@pytest.mark.parametrize(("bug", "cause"), [
    ("missing_zero_grad", "missing_zero_grad"),
    ("train_in_eval_mode", "train_in_eval_mode"),
])
def test_diagnose_trace_names_the_bug_first(tmp_path: Path, bug: str, cause: str) -> None:
    run_loop(tmp_path / "run.trace", bug, steps=20)
    out = forkcli.run([DIAGNOSE, "--trace", "run.trace", "--no-input", "--format", "json"],
                      capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["inputs"].get("trace", "").endswith("run.trace")
    assert report["diagnoses"][0]["cause"] == cause
    assert any("probe:trace.loop" in e or "step" in e for e in report["diagnoses"][0]["evidence"])


def test_a_broken_trace_is_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.trace").write_text('{"type": "start", "schema": "dldoctor.trace/1"}\n'
                                        "oops\n{}\n")
    out = subprocess.run([DIAGNOSE, "--trace", "bad.trace", "--no-input"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.trace:2" in lines[0] and "Traceback" not in out.stderr


@pytest.mark.parametrize(("bug", "never_updated"), [("train_in_eval_mode", True), (None, False)])
def test_a_checkpoint_alone_shows_batchnorm_never_updated(tmp_path: Path, bug: str | None,
                                                         never_updated: bool) -> None:
    import torch

    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.static_probes import probe_weights

    model = run_loop(tmp_path / "run.trace", bug, steps=5)
    torch.save(model.state_dict(), tmp_path / "last.pt")
    found = probe_weights(Inputs(checkpoint=tmp_path / "last.pt"), ProbeContext())
    finding = next(f for f in found if f.fact == "weights.bn_never_updated")
    assert finding.value is never_updated and "BatchNorm" in finding.evidence
