"""Plain terminal conversation for ``diagnose`` when a person is at the keyboard."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from typing import TextIO

from dldoctor.error_texts import in_lang
from dldoctor.errors import one_line
from dldoctor.session import (
    Answer,
    NeedsChoice,
    ProbeContext,
    ProbeRequest,
    ProbeRun,
    Question,
    Session,
    SymptomMatch,
    ValueProblem,
    warnings_to,
)
from dldoctor.wrap import cell_len, wrap

__all__ = ["converse", "run_probes_with_progress", "ask", "progress_line", "announcement",
           "choose_symptom"]

_T = {
    "en": {
        "help": "(answer, or: ? = don't know, why = why asked, back = undo, skip, done)",
        "took_back": "Took back: {what}",
        "nothing_back": "No answer of yours to take back yet.",
        "yes_no": "[y = yes / n = no]",
        "failed": "dldoctor: {title}: failed: {error}",
        "found": "dldoctor: {title}: {n} {what} ({seconds:.1f} s)",
        "finding": "finding", "findings": "findings",
    },
    "zh": {
        "help": "（请回答，或：? = 不知道，why/为什么 = 为什么问，back/返回 = 撤回上一个回答，"
                "skip/跳过，done/结束 = 结束提问）",
        "took_back": "已撤回：{what}",
        "nothing_back": "还没有可撤回的回答。",
        "yes_no": "[y = 是 / n = 否]",
        "failed": "dldoctor：{title}：失败：{error}",
        "found": "dldoctor：{title}：{n} 项发现（{seconds:.1f} 秒）",
        "finding": "", "findings": "",
    },
}
_CLOSE_CALL = {
    "en": ("Which of these do you mean by “{piece}”? (a number; 0 = none of these)",
           "0. none of these", "type a number from 0 to {n}"),
    "zh": ("“{piece}”指的是哪一个？（输入编号；0 = 都不是）", "0. 都不是",
           "请输入 0 到 {n} 之间的编号"),
}
#: Why a close call is put to the person, and what skip and back do there.
_CLOSE_CALL_WHY = {
    "en": ("Your words read about equally well as each of these symptoms, and each leads to "
           "other causes and checks: dldoctor asks rather than guesses. skip or done takes "
           "none of them."),
    "zh": "你的描述与这几个症状几乎一样接近，而每个症状通向不同的原因和检查：与其猜，不如问你。"
          "输入 skip/跳过 或 done/结束 则一个都不选。",
}


def _t(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


_RUNNING: list[ProbeContext] = []  # the context of the probe now running


def _note(line: str) -> None:
    """A warning raised while a probe runs: a note of that probe, not a line on stderr."""
    if _RUNNING and line not in _RUNNING[-1].notes:
        _RUNNING[-1].notes.append(line)


def _columns() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (CJK counts two), with … when cut."""
    if cell_len(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width - 1:
            break
        out, used = out + ch, used + size
    return out + "…"


def progress_line(title: str, fraction: float, message: str, width: int) -> str:
    """One progress line that fits the terminal: ``  title:  42% message``.

    The title gives way before the percentage; the note only takes the room that is left.
    The last column stays empty (writing it wraps the line on some terminals).
    """
    room = width - 1
    tail = f": {max(0, min(100, int(fraction * 100))):3d}%"
    line = "  " + _fit(title, max(8, room - 2 - cell_len(tail))) + tail
    left = room - cell_len(line) - 1
    if message and left > 4:
        line += " " + _fit(message, left)
    return line


def _progress(probe: str, session: Session) -> ProbeContext:
    """Progress on stderr that rewrites itself on a terminal (and prints nothing otherwise)."""
    last = [-1]
    lang = session.lang
    title = session.probe_title(probe)

    def show(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if sys.stderr.isatty() and pct != last[0]:
            last[0] = pct
            note = message if lang == "en" else ""  # the probes' notes are English
            line = progress_line(title, fraction, note, _columns())
            print("\r\x1b[2K" + line, end="", file=sys.stderr, flush=True)

    ctx = ProbeContext(progress=show)
    _RUNNING[:] = [ctx]
    return ctx


def announcement(run: ProbeRun, session: Session) -> str:
    """The line that says what a probe found (or why it failed), in the session language."""
    t = _t(session.lang)
    title = session.probe_title(run.probe)
    if run.error:
        return t["failed"].format(title=title,
                                 error=one_line(in_lang(run.error, session.lang))[:300])
    n = len(run.findings)
    return t["found"].format(title=title, n=n, what=t["finding" if n == 1 else "findings"],
                             seconds=run.seconds)


def _announce(run: ProbeRun, session: Session) -> None:
    if sys.stderr.isatty():
        print("\r\x1b[2K", end="", file=sys.stderr)  # erase the progress line
    if run.unreadable_input:
        return  # reported once, as the error that ends the run
    _err(announcement(run, session))


def run_probes_with_progress(session: Session) -> list[ProbeRun]:
    """Run every probe the engine wants, reporting each on stderr (warnings become notes)."""
    with warnings_to(_note):
        return session.run_probes(lambda info: _progress(info.id, session),
                                  lambda run: _announce(run, session))


def _talk() -> TextIO:
    """Where the conversation goes: stdout on a terminal, else stderr — stdout redirected to
    a file or pipe carries the report alone (one JSON document with ``--format json``)."""
    return sys.stdout if sys.stdout.isatty() else sys.stderr


def _print(text: str = "") -> None:
    print(text, file=_talk(), flush=True)


def _read(prompt: str) -> str:
    """``input`` on a terminal; with stdout redirected, the prompt goes where the questions
    go (stderr) and the answer is read from stdin as a line."""
    if sys.stdout.isatty():
        return input(prompt)
    _talk().write(prompt)
    _talk().flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _say(text: str, indent: str = "", hang: str = "") -> None:
    """Print ``text`` wrapped to the terminal (CJK counts two columns)."""
    for line in wrap(text, max(40, _columns() - 1), indent, indent + hang):
        _print(line)


#: Replies that take back the last answer given in this conversation.
BACK_WORDS = frozenset({"back", "undo", "返回", "撤回", "撤销"})


def ask(session: Session, question: Question,
        read: Callable[[str], str] = _read, keep: int = 0) -> str | None:
    """Ask one question on the terminal; return the raw answer ("" after skip or back), or
    None to stop asking. ``back`` takes back the last answer unless only ``keep`` answers
    are left (those given on the command line)."""
    spec = question.spec
    lang = session.lang
    t = _t(lang)
    text = spec.question.get(lang) if spec.question else spec.text.get(lang)
    _print()
    _say(text)
    if spec.type == "enum":
        for i, choice in enumerate(spec.choices or [], 1):
            _say(f"{i}. {choice.text.get(lang)}", "  ")
    elif spec.type == "bool":
        _print("  " + t["yes_no"])
    _say(t["help"], "  ")
    while True:
        try:
            raw = read("> ").strip()
        except EOFError:
            return None
        reply = session.reply_word(raw)
        if reply == "done":
            return None
        if reply == "why":
            for line in session.why_text(question.fact).splitlines():
                _say(line, "", "  " if line.startswith("- ") else "")
            _print()
            _say(text)  # the question again: the reason can fill a screen of 24 rows
            if spec.type == "bool":
                _print("  " + t["yes_no"])
            continue
        if reply == "skip":
            session.skip(question.fact)
            return ""
        if raw.lower() in BACK_WORDS:
            if len(session.answers) <= keep:
                _say(t["nothing_back"], "  ")
                continue
            last = session.answers[-1]
            session.undo()
            _say(t["took_back"].format(what=_answer_shown(session, last)), "  ")
            return ""
        if not raw:
            continue
        try:
            session.answer(question.fact, raw)
            return raw
        except ValueProblem:
            _say(session.answer_problem(question.fact, raw) or raw, "  ")


def _answer_shown(session: Session, answer: Answer) -> str:
    """A taken-back answer as the person gave it: the question's fact and the reply."""
    if answer.kind != "fact":
        return answer.text or answer.key
    return f"{session.fact_text(answer.key)}: {session.answer_label(answer.key, answer.raw)}"


def converse(session: Session) -> None:
    """Alternate probes and questions until the engine has nothing more to learn."""
    keep = len(session.answers)  # given with --set, --answers or --symptom: not taken back
    while True:
        step = session.next_step()
        if isinstance(step, ProbeRequest):
            with warnings_to(_note):
                run = session.run_probe(step.probe, _progress(step.probe, session))
            if run.unreadable_input:
                return  # diagnose reports the unreadable file and stops
            _announce(run, session)
        elif isinstance(step, Question):
            if ask(session, step, keep=keep) is None:
                return
        else:
            return


def choose_symptom(session: Session, choice: NeedsChoice,
                   read: Callable[[str], str] = _read) -> SymptomMatch | None:
    """Put a close call of a complaint to the person: which symptom did they mean?"""
    question, none, again = _CLOSE_CALL.get(session.lang, _CLOSE_CALL["en"])
    _print()
    _say(question.format(piece=choice.piece))
    for i, match in enumerate(choice.options, 1):
        _say(f"{i}. {session.symptom_title(match.symptom)}", "  ")
    _say(none, "  ")
    while True:
        try:
            raw = read("> ").strip()
        except EOFError:
            return None
        reply = session.reply_word(raw)
        if reply in ("skip", "done"):
            return None
        if reply == "why":
            _say(_CLOSE_CALL_WHY.get(session.lang, _CLOSE_CALL_WHY["en"]), "  ")
            continue
        if raw.lower() in BACK_WORDS:  # nothing answered yet: the questions come after this
            _say(_t(session.lang)["nothing_back"], "  ")
            continue
        chosen = session.choice_numbers(raw, len(choice.options))
        if chosen is not None:  # "2", "the first one", "both", 都是
            for extra in chosen[1:]:  # several meant: the others are taken as they are
                match = choice.options[extra - 1]
                session.add_symptom(match.symptom, match.text, match.score)
            return choice.options[chosen[0] - 1] if chosen[0] else None
        _say(again.format(n=len(choice.options)), "  ")  # not silently asked again
