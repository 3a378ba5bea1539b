"""Turn session things (answers, findings, explanations, diagnoses) into chat text.

Every value is shown by :meth:`Session.show_value`, in the session language, as the report
shows it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from dldoctor.report import short_quote
from dldoctor.wrap import cell_len

from .i18n import t

if TYPE_CHECKING:
    from dldoctor.report import Diagnosis
    from dldoctor.session import Answer, Inputs, ProbeRun, Session, Step

__all__ = [
    "answer_label", "why_markdown", "why_card_markdown", "how_markdown", "history_markdown",
    "findings_markdown", "inputs_summary", "evidence_markdown", "fixes_markdown",
    "brief_markdown", "what_was_undone", "nothing_concluded", "inline_literal",
]


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")


def inline_literal(text: str) -> str:
    """``text`` as Markdown that shows every character: an error's ``*.pt/*.pth`` lost its
    stars to italics, which hid what the folder should hold."""
    return _INLINE.sub(r"\\\1", text)


def answer_label(session: Session, fact_id: str, raw: Any) -> str:
    """What the person said, as the transcript shows it."""
    return session.answer_label(fact_id, raw)


def why_markdown(text: str) -> str:
    """``Session.why_text`` as Markdown: each line its own paragraph or list item."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            rule, _, because = line[2:].partition(": ")
            out.append(f"- `{rule}`: {because}" if because else line)
        else:
            if out and out[-1].startswith("- "):
                out.append("")
            out.extend([line, ""])
    return "\n".join(out).strip()


#: The rules a "why?" card lists; a question read by two dozen rules (did the loss turn NaN?)
#: filled several screens at 80x24 before the question came back, and four still pushed the
#: causes it decides between off a 24-line screen (a new user at stop 82).
WHY_RULES_SHOWN = 2
#: … and the causes it names, likeliest first: the NaN question named fifteen.
WHY_CAUSES_SHOWN = 5


def why_card_markdown(session: Session, fact: str) -> str:
    """Why ``fact`` is asked, for the chat: the causes it decides between and the rules that
    bear on the likeliest of them, at most :data:`WHY_RULES_SHOWN`; the rest are counted and
    ``dldoctor kb explain`` named to list them all."""
    why = session.why_ranked(fact)
    if len(why.causes) > WHY_CAUSES_SHOWN:  # the likeliest first (fifteen filled the card)
        why = dataclasses.replace(why, causes=why.causes[:WHY_CAUSES_SHOWN])
    if len(why.rules) <= WHY_RULES_SHOWN:
        return why_markdown(why.text(session.engine, session.lang))
    shown = dataclasses.replace(why, rules=why.rules[:WHY_RULES_SHOWN])
    left = len(why.rules) - WHY_RULES_SHOWN
    more = t(session.lang, "why_more_one" if left == 1 else "why_more", n=left, fact=fact)
    return why_markdown(shown.text(session.engine, session.lang)) + "\n\n" + more


def _source_words(session: Session, source: str) -> str:
    """Where a fact came from, in words: the probe's title, "you said", "the rule below"."""
    kind, _, name = source.partition(":")
    if kind == "probe":
        return session.probe_title(name)
    if kind == "rule":
        return t(session.lang, "how_from_rule")
    if kind == "symptom":
        return t(session.lang, "how_from_symptom")
    return t(session.lang, "how_from_user")


def _how_lines(session: Session, step: Step, depth: int) -> list[str]:
    """One rule of a derivation in words: its reasoning, then each fact it read with its
    value and where that came from (rule and fact ids are for ``dldoctor kb explain``)."""
    pad = "  " * depth
    out = [f"{pad}- ({step.cf:+.2f}) {step.because}"]
    for fact_id, value, source in step.facts:
        shown = session.show_value(fact_id, value)
        out.append(f"{pad}  - {session.fact_text(fact_id)}: **{shown}** — "
                   f"*{_source_words(session, source)}*")
    for premise in step.premises:
        out.extend(_how_lines(session, premise, depth + 1))
    return out


