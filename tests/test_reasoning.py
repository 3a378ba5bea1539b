"""How evidence becomes belief: faults vs notes, the cover, measurements before words, signs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine import load_kb
from dldoctor.engine.cover import ABSENT_CAP, OPEN_CAP, REPORT_THRESHOLD
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.session import Session
from tests.kbfactory import write_kb

BASE = """
facts:
  - {id: sym, type: bool, text: Symptom seen, question: "Seen?", probes: [log.curves]}
  - {id: ctx, type: bool, text: Context, question: "Context?"}
  - {id: other, type: bool, text: Other symptom, question: "Other?"}
  - {id: lr, type: number, text: LR, question: "LR?"}
  - {id: best, type: number, text: Best LR, askable: false}
causes:
  - id: fault1
    explains: {any: [{fact: sym, is: true}, {fact: other, is: true}]}
    title: Fault one
    fixes:
      - {text: "set lr to {=best} (now {=lr})", when: {fact: best, gt: 0}}
      - {text: generic fix}
    sources: ["t#1"]
  - id: note1
    kind: note
    explains: {fact: other, is: true}
    title: Note one
    fixes: [{text: advice}]
    sources: ["t#2"]
"""

RULES = """
- id: ctx_suggests_fault
  when: {fact: ctx, is: true}
  then: [{cause: fault1, cf: 0.9}, {cause: note1, cf: 0.8}]
  because: context
  sources: ["t#1"]
- id: symptom_against_nothing
  when: {fact: sym, is: false}
  then: [{cause: fault1, cf: -0.3}]
  because: no symptom
  sources: ["t#1"]
"""


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(load_kb([write_kb(tmp_path, RULES, base=BASE)]))


def _probe(findings: list[Finding]):  # noqa: ANN202 - a probe runner
    def run(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
        return findings
    return run


def test_a_fault_explaining_nothing_known_is_only_possible(session: Session) -> None:
    session.answer("ctx", "yes")
    score = next(s for s in session.engine.scores() if s.cause == "fault1")
    assert score.cover == "open" and score.raw_cf == pytest.approx(0.9)
    assert score.cf == pytest.approx(0.9 * OPEN_CAP) and score.cf < REPORT_THRESHOLD
    report = session.report()
    assert [d.cause for d in report.diagnoses] == ["fault1"] and not report.faults


def test_an_observed_symptom_lets_the_fault_stand(session: Session) -> None:
    session.answer("ctx", "yes")
    session.answer("other", "yes")
    report = session.report()
    assert [d.cause for d in report.faults] == ["fault1"]
    assert report.faults[0].confidence == pytest.approx(0.9)
    assert report.faults[0].cover == "observed"
    # the note explains only what the fault explains already: it keeps what the fault leaves
    note = next(s for s in session.engine.scores() if s.cause == "note1")
    assert note.cf == pytest.approx(0.8 * (1 - 0.9)) and note.explained_by == "fault1"


def test_a_healthy_observation_pulls_the_fault_below_the_threshold(session: Session) -> None:
    session.answer("ctx", "yes")
    session.answer("other", "no")
    session.run_probe("log.curves", runner=_probe([Finding("sym", False, "flat")]))
    score = next(s for s in session.engine.scores() if s.cause == "fault1")
    assert score.cover == "absent"
    assert 0 < score.cf <= score.raw_cf * ABSENT_CAP + 1e-9
    assert not session.report().diagnoses


def test_a_note_is_advice_until_what_it_explains_is_seen(session: Session) -> None:
    session.answer("ctx", "yes")
    report = session.report()
    assert [d.cause for d in report.advice] == ["note1"]
    assert report.advice[0].confidence == pytest.approx(0.8)
    assert "note1" not in [d.cause for d in report.diagnoses]


def test_evidence_carries_its_sign(session: Session) -> None:
    session.answer("ctx", "yes")
    session.run_probe("log.curves", runner=_probe([Finding("sym", False, "flat")]))
    session.answer("other", "yes")
    fault = session.report().diagnoses[0]
    signs = {e.fact: e.weight for e in fault.evidence}
    assert signs["ctx"] == pytest.approx(0.9) and signs["sym"] == pytest.approx(-0.3)
    assert [e.sign for e in fault.evidence] == ["for", "against"]
    items = fault.to_json()["evidence_items"]
    assert items[1]["sign"] == "against" and items[1]["weight"] == pytest.approx(-0.3)


def test_a_measurement_overrides_an_answer_and_the_conflict_is_shown(session: Session) -> None:
    session.answer("sym", "yes")
    session.run_probe("log.curves", runner=_probe([Finding("sym", False, "flat all along")]))
    assert session.engine.memory.get("sym").value is False
    [conflict] = session.conflicts
    assert (conflict.fact, conflict.said, conflict.measured) == ("sym", True, False)
    report = session.report()
    assert report.conflicts[0]["measured_by"] == "probe:log.curves"
    assert any("the measurement is used" in n for n in report.notes)


def test_a_probe_that_could_not_tell_gives_way_to_the_answer(session: Session) -> None:
    """The twenty-third new user: "your description implies yes, but the metrics log shows
    don't know — the measurement is used" — no measurement was there to use."""
    from dldoctor.engine.values import UNKNOWN

    session.answer("sym", "yes")
    session.run_probe("log.curves", runner=_probe([Finding("sym", UNKNOWN, "no accuracy")]))
    assert session.engine.memory.get("sym").value is True and not session.conflicts


