"""The report: findings, ranked diagnoses with evidence and fixes, open questions.

``Report.to_json()`` is the public JSON of ``diagnose --format json`` (schema
``dldoctor.report/1`` in contract.md): extend it, never rename a key. :class:`ReportFile` is
its typed shape, for whoever reads a report back (:func:`read_report`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dldoctor.engine import (
    CONCLUDE_THRESHOLD,
    UNKNOWN,
    CauseScore,
    CauseSpec,
    Firing,
    combine_all,
)
from dldoctor.engine.conditions import compile_condition, test_leaf
from dldoctor.engine.cover import REPORT_THRESHOLD
from dldoctor.engine.explain import Step
from dldoctor.engine.knowledge import QUOTE
from dldoctor.engine.memory import Fact
from dldoctor.engine.model import AllOf, AnyOf, NotOf
from dldoctor.engine.values import MISSING
from dldoctor.error_texts import err, in_lang
from dldoctor.errors import InputError
from dldoctor.probes.evidence import localize
from dldoctor.session_file import SCHEMA_VERSION, InputsFile, one_line_error

from . import words
from .fix_fit import fit
from .limits import limits
from .sources import source_item
from .unexplained import unexplained

if TYPE_CHECKING:
    from dldoctor.session import Session

__all__ = ["Report", "Diagnosis", "Evidence", "FixItem", "WhyNot", "build_report",
           "REPORT_SCHEMA", "ReportFile", "read_report"]

REPORT_SCHEMA = "dldoctor.report/1"


@dataclass(frozen=True)
class FixItem:
    text: str
    snippet: str | None = None
    measured: bool = False  # quotes values measured or given in this session


@dataclass(frozen=True)
class Evidence:
    """One fact behind a cause, with the signed weight of the rules it fed (+ for, − against)."""

    fact: str
    text: str
    weight: float

    @property
    def sign(self) -> str:
        return "for" if self.weight >= 0 else "against"

    def to_json(self) -> dict[str, Any]:
        return {"fact": self.fact, "text": self.text, "weight": round(self.weight, 3),
                "sign": self.sign}


@dataclass(frozen=True)
class Diagnosis:
    cause: str
    title: str
    confidence: float
    explanation: str
    evidence: list[Evidence]
    fixes: list[FixItem]
    rules: list[str]
    sources: list[str]
    derivation: list[Step] = field(default_factory=list)
    kind: str = "fault"
    cover: str = "observed"
    rules_cf: float = 0.0
    explained_by: str | None = None
    #: the explaining cause's title, in the report's language
    explained_by_title: str | None = None

    @property
    def established(self) -> bool:
        """At or above the reporting threshold (a fault there makes the exit status 1)."""
        return self.confidence >= REPORT_THRESHOLD

    @property
    def percent(self) -> str:
        """The confidence as a whole percentage that never crosses the reporting threshold
        in rounding: 0.4996 below it reads "49%", not the "50%" an established one shows."""
        shown = round(self.confidence * 100)
        line = round(REPORT_THRESHOLD * 100)
        if not self.established and shown >= line:
            shown = line - 1
        return f"{shown}%"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "cause": self.cause,
            "title": self.title,
            "confidence": round(self.confidence, 3),
            "kind": self.kind,
            "established": self.established,
            "cover": self.cover,
            "rules_cf": round(self.rules_cf, 3),
            "explained_by": self.explained_by,
            "evidence": [e.text for e in self.evidence],
            "evidence_items": [e.to_json() for e in self.evidence],
            "fixes": [f.text + (f"\n{f.snippet}" if f.snippet else "") for f in self.fixes],
            "rules": self.rules,
            "sources": self.sources,
            "source_items": [source_item(s, lang) for s in self.sources],
            "explanation": self.explanation,
            "fix_snippets": [f.snippet for f in self.fixes],
        }


@dataclass(frozen=True)
class WhyNot:
    """Why a cause was not concluded (``--why-not``): each of its rules' state."""

    cause: str
    title: str
    certainty: float
    verdicts: list[dict[str, str]]  # {"rule", "state", "detail"}


