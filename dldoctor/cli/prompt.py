"""Plain terminal conversation for ``diagnose`` when a person is at the keyboard."""

from __future__ import annotations

import sys

from dldoctor.engine import ProbeRequest, Question
from dldoctor.engine.values import ValueProblem
from dldoctor.errors import one_line
from dldoctor.probes.base import ProbeContext
from dldoctor.probes.registry import ProbeInfo, get_probe
from dldoctor.session import ProbeRun, Session

__all__ = ["converse", "run_probes_with_progress", "ask"]

_HELP = {
    "en": "(answer, or: ? = don't know, why = why this is asked, skip, done)",
    "zh": "（请回答，或：? = 不知道，why = 为什么问，skip = 跳过，done = 结束提问）",
}


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


_RUNNING: list[ProbeContext] = []  # the context of the probe now running


def _note(line: str) -> None:
    """A warning raised while a probe runs: a note of that probe, not a line on stderr."""
    if _RUNNING and line not in _RUNNING[-1].notes:
        _RUNNING[-1].notes.append(line)


def _progress(info: ProbeInfo) -> ProbeContext:
    last = [-1]

    def show(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if sys.stderr.isatty() and pct != last[0]:
            last[0] = pct
            print(f"\r  {info.title}: {pct:3d}% {message[:50]:<50}", end="", file=sys.stderr,
                  flush=True)

    ctx = ProbeContext(progress=show)
    _RUNNING[:] = [ctx]
    return ctx


def _announce(run: ProbeRun) -> None:
    info = get_probe(run.probe)
    if sys.stderr.isatty():
        print("\r" + " " * 78 + "\r", end="", file=sys.stderr)
    if run.unreadable_input:
        return  # reported once, as the error that ends the run
    if run.error:
        _err(f"dldoctor: {info.title}: failed: {one_line(run.error)[:300]}")
    else:
        n = len(run.findings)
        _err(f"dldoctor: {info.title}: {n} finding{'s' if n != 1 else ''} ({run.seconds:.1f} s)")


def run_probes_with_progress(session: Session) -> list[ProbeRun]:
    """Run every probe the engine wants, reporting each on stderr (warnings become notes)."""
    from dldoctor.probes.quiet import warnings_to

    with warnings_to(_note):
        return session.run_probes(_progress, _announce)


def ask(session: Session, question: Question) -> str | None:
    """Ask one question on the terminal; return the raw answer, or None to stop asking."""
    spec = question.spec
    lang = session.lang
    assert spec.question is not None
    print()
    print(spec.question.get(lang))
    if spec.type == "enum":
        for i, choice in enumerate(spec.choices or [], 1):
            print(f"  {i}. {choice.text.get(lang)}")
    elif spec.type == "bool":
        print("  [y/n]")
    print("  " + _HELP[lang])
    while True:
        try:
            raw = input("> ").strip()
        except EOFError:
            return None
        if raw.lower() in {"done", "q", "quit", "结束"}:
            return None
        if raw.lower() in {"why", "why?", "为什么"}:
            print(session.why_text(question.fact))
            continue
        if raw.lower() == "skip":
            session.skip(question.fact)
            return ""
        if not raw:
            continue
        try:
            session.answer(question.fact, raw)
            return raw
        except ValueProblem as exc:
            print(f"  {exc}")


def converse(session: Session) -> None:
    """Alternate probes and questions until the engine has nothing more to learn."""
    while True:
        step = session.next_step()
        if isinstance(step, ProbeRequest):
            from dldoctor.probes.quiet import warnings_to

            with warnings_to(_note):
                run = session.run_probe(step.probe, _progress(get_probe(step.probe)))
            if run.unreadable_input:
                return  # diagnose reports the unreadable file and stops
            _announce(run)
        elif isinstance(step, Question):
            if ask(session, step) is None:
                return
        else:
            return