def test_dont_know_leaves_a_measurable_fact_to_the_probe(tmp_path: Path) -> None:
    kb = load_kb([write_kb(tmp_path, RULES, base=BASE)])
    log = tmp_path / "train.csv"
    log.write_text("step,train_loss\n0,1.0\n")
    session = Session(kb, Inputs(logs=(log,)))
    session.answer("sym", "?")
    assert "sym" not in session.engine.memory  # the log probe can still measure it
    session.run_probe("log.curves", runner=_probe([Finding("sym", True, "seen")]))
    assert session.engine.memory.get("sym").value is True and not session.conflicts


def test_a_hedged_answer_about_a_measurable_fact_is_no_observation(tmp_path: Path) -> None:
    kb = load_kb([write_kb(tmp_path, RULES, base=BASE)])
    log = tmp_path / "train.csv"
    log.write_text("step,train_loss\n0,1.0\n")
    session = Session(kb, Inputs(logs=(log,)))
    session.answer("ctx", "yes")
    session.answer("sym", "yes")  # a probe on the given log could measure this
    assert session.engine.cover("fault1") == "open"
    assert not session.report().faults
    without_log = Session(kb)
    without_log.answer("ctx", "yes")
    without_log.answer("sym", "yes")  # nothing could measure it: the person's word stands
    assert without_log.engine.cover("fault1") == "observed"


def test_fixes_quote_measurements_first(session: Session) -> None:
    session.answer("ctx", "yes")
    session.answer("other", "yes")
    assert [f.text for f in session.report().diagnoses[0].fixes] == ["generic fix"]
    session.set_fact("lr", "0.5")
    session.run_probe("log.curves", runner=_probe([Finding("best", 0.1, "sweep")]))
    fixes = session.report().diagnoses[0].fixes
    assert fixes[0].text == "set lr to 0.1 (now 0.5)" and fixes[0].measured
    assert fixes[1].text == "generic fix"


# ---------------------------------------------------------------- through the installed CLI
def _diagnose(*args: str, real: bool = False) -> tuple[int, dict]:
    """The installed ``diagnose``'s JSON report: a real subprocess when ``real``, else the warm
    fork server (tests/support/forkcli.py), which skips the interpreter's start-up."""
    import json
    import shutil
    import subprocess

    from tests.support import forkcli

    exe = shutil.which("diagnose") or "diagnose"
    run = subprocess.run if real else forkcli.run
    out = run([exe, *args, "--format", "json", "--no-input", "--device", "cpu"],
              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout)


def _all_inputs(run) -> list[str]:  # noqa: ANN001 - tests.support.artefacts.Artefacts
    return ["--checkpoint", str(run.checkpoint), "--log", str(run.log), "--model",
            run.model_spec, "--batch", str(run.batch)]


def test_a_healthy_run_exits_0_with_no_established_fault(tmp_path: Path) -> None:
    from tests.support.artefacts import train_tiny

    rc, report = _diagnose(*_all_inputs(train_tiny(tmp_path, None)))
    assert rc == 0
    assert not [d for d in report["diagnoses"] if d["confidence"] >= 0.5]
    assert not any(d["established"] for d in report["diagnoses"])


def test_a_broken_run_is_established(tmp_path: Path) -> None:
    from tests.support.artefacts import train_tiny

    rc, report = _diagnose(*_all_inputs(train_tiny(tmp_path, "lr_too_high")), real=True)
    assert rc == 1
    first = report["diagnoses"][0]
    assert first["cause"] == "lr_too_high" and first["established"]
    assert first["cover"] == "observed"
    assert [d["cause"] for d in report["diagnoses"] if d["established"]] == ["lr_too_high"]


def test_the_fix_quotes_what_was_measured_on_the_bundled_example() -> None:
    """The sweep's best rate when the sweep found a lower one; otherwise the step size."""
    from dldoctor.numbers import num

    rc, report = _diagnose("--example")
    assert rc == 1
    first = report["diagnoses"][0]
    assert first["cause"] == "lr_too_high"
    measured = {f["fact"]: f["value"] for f in report["findings"]}
    if measured["lr_sweep.best_lr"] < measured["optimizer.lr"]:
        quote = f"Set the learning rate to {num(measured['lr_sweep.best_lr'])}"
    else:
        quote = f"One step now changes the weights by {num(measured['update.ratio'])}"
    assert first["fixes"][0].startswith(quote)
    weights = [e["weight"] for e in first["evidence_items"]]
    assert weights == sorted(weights, key=lambda w: (w < 0, -abs(w)))


def test_resume_with_a_new_log_measures_the_new_log(tmp_path: Path) -> None:
    from tests.support.writers import write_csv_log

    steps = list(range(40))
    healthy = write_csv_log(tmp_path / "ok.csv", {
        "step": steps, "train_loss": [2.0 * 0.95 ** s for s in steps]})
    nan = write_csv_log(tmp_path / "nan.csv", {
        "step": steps, "train_loss": [2.0 - 0.01 * s if s < 30 else float("nan") for s in steps]})
    saved = tmp_path / "s.json"
    _, first = _diagnose("--log", str(healthy), "--save-session", str(saved))
    findings = {f["fact"]: f["value"] for f in first["findings"]}
    assert findings["loss.non_finite"] is False
    _, again = _diagnose("--resume", str(saved), "--log", str(nan))
    findings = {f["fact"]: f["value"] for f in again["findings"]}
    assert findings["loss.non_finite"] is True and findings["loss.non_finite_step"] == 30
    assert again["inputs"]["logs"] == [str(nan)]