@dataclass(frozen=True)
class Report:
    inputs: dict[str, Any]
    findings: list[Fact]
    diagnoses: list[Diagnosis]
    unanswered: list[tuple[str, str]]
    notes: list[str]
    lang: str = "en"
    advice: list[Diagnosis] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    why_not: list[WhyNot] = field(default_factory=list)
    #: what the artefacts left unchecked, said when no fault is established
    limits: list[str] = field(default_factory=list)
    #: what the report rests on (:data:`EXAMINED`): files measured, a complaint understood,
    #: answers given
    examined: list[str] = field(default_factory=list)
    #: failures measured that no established fault explains (said when none is established)
    unexplained: list[str] = field(default_factory=list)
    #: the symptoms the person described, in words (the text shows them above the diagnoses,
    #: or, when none is established, as what a complaint with no cause found still says)
    reported: list[str] = field(default_factory=list)
    #: symptoms read from the description that a measurement contradicted (the measurement
    #: is used; the text says so near the top, not only among the notes)
    overruled: list[str] = field(default_factory=list)

    @property
    def nothing_examined(self) -> bool:
        """Nothing measured, no symptom understood, nothing answered: no verdict at all."""
        return not self.examined

    @property
    def measured(self) -> bool:
        """Something besides the person's words was examined (a file, a probe)."""
        return bool(set(self.examined) - {"complaint", "answers"})

    @property
    def faults(self) -> list[Diagnosis]:
        """Diagnoses at or above the reporting threshold: what makes the exit status 1."""
        return [d for d in self.diagnoses if d.established]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "inputs": self.inputs,
            "findings": [{**f.to_json(), **({"evidence": localize(f.evidence, self.lang)}
                                             if f.evidence else {})} for f in self.findings],
            "diagnoses": [d.to_json(self.lang) for d in self.diagnoses],
            "advice": [d.to_json(self.lang) for d in self.advice],
            "conflicts": self.conflicts,
            "unanswered": [{"fact": f, "question": q} for f, q in self.unanswered],
            "notes": [localize(in_lang(n, self.lang), self.lang) for n in self.notes],
            "report_threshold": REPORT_THRESHOLD,
            "examined": self.examined,
            **({"limits": self.limits} if self.limits else {}),
            **({"unexplained": self.unexplained} if self.unexplained else {}),
            **({"reported": self.reported} if self.reported else {}),
            **({"overruled": self.overruled} if self.overruled else {}),
            **({"why_not": {w.cause: w.verdicts for w in self.why_not}} if self.why_not else {}),
        }


#: A quoted complaint longer than this is shown by its start and its end (a pasted
#: traceback had filled two screens of evidence; its error is on its last line)
QUOTE_CHARS, QUOTE_HEAD = 160, 50


def short_quote(evidence: str) -> str:
    """A quoted complaint on one line, at most :data:`QUOTE_CHARS` long (plus the ellipsis):
    its first words and its last ones."""
    if not (evidence.startswith("“") and evidence.endswith("”")):
        return evidence
    said = " ".join(evidence[1:-1].split())
    if len(said) > QUOTE_CHARS:
        said = f"{said[:QUOTE_HEAD].rstrip()} … {said[QUOTE_HEAD - QUOTE_CHARS:].lstrip()}"
    return f"“{said}”"


def _evidence_line(session: Session, fact: Fact) -> str:
    spec = session.kb.facts[fact.id]
    text = spec.text.get(session.lang)
    # a statement that does not hold is said so first: "Not so: the loss was NaN at the first
    # step" reads as the evidence it is, where "…: no" under a "for" read as the opposite
    if fact.value is False:
        line = spec.text_false.get(session.lang) if spec.text_false is not None else \
            words.word(session.lang, "not_so", text=text)
    else:
        line = f"{text}: {words.show_value(fact.value, session.lang, spec)}"
    if fact.evidence:
        line += f" — {short_quote(localize(fact.evidence, session.lang))}"
    return line + f" [{fact.source}]"


def _holding(condition: Any, value: Any, negated: bool = False) -> set[str]:
    """The facts whose tests made ``condition`` hold (an ``any``'s branches that failed are
    no reason; a test under ``not`` is one when it fails)."""
    if isinstance(condition, AllOf | AnyOf):
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        return set().union(*(_holding(c, value, negated) for c in parts))
    if isinstance(condition, NotOf):
        return _holding(condition.not_, value, not negated)
    seen = value(condition.fact)
    if seen is MISSING:
        return set()
    return {condition.fact} if test_leaf(condition, seen) != negated else set()