def how_markdown(session: Session, steps: list[Step]) -> str:
    """The derivation (the same content as ``Step.lines``) as a nested Markdown list."""
    return "\n".join(line for step in steps for line in _how_lines(session, step, 0))


def _answer_line(session: Session, answer: Answer) -> str:
    if answer.kind == "symptom":
        said = f" — {short_quote(f'“{answer.text}”')}" if answer.text else ""
        return f"- {session.symptom_title(answer.key)}{said}"
    return (f"- {session.fact_text(answer.key)}: "
            f"**{session.answer_label(answer.key, answer.raw)}**")


def history_markdown(session: Session) -> str:
    """What the session knows from the person and the probes, as a list."""
    lines = [_answer_line(session, a) for a in session.answers]
    for fact_id, value in session.given.items():
        shown = session.show_value(fact_id, value)
        lines.append(f"- {session.fact_text(fact_id)}: **{shown}**")
    for run in session.probe_runs.values():
        for finding in run.findings:
            lines.append(f"- {session.fact_text(finding.fact)}: "
                         f"**{session.show_value(finding.fact, finding.value)}** ({run.probe})")
    return "\n".join(lines)


def what_was_undone(session: Session, answer: Answer) -> str:
    return _answer_line(session, answer)[2:]


#: The checks that found nothing named on a probe's line before "… and N more"
CHECKED_SHOWN = 8
#: Readings (numbers, what holds) of one probe shown in the chat before "and N more".
READINGS_SHOWN = 12


def findings_markdown(session: Session, run: ProbeRun) -> str:
    """A probe's findings, one line each; the checks that found nothing (a "no") share one
    last line by name: a checkpoint scan's "no NaN, no zero matrix, no BatchNorm …" filled
    two screens at 80x24 with evidence that changed nothing (the report keeps it all)."""
    found, clear, untold = [], [], []
    for finding in run.findings:
        if finding.value is False:
            clear.append(session.fact_text(finding.fact))
            continue
        if session.untold(finding.value):  # "don't know — no validation loss in the log"
            untold.append(session.fact_text(finding.fact))
            continue
        shown = session.show_value(finding.fact, finding.value)
        line = f"- {session.fact_text(finding.fact)}: **{shown}**"
        if finding.evidence:
            line += f" — {session.said(finding.evidence)}"
        found.append((finding.value is not True, line))  # what holds first, then readings
    # a log's readings filled eight pages at 80x24 (a new user, stop 83): the first ones,
    # what holds first, and the count of the rest (the report has them all)
    found.sort(key=lambda pair: pair[0])
    lines = [line for _, line in found[:READINGS_SHOWN]]
    if len(found) > READINGS_SHOWN:
        lines.append(f"- {t(session.lang, 'readings_more', n=len(found) - READINGS_SHOWN)}")
    for names, key in ((clear, "checked_fine"), (untold, "checked_untold")):
        if names:
            # a long list is cut: thirty checks filled several screens
            named = names if len(names) <= CHECKED_SHOWN + 2 else \
                [*names[:CHECKED_SHOWN],
                 t(session.lang, "checked_more", n=len(names) - CHECKED_SHOWN)]
            joined = ("；" if session.lang == "zh" else "; ").join(named)
            lines.append(f"- {t(session.lang, key, facts=joined)}")
    lines.extend(f"- *{inline_literal(session.said(note))}*" for note in run.notes)
    return "\n".join(lines)


