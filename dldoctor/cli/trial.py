"""``dldoctor trial``: run the user's step on a batch, diagnose it, run it again with the fix.

Torch is imported only when the command runs (the CLI module stays light).
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from dldoctor.cli.app import ExitCode, app
from dldoctor.cli.options import (
    BatchOpt,
    CheckpointOpt,
    DeviceOpt,
    KbOpt,
    LangOpt,
    ModelOpt,
    TrustOpt,
    make_inputs,
    make_session,
    report_only_on_stdout,
)
from dldoctor.error_texts import err
from dldoctor.errors import InputError, UsageError

__all__ = ["trial", "curve_table", "LIVE_SECONDS"]

#: Time budget of each active live check (overfit, lr sweep) inside a trial: the trial's own
#: runs already show the curve, so the checks only need a rough answer.
LIVE_SECONDS = 3.0


def curve_table(before: list[float], after: list[float] | None, rows: int = 10
                ) -> list[dict[str, Any]]:
    """About ``rows`` rows of (step, loss as is, loss with the fix), first and last included."""
    n = len(before)
    picks = sorted({0, n - 1, *range(0, n, max(1, n // rows))}) if n else []
    out = []
    for i in picks:
        row: dict[str, Any] = {"step": i + 1, "as_is": _num(before[i])}
        if after is not None and i < len(after):
            row["fixed"] = _num(after[i])
        out.append(row)
    return out


def _num(value: float) -> float | str:
    return float(f"{value:.6g}") if math.isfinite(value) else str(value)


def _fmt(value: Any) -> str:
    return f"{value:10.4g}" if isinstance(value, float) else f"{value!s:>10}"


_TEXT = {
    "en": {"head": "Trial: {steps} steps of {step} on {batch} (seed {seed})",
           "standard": "the standard step",
           "diagnosis": "Diagnosis: {title}  [{cause}]  {confidence}",
           "no_diagnosis": "Diagnosis: no problem found",
           "fix": "Fix tried: {text}",
           "no_fix": "Fix tried: none (no diagnosis with a fix a trial can apply)",
           "step": "step", "as_is": "as is", "fixed": "fixed",
           "verified": "verified: the fix brought the loss from {x:.4g} to {y:.4g} in {steps} "
                       "steps",
           "not_verified": "not verified: with the fix the loss ended at {y:.4g} against {x:.4g} "
                           "as is, after {steps} steps",
           "nothing": "not verified: no fix to try",
           "medians": "(each loss: the median of a run's last {tail} steps)",
           "narrow": "One batch is a narrow test: a fix that helps real training can lose on "
                     "one batch (a missing zero_grad() can even fit it faster)."},
    "zh": {"head": "试跑：在 {batch} 上运行{step} {steps} 步（种子 {seed}）",
           "standard": "标准训练步",
           "diagnosis": "诊断：{title}  [{cause}]  {confidence}",
           "no_diagnosis": "诊断：没有发现问题",
           "fix": "试用的修改：{text}",
           "no_fix": "试用的修改：无（没有可在试跑中应用修改的诊断）",
           "step": "步", "as_is": "原样", "fixed": "修改后",
           "verified": "已验证：修改让 loss 在 {steps} 步内从 {x:.4g} 降到 {y:.4g}",
           "not_verified": "未验证：{steps} 步后，修改后的 loss 为 {y:.4g}，原样为 {x:.4g}",
           "nothing": "未验证：没有可试的修改",
           "medians": "（每个 loss 值：该次运行最后 {tail} 步的中位数）",
           "narrow": "单个 batch 只是很窄的检验：对真实训练有帮助的修改，在单个 batch 上可能反而"
                     "更差（缺少 zero_grad() 时甚至可能拟合得更快）。"},
}


#: The fixes a trial applies (dldoctor.watcher.trial.pick_fix), said in Chinese.
_FIX_ZH = {
    "call optimizer.zero_grad() before every step": "每一步之前调用 optimizer.zero_grad()",
    "call model.train() before every step": "每一步之前调用 model.train()",
    "clip the gradient norm to 1.0 before each step": "每一步之前把梯度范数裁剪到 1.0",
    "build the optimizer over every parameter": "让优化器包含所有参数",
    "SGD momentum 0.9": "SGD 动量 0.9",
}


def _fix_text(text: str, lang: str) -> str:
    """A trial's fix in ``lang`` (the JSON keeps the English text)."""
    if lang != "zh":
        return text
    if text.startswith("learning rate "):
        return "学习率 " + text.removeprefix("learning rate ")
    return _FIX_ZH.get(text, text)