def _held_facts(session: Session, firing: Firing) -> list[str]:
    """The facts a firing used whose tests held (all it used when none is told apart), less
    those its rule was ``given`` (its scope, not its evidence)."""
    rule = session.kb.rules.get(firing.rule)
    held = _holding(rule.when, session.engine.memory.value) if rule is not None else set()
    given = set(rule.given) if rule is not None else set()
    used = [f for f in firing.facts if f in held] or list(firing.facts)
    return [f for f in used if f not in given]


def _grounds(session: Session, firing: Firing, setters: dict[tuple[str, str], Firing],
             seen: set[str]) -> list[str]:
    """The known facts behind a firing, in order; a fact another rule derived is replaced by
    the facts of the firing that set it (``setters``), so a conclusion cites what was
    measured or said."""
    found: list[str] = []
    for fact_id in _held_facts(session, firing):
        fact = session.engine.memory.get(fact_id)
        if fact is None or fact_id in seen:
            continue
        seen.add(fact_id)
        if not fact.source.startswith("rule:"):
            found.append(fact_id)
        elif (setter := setters.get((fact.source.removeprefix("rule:"), fact_id))) is not None:
            found += [f for f in _grounds(session, setter, setters, seen) if f not in found]
    return found


def _evidence(session: Session, firings: tuple[Firing, ...], cause: str) -> list[Evidence]:
    """The facts behind ``cause``, each with the summed signed strength of its firings;
    supporting evidence first (strongest first), then evidence against. A firing cites the
    facts whose tests held, not the branches of an ``any`` that failed."""
    strengths: dict[str, list[float]] = {}
    setters: dict[tuple[str, str], Firing] = {}  # (rule, fact it asserted) -> its firing
    for done in session.engine.firings:
        for fact_id in done.asserted:
            setters.setdefault((done.rule, fact_id), done)
    for firing in firings:
        signed = [s for c, s in firing.supports if c == cause]
        for fact_id in _grounds(session, firing, setters, set()):
            strengths.setdefault(fact_id, []).extend(signed)
    items = []
    for fact_id, cfs in strengths.items():
        fact = session.engine.memory.get(fact_id)
        assert fact is not None
        items.append(Evidence(fact_id, _evidence_line(session, fact), combine_all(cfs)))
    return sorted(items, key=lambda e: (e.weight < 0, -abs(e.weight)))


_QUOTE = QUOTE


def _fill(text: str, session: Session) -> str | None:
    """Replace ``{=fact}`` by the fact's value; None when a quoted fact is not known."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        fact = session.engine.memory.get(match.group(1))
        if fact is None or fact.value is UNKNOWN:
            missing = True
            return ""
        return words.show_value(fact.value, session.lang, session.kb.facts.get(fact.id))

    out = _QUOTE.sub(value, text)
    return None if missing else out


def _fixes(session: Session, cause: CauseSpec) -> list[FixItem]:
    """The cause's fixes in the session language; those quoting measurements first."""
    measured: list[FixItem] = []
    generic: list[FixItem] = []
    last: list[FixItem] = []
    value = session.engine.memory.value
    for fix in cause.fixes:
        quoted = bool(_QUOTE.search(fix.text.get(session.lang) + (fix.snippet or "")))
        if fix.when is not None and compile_condition(fix.when)(value) is not True:
            continue
        place = fit(fix.text.en, fix.snippet, value)  # written for another setup?
        if place == "drop":
            continue
        text = _fill(fix.text.get(session.lang), session)
        snippet = _fill(fix.snippet, session) if fix.snippet else None
        if text is None or (fix.snippet and snippet is None):
            continue
        item = FixItem(text, snippet, quoted or fix.when is not None or place == "first")
        (last if place == "last" else measured if item.measured else generic).append(item)
    return measured + generic + last


def _diagnosis(session: Session, score: CauseScore, confidence: float) -> Diagnosis:
    kb, lang = session.kb, session.lang
    cause = kb.causes[score.cause]
    rules = list(dict.fromkeys(f.rule for f in score.firings))
    sources = list(dict.fromkeys(
        [s for r in rules for s in kb.rules[r].sources] + list(cause.sources)
    ))
    return Diagnosis(
        cause=cause.id,
        title=cause.title.get(lang),
        confidence=confidence,
        explanation=cause.explanation.get(lang) if cause.explanation else "",
        evidence=_evidence(session, score.firings, score.cause),
        fixes=_fixes(session, cause),
        rules=rules,
        sources=sources,
        derivation=session.how(score.cause),
        kind=cause.kind,
        cover=score.cover,
        rules_cf=score.raw_cf,
        explained_by=score.explained_by,
        explained_by_title=kb.causes[score.explained_by].title.get(lang)
        if score.explained_by in kb.causes else None,
    )


