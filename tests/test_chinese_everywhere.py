"""A Chinese session says no English sentence: the installed CLI in text, Markdown and JSON
on the bundled example and on tiny runs the tests train, saved and resumed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import forkcli
from tests.support.artefacts import train_tiny
from tests.support.english import english_runs, without_lines

DIAGNOSE = shutil.which("diagnose") or "diagnose"
EXAMPLE_COMPLAINT = "my loss suddenly turns into nan after a few dozen steps"


def _diagnose(*args: str | Path, cwd: Path, real: bool = False
              ) -> subprocess.CompletedProcess[str]:
    """The installed ``diagnose`` in Chinese: a real subprocess when ``real``, else the warm
    fork server (tests/support/forkcli.py), which skips the interpreter's start-up."""
    run = subprocess.run if real else forkcli.run
    out = run([DIAGNOSE, *map(str, args), "--lang", "zh", "--no-input", "--device", "cpu"],
              capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    return out


def _strings(data: Any, skip: frozenset[str] = frozenset({"inputs", "fix_snippets",
                                                          "title_en"})) -> list[str]:
    """Every string value of a JSON document except the file paths, the code and the
    sources' English titles (a field of their own)."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item, skip)]
    if isinstance(data, dict):
        return [s for k, v in data.items() if k not in skip for s in _strings(v, skip)]
    return []


def _code_lines(report: dict[str, Any]) -> set[str]:
    return {line.strip() for d in report["diagnoses"] + report["advice"]
            for snippet in d["fix_snippets"] if snippet for line in snippet.splitlines()}


def _leaks(args: list[str | Path], tmp_path: Path, formats: tuple[str, ...] = ("text",),
           real: bool = False) -> dict[str, list[str]]:
    """The English runs of each format of one diagnosis (json first, the others resumed)."""
    saved = tmp_path / "session.json"
    first = _diagnose(*args, "--format", "json", "--save-session", saved, cwd=tmp_path,
                      real=real)
    report = json.loads(first.stdout)
    for d in report["diagnoses"] + report["advice"]:  # sources: ids kept, titles added
        assert [s["id"] for s in d["source_items"]] == d["sources"]
        assert all(s["title"] and "《" in s["shown"] for s in d["source_items"]
                   if s["file"].endswith(".txt")), d["source_items"]
    code = _code_lines(report) | {EXAMPLE_COMPLAINT}
    shown = {"json": "\n".join(_strings(report)), "stderr": first.stderr}
    for fmt in formats:  # text also with the rules and why a cause was not found
        more = ["--explain", "--why-not", "lr_too_low"] if fmt == "text" else []
        out = _diagnose("--resume", saved, "--format", fmt, *more, cwd=tmp_path)
        shown[fmt] = out.stdout
    assert "为什么不是 lr_too_low" in shown["text"]
    assert "markdown" not in formats or shown["markdown"].startswith("# ")
    return {fmt: english_runs(without_lines(text.replace(EXAMPLE_COMPLAINT, "…"), code))
            for fmt, text in shown.items()}


def test_the_detector_finds_a_sentence_and_passes_identifiers() -> None:
    assert english_runs("备注：live probes use the factory's weights") == [
        "live probes use the factory's weights"]
    assert english_runs("原因 [lr_too_high] loss.initial = 1.26 — sgd lr=0.5（NaN/inf）") == []
    assert english_runs("用 `torch.nn.utils.clip grad norm` 裁剪 batch size") == []
    assert english_runs("loss 在 3 at it") == []  # a number breaks a run
    assert english_runs("the loss ends at 3 near its minimum") == ["the loss ends at",
                                                                   "near its minimum"]


@pytest.mark.parametrize("case", ["example", "nan_log", "live"])
def test_a_chinese_report_has_no_english_sentence(case: str, tmp_path: Path) -> None:
    formats: tuple[str, ...] = ("text",)  # Markdown renders the same texts: once is enough
    if case == "example":
        args: list[str | Path] = ["--example"]
        formats = ("text", "markdown")
    elif case == "nan_log":  # checkpoint and a log whose loss turns NaN
        run = train_tiny(tmp_path / "run", bug="lr_too_high", steps=30)
        args = ["--checkpoint", run.checkpoint, "--log", run.log]
    else:  # live probes on a model and a batch alone
        run = train_tiny(tmp_path / "run", bug="detached", steps=10)
        args = ["--model", run.model_spec, "--batch", run.batch, "--symptom", "loss 不下降"]
    leaks = _leaks(args, tmp_path, formats, real=case == "nan_log")  # one real subprocess
    assert leaks == {"json": [], "stderr": [], **{fmt: [] for fmt in formats}}


@pytest.mark.parametrize("bug", ["missing_zero_grad", "grad_accum_unscaled", "labels_from_one",
                                 "rnn_state_not_detached", "loss_ignores_padding",
                                 "nan_in_model", "params_not_in_optimizer"])
def test_the_loop_trace_is_said_in_chinese(bug: str, tmp_path: Path) -> None:
    from dldoctor.probes.evidence import Said, localize
    from dldoctor.probes.trace_probe import trace_findings
    from dldoctor.watcher.format import read_trace
    from tests.support.loops import run_loop

    run_loop(tmp_path / "run.trace", bug, steps=12)
    findings = trace_findings(read_trace(tmp_path / "run.trace"))
    assert findings and all(isinstance(f.evidence, Said) for f in findings if f.evidence)
    for f in findings:
        assert english_runs(localize(f.evidence, "zh")) == [], (f.fact, f.evidence)


def _zh_texts(obj: Any, path: str) -> list[tuple[str, str]]:
    """Every Chinese text under a knowledge-base object (titles, questions, fixes, whys …)."""
    zh = getattr(obj, "zh", None)
    if isinstance(zh, str):
        return [(path, zh)]
    if isinstance(obj, list | tuple):
        return [t for i, x in enumerate(obj) for t in _zh_texts(x, f"{path}[{i}]")]
    fields = getattr(type(obj), "model_fields", None)  # the rules' pydantic models
    if not fields:
        return []
    return [t for name in fields for t in _zh_texts(getattr(obj, name), f"{path}.{name}")]


def test_every_chinese_text_of_the_rules_is_chinese() -> None:
    from dldoctor.kbpaths import load_knowledge

    kb = load_knowledge()
    texts = [t for kind in ("facts", "symptoms", "causes", "rules")
             for key, obj in getattr(kb, kind).items() for t in _zh_texts(obj, f"{kind}.{key}")]
    assert len(texts) > 1000  # titles, questions, choices, explanations, fixes, becauses
    leaks = {path: runs for path, text in texts if (runs := english_runs(text))}
    assert leaks == {}