def inputs_summary(inputs: Inputs, lang: str, width: int | None = None,
                   refused: frozenset[str] = frozenset()) -> str:
    """A one-line list of the attached files, for the header; with ``width``, fitted into
    that many cells: the kinds' names go first, then the longest file names are shortened
    in their middle (an 80-column header had cut "model model.py:build" to "mod…"). A file
    in ``refused`` (its reader refused it) is marked ✗: it is attached but tells nothing."""
    files: list[tuple[str, str, str]] = []
    if inputs.checkpoint:
        files.append((t(lang, "kind_checkpoint"), inputs.checkpoint.name, str(inputs.checkpoint)))
    files.extend((t(lang, "kind_log"), p.name, str(p)) for p in inputs.logs)
    if inputs.model:
        files.append((t(lang, "kind_model"), inputs.model.rsplit("/", 1)[-1], ""))
    if inputs.batch:
        files.append((t(lang, "kind_batch"), inputs.batch.name, str(inputs.batch)))
    if inputs.trace:
        files.append((t(lang, "kind_trace"), inputs.trace.name, str(inputs.trace)))
    if not files:
        return t(lang, "no_inputs")
    marks = [" ✗" if path and path in refused else "" for _, _, path in files]
    full = " · ".join(f"{kind} {name}{mark}"
                      for (kind, name, _), mark in zip(files, marks, strict=True))
    if width is None or cell_len(full) <= width:
        return full
    names = [name for _, name, _ in files]
    while cell_len(" · ".join(n + m for n, m in zip(names, marks, strict=True))) > width:
        longest = max(range(len(names)), key=lambda i: cell_len(names[i]))
        if len(names[longest]) <= 5:
            break
        names[longest] = _shorter(names[longest])
    return " · ".join(n + m for n, m in zip(names, marks, strict=True))


def _shorter(name: str) -> str:
    """``name`` one character shorter, cut in its middle (its start and suffix stay)."""
    plain = name.replace("…", "")
    keep = len(plain) - 1 - 1  # one character less, and the ellipsis
    head = (keep + 1) // 2
    return f"{plain[:head]}…{plain[len(plain) - (keep - head):]}"


def nothing_concluded(inputs: Inputs, lang: str) -> str:
    """No cause concluded: ask for more words, and for the artefacts not attached yet (not
    for a checkpoint that is already there)."""
    missing = [key for key, given in (("missing_checkpoint", inputs.checkpoint),
                                      ("missing_log", inputs.logs),
                                      ("missing_live", inputs.model and inputs.batch))
               if not given]
    if not missing:
        return t(lang, "no_problem_all")
    names = [t(lang, key) for key in missing]
    said = t(lang, "missing_and").join(names[:-1])
    said = f"{said}{t(lang, 'missing_or')}{names[-1]}" if said else names[-1]
    if lang == "zh":  # a space between a Latin word and the Chinese around it
        said = re.sub(r"(?<=[A-Za-z])(?=[^\x00-\x7f、])|(?<=[^\x00-\x7f、])(?=[A-Za-z])", " ",
                      f"加{said}让")[1:-1]  # the words around it in the sentence
    return t(lang, "no_problem", missing=said)


def evidence_markdown(diagnosis: Diagnosis, lang: str = "en") -> str:
    """Evidence lines, each marked with its signed weight: for (+) or against (−)."""
    lines = []
    for e in diagnosis.evidence:
        word = t(lang, "ev_for") if e.weight >= 0 else t(lang, "ev_against")
        lines.append(f"- **{e.weight:+.2f} {word}** {inline_literal(e.text)}")
    return "\n".join(lines)


def brief_markdown(heading: str, diagnoses: list[Diagnosis], lang: str = "en") -> str:
    """One line per diagnosis — title, cause id, confidence, and the stronger cause that
    explains it (as the text report says) — under ``heading``."""
    lines = [heading]
    for d in diagnoses:
        by = " — " + t(lang, "explained_by", title=d.explained_by_title or d.explained_by) \
            if d.explained_by else ""
        lines.append(f"- **{d.title}** `{d.cause}` {d.percent}{by}")
    return "\n".join(lines)


def fixes_markdown(diagnosis: Diagnosis) -> str:
    out: list[str] = []
    for fix in diagnosis.fixes:
        out.append(f"- {inline_literal(fix.text)}")
        if fix.snippet:
            out.extend(["", "```python", fix.snippet.rstrip(), "```", ""])
    return "\n".join(out).strip()