#: What a report can rest on, in this order: a probe's artefact (by the first part of its
#: id), a complaint understood, answers (``--set``, ``--answers``, the questions).
EXAMINED = ("checkpoint", "log", "model", "trace", "complaint", "answers")
_EXAMINED_BY = {"checkpoint": "checkpoint", "log": "log", "live": "model", "trace": "trace",
                "symptom": "complaint", "given": "answers", "asked": "answers"}


def examined(session: Session) -> list[str]:
    """What the session's known facts came from (:data:`EXAMINED`); a probe that looked and
    could not tell, or a "don't know", examined nothing."""
    seen = set()
    for fact in session.engine.memory:
        if fact.origin == "inferred" or fact.value is UNKNOWN:
            continue
        key = fact.source.removeprefix("probe:").split(".", 1)[0] \
            if fact.origin == "probed" else fact.origin
        seen.add(_EXAMINED_BY.get(key, key))
    if any(a.kind == "symptom" for a in session.answers):  # a measurement may have won
        seen.add("complaint")
    return [k for k in EXAMINED if k in seen] + sorted(seen - set(EXAMINED))


#: What a probe reads, by the first part of its id: the conflict note names the artefact.
_MEASURED_FROM = {
    "log": ("the metrics log", "训练日志"),
    "checkpoint": ("the checkpoint", "checkpoint"),
    "live": ("the run on your batch", "在你的 batch 上的运行"),
    "trace": ("the training trace", "训练轨迹"),
}


def _conflict_note(session: Session, c: Any) -> str:
    """An answer a probe contradicted, in words: the fact's text (its id after it), who said
    it (you, or what your description implied) and what measured otherwise."""
    spec = session.kb.facts.get(c.fact)
    zh = session.lang == "zh"
    said = words.show_value(c.said, session.lang, spec)
    measured = words.show_value(c.measured, session.lang, spec)
    what = f"{spec.text.get(session.lang)} ({c.fact})" if spec is not None else c.fact
    probe = str(c.measured_by).removeprefix("probe:")
    source = _MEASURED_FROM.get(probe.split(".", 1)[0])
    where = (source[1] if zh else source[0]) if source else str(c.measured_by)
    implied = str(c.said_by).startswith("symptom:")
    if zh:
        who = f"你的描述意味着“{said}”" if implied else f"你的回答是“{said}”"
        return f"{what}：{who}，但{where}测得“{measured}”——采用测量值"
    who = f"your description implies {said}" if implied else f"you said {said}"
    return f"{what}: {who}, but {where} shows {measured} — the measurement is used"


def _once(notes: list[Any]) -> list[Any]:
    """Notes in order, each said once (two checks may note the same thing)."""
    kept: dict[str, Any] = {}
    for note in notes:
        kept.setdefault(str(note), note)
    return list(kept.values())


def build_report(session: Session, why_not: list[str] | None = None) -> Report:
    """Assemble the report from the session's current engine state.

    ``diagnoses`` are the faults (and the notes whose ``explains`` was observed) at or above
    the conclusion threshold, ranked by belief; ``advice`` the practice notes that explain
    nothing observed, ranked by their rules' certainty. Only established diagnoses (at or
    above :data:`REPORT_THRESHOLD`) make the exit status 1. ``why_not`` names causes whose
    (non-)conclusion the report explains.
    """
    engine, lang = session.engine, session.lang
    diagnoses, advice = [], []
    for score in engine.scores():
        if score.kind == "note" and score.cover != "observed":
            if score.raw_cf >= CONCLUDE_THRESHOLD:
                advice.append(_diagnosis(session, score, score.raw_cf))
        elif score.cf >= CONCLUDE_THRESHOLD:
            diagnoses.append(_diagnosis(session, score, score.cf))
    advice.sort(key=lambda d: (-d.confidence, d.cause))
    findings = [f for f in engine.memory if f.origin != "inferred"]
    unanswered = [
        (q.fact, q.spec.question.get(lang) if q.spec.question else q.fact)
        for q in session.open_questions()
    ]
    notes = [
        err("note.probe_failed", probe=run.probe, error=run.error)
        for run in session.probe_runs.values() if run.error
    ] + _once([n for run in session.probe_runs.values() for n in run.notes])
    conflicts = [c.to_json() for c in session.conflicts]
    notes += [_conflict_note(session, c) for c in session.conflicts]
    notes += [err("note.question_heard", text=q).in_lang(lang) for q in session.questions]
    explained = [
        WhyNot(cause, session.kb.causes[cause].title.get(lang), engine.cause_cf(cause),
               [{"rule": v.rule, "state": v.state, "detail": v.detail}
                for v in session.why_not(cause)])
        for cause in why_not or []
    ]
    established = any(d.established for d in diagnoses)
    seen = examined(session)
    told_only = [] if established or set(seen) - {"answers"} else \
        [err("report.answers_only").in_lang(lang)] if seen else []
    return Report(session.inputs.to_json(), findings, diagnoses, unanswered, notes, lang,
                  advice, conflicts, explained,
                  [] if established else told_only + limits(session), seen,
                  [] if established else unexplained(session), reported(session),
                  overruled(session))