def _said(key: str, lang: str, **values: Any) -> str:
    return _TEXT.get(lang, _TEXT["en"])[key].format(**values)


def _render(result: dict[str, Any], lang: str = "en", width: int = 88) -> str:
    """The trial as text in ``lang``, its sentences wrapped to ``width`` (the JSON keeps its
    English ``message``)."""
    from dldoctor.render import head_lines
    from dldoctor.wrap import wrap

    def said(key: str, **values: Any) -> list[str]:
        return wrap(_said(key, lang, **values), width, "", "  ")

    step = result["step"] if result["step"] != _TEXT["en"]["standard"] else \
        _said("standard", lang)
    if lang == "zh" and result["step"] != _TEXT["en"]["standard"]:
        step = f" {step}"  # a space between the Chinese and the file name
    lines = said("head", steps=result["steps"], step=step, batch=result["batch"],
                 seed=result["seed"])
    diag = result["diagnosis"]
    if diag:  # the title wraps; its cause and confidence stay together
        title, _, gauge = _said("diagnosis", lang, title=diag["title"], cause=diag["cause"],
                                confidence=f"{diag['confidence']:.0%}").partition("  [")
        lines += head_lines(title, "[" + gauge, width, "  ")
    else:
        lines += said("no_diagnosis")
    fix = result["fix"]
    lines += said("fix", text=_fix_text(fix["text"], lang)) if fix else said("no_fix")
    lines.append("")
    header = f"{_right(_said('step', lang), 6)} {_right(_said('as_is', lang), 10)}"
    lines.append(header + (f" {_right(_said('fixed', lang), 10)}" if fix else ""))
    for row in result["table"]:
        line = f"{row['step']:>6} {_fmt(row['as_is'])}"
        if "fixed" in row:
            line += f" {_fmt(row['fixed'])}"
        lines.append(line)
    lines += ["", *wrap(_verdict_text(result, lang), width, "", "  ")]
    if result.get("losses"):  # the verdict's numbers are medians, not the table's last row
        lines += said("medians", tail=max(1, int(result["steps"]) // 10))
        if not result["verified"]:
            lines += said("narrow")
    return "\n".join(lines) + "\n"


def _right(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` columns (a Chinese character takes two)."""
    from dldoctor.wrap import cell_len

    return " " * max(0, width - cell_len(text)) + text


def _verdict_text(result: dict[str, Any], lang: str) -> str:
    losses = result.get("losses")
    if result["verified"] is None or not losses:
        return _said("nothing", lang)
    key = "verified" if result["verified"] else "not_verified"
    return _said(key, lang, x=losses["as_is"], y=losses["fixed"], steps=result["steps"])


@app.command()
def trial(
    model: ModelOpt = None,
    batch: BatchOpt = None,
    step: Annotated[str | None, typer.Option(
        "--step", metavar="FILE:FUNC",
        help="FILE.py:FUNC, called as FUNC(model, optimizer, inputs, targets) -> loss "
        "once per step (a make_optimizer(model) beside it builds the optimizer).")] = None,
    checkpoint: CheckpointOpt = None,
    steps: Annotated[int, typer.Option("--steps", metavar="N", help="Steps per run.", min=2)] = 200,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Seed of both runs.")] = 0,
    device: DeviceOpt = "auto",
    format_: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                                help="text or json.")] = "text",
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR",
        help="Folder for the two traces (trial.trace, fixed.trace); else a temp one.")
    ] = None,
    kb: KbOpt = None,
    lang: LangOpt = "en",
    trust_checkpoint: TrustOpt = False,
) -> None:
    """Run your step on a batch under the watcher; if a fix is proposed, run it and compare."""
    if format_ not in ("text", "json"):
        raise UsageError(err("opt.format", allowed=err("or2", a="text", b="json"), value=format_))
    if model is None or batch is None:
        raise UsageError(err("trial.needs"))
    inputs = make_inputs(checkpoint, None, model, batch, device, trust_checkpoint)
    with report_only_on_stdout():  # the user's step and model may print
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            result = _trial(inputs, step, steps, seed, out, kb, lang)
        else:
            with tempfile.TemporaryDirectory(prefix="dldoctor-trial-") as tmp:
                result = _trial(inputs, step, steps, seed, Path(tmp), kb, lang)
    if format_ == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        from dldoctor.cli.diagnose import report_width

        print(_render(result, lang, report_width()), end="")
    raise typer.Exit(ExitCode.DIAGNOSED if result["diagnosis"] else ExitCode.HEALTHY)


def _trial(inputs: Any, step: str | None, steps: int, seed: int, folder: Path,
           kb: list[Path] | None, lang: str) -> dict[str, Any]:
    from dldoctor.session import ProbeContext
    from dldoctor.watcher.format import read_trace
    from dldoctor.watcher.trial import TrialSpec, pick_fix, run_steps, verdict

    spec = TrialSpec.load(inputs, step, seed)
    before = _run(run_steps, spec, steps, folder / "trial.trace", None, step)
    session = make_session(dataclasses.replace(inputs, trace=folder / "trial.trace"),
                           kb_paths=kb, lang=lang, answers=None, sets=None, symptoms=None)
    from dldoctor.cli.prompt import announcement  # the lines diagnose prints, in --lang

    session.run_probes(lambda info: ProbeContext(max_seconds=LIVE_SECONDS),
                       lambda run: print(announcement(run, session), file=sys.stderr))
    report = session.report()
    groups = read_trace(folder / "trial.trace").start.get("optimizer", {}).get("groups") or [{}]
    current_lr = float(groups[0].get("lr") or 1e-3)
    fix, diagnosis = None, None
    for d in report.diagnoses:
        fix = pick_fix(d.cause, session, current_lr)
        if fix is not None:
            diagnosis = d
            break
    diagnosis = diagnosis or (report.diagnoses[0] if report.diagnoses else None)
    after = _run(run_steps, spec, steps, folder / "fixed.trace", fix, step) if fix else None
    losses = None
    if after is not None:
        verified, x, y = verdict(before, after)
        losses = {"as_is": x, "fixed": y}
        message = _said("verified" if verified else "not_verified", "en", x=x, y=y, steps=steps)
    else:
        verified, message = None, _said("nothing", "en")
    return {
        "schema": "dldoctor.trial/1", "steps": steps, "seed": seed,
        "step": step or _said("standard", "en"), "batch": str(inputs.batch),
        "diagnosis": ({"cause": diagnosis.cause, "title": diagnosis.title,
                       "confidence": round(diagnosis.confidence, 3)} if diagnosis else None),
        "fix": {"cause": fix.cause, "text": fix.text} if fix else None,
        "verified": verified, "message": message, "losses": losses,
        "curves": {"as_is": [_num(v) for v in before],
                   "fixed": [_num(v) for v in after] if after is not None else None},
        "table": curve_table(before, after),
        "report": report.to_json(),
    }


def _run(run_steps: Any, spec: Any, steps: int, trace: Path, fix: Any, step: str | None
         ) -> list[float]:
    try:
        return list(run_steps(spec, steps, trace, fix))
    except InputError:
        raise
    except Exception as exc:  # the user's step or model may raise anything
        where = err("trial.step", step=step) if step else err("trial.standard")
        raise InputError(err("trial.failed", where=where, kind=type(exc).__name__,
                             reason=" ".join(str(exc).split())[:200])) from None