def overruled(session: Session) -> list[str]:
    """The symptoms read from the description whose implied facts a measurement contradicted,
    in the session language, each once."""
    out: list[str] = []
    for conflict in session.conflicts:
        source = str(conflict.said_by)
        if source.startswith("symptom:") and source[8:] in session.kb.symptoms:
            text = session.symptom_title(source[8:])
            if text not in out:
                out.append(text)
    return out


def reported(session: Session) -> list[str]:
    """The symptoms the person described (a measurement may have overruled one: then it is
    not reported here), in the session language, in the order they were described."""
    out: list[str] = []
    for answer in session.answers:
        if answer.kind != "symptom":
            continue
        symptom = session.kb.symptoms[answer.key]
        held = all(getattr(session.engine.memory.get(f), "value", None) == v
                   for f, v in symptom.implies.items())
        text = session.symptom_title(answer.key)
        if held and text not in out:
            out.append(text)
    return out


# ---------------------------------------------------------------------- the JSON, typed


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")  # later versions may add keys (contract.md)


class FindingFile(_Part):
    fact: str
    value: Any = None
    source: str
    unknown: bool = False
    certainty: float = 1.0
    evidence: str = ""


class EvidenceFile(_Part):
    fact: str
    text: str
    weight: float
    sign: Literal["for", "against"]


class DiagnosisFile(_Part):
    cause: str
    title: str
    confidence: float = Field(ge=0, le=1)
    kind: Literal["fault", "note"] = "fault"
    established: bool = False
    cover: str = "observed"
    rules_cf: float = 0.0
    explained_by: str | None = None
    evidence: list[str] = Field(default_factory=list)
    evidence_items: list[EvidenceFile] = Field(default_factory=list)
    fixes: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    explanation: str = ""
    fix_snippets: list[str | None] = Field(default_factory=list)


class ConflictFile(_Part):
    fact: str
    said: Any = None
    measured: Any = None
    said_by: str
    measured_by: str


class QuestionFile(_Part):
    fact: str
    question: str


class ReportFile(_Part):
    """The JSON report of ``diagnose --format json``, typed (``schema_version`` 1)."""

    schema_: Literal["dldoctor.report/1"] = Field(alias="schema")
    schema_version: Literal[1] = 1
    inputs: InputsFile = Field(default_factory=InputsFile)
    findings: list[FindingFile] = Field(default_factory=list)
    diagnoses: list[DiagnosisFile] = Field(default_factory=list)
    advice: list[DiagnosisFile] = Field(default_factory=list)
    conflicts: list[ConflictFile] = Field(default_factory=list)
    unanswered: list[QuestionFile] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    report_threshold: float = REPORT_THRESHOLD
    examined: list[str] = Field(default_factory=list)
    why_not: dict[str, list[dict[str, str]]] = Field(default_factory=dict)


def read_report(path: Path) -> ReportFile:
    """Read a JSON report back; a wrong file is one :class:`InputError` line naming the
    file and the field."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(err("report.missing", path=path)) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(err("report.unreadable", path=path, first=first)) from None
    try:
        return ReportFile.model_validate(data)
    except ValidationError as exc:
        raise one_line_error(str(path), exc) from None
