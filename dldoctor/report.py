"""The report: findings, ranked diagnoses with evidence and fixes, open questions.

``Report.to_json()`` is the public JSON of ``diagnose --format json`` (schema
``dldoctor.report/1`` in contract.md): extend it, never rename a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dldoctor.engine import CONCLUDE_THRESHOLD
from dldoctor.engine.explain import Step
from dldoctor.engine.memory import Fact
from dldoctor.probes.evidence import localize

from . import words

if TYPE_CHECKING:
    from dldoctor.session import Session

__all__ = ["Report", "Diagnosis", "FixItem", "build_report", "REPORT_SCHEMA"]

REPORT_SCHEMA = "dldoctor.report/1"


@dataclass(frozen=True)
class FixItem:
    text: str
    snippet: str | None = None


@dataclass(frozen=True)
class Diagnosis:
    cause: str
    title: str
    confidence: float
    explanation: str
    evidence: list[str]
    fixes: list[FixItem]
    rules: list[str]
    sources: list[str]
    derivation: list[Step] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "title": self.title,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
            "fixes": [f.text + (f"\n{f.snippet}" if f.snippet else "") for f in self.fixes],
            "rules": self.rules,
            "sources": self.sources,
            "explanation": self.explanation,
            "fix_snippets": [f.snippet for f in self.fixes],
        }


@dataclass(frozen=True)
class Report:
    inputs: dict[str, Any]
    findings: list[Fact]
    diagnoses: list[Diagnosis]
    unanswered: list[tuple[str, str]]
    notes: list[str]
    lang: str = "en"

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "inputs": self.inputs,
            "findings": [f.to_json() for f in self.findings],
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "unanswered": [{"fact": f, "question": q} for f, q in self.unanswered],
            "notes": self.notes,
        }


def _evidence_line(session: Session, fact: Fact) -> str:
    spec = session.kb.facts[fact.id]
    text = spec.text.get(session.lang)
    line = f"{text}: {words.show_value(fact.value, session.lang, spec)}"
    if fact.evidence:
        line += f" — {localize(fact.evidence, session.lang)}"
    return line + f" [{fact.source}]"


def build_report(session: Session) -> Report:
    """Assemble the report from the session's current engine state."""
    engine, kb, lang = session.engine, session.kb, session.lang
    diagnoses = []
    for score in engine.conclusions(CONCLUDE_THRESHOLD):
        cause = kb.causes[score.cause]
        steps = session.how(score.cause)
        seen: set[str] = set()
        evidence: list[str] = []
        rules: list[str] = []
        for firing in score.firings:
            rules.append(firing.rule)
            for fact_id in firing.facts:
                fact = engine.memory.get(fact_id)
                if fact is not None and fact_id not in seen and not fact.source.startswith("rule:"):
                    seen.add(fact_id)
                    evidence.append(_evidence_line(session, fact))
        sources = list(dict.fromkeys(
            [s for r in rules for s in kb.rules[r].sources] + list(cause.sources)
        ))
        diagnoses.append(Diagnosis(
            cause=cause.id,
            title=cause.title.get(lang),
            confidence=score.confidence,
            explanation=cause.explanation.get(lang) if cause.explanation else "",
            evidence=evidence,
            fixes=[FixItem(f.text.get(lang), f.snippet) for f in cause.fixes],
            rules=list(dict.fromkeys(rules)),
            sources=sources,
            derivation=steps,
        ))
    findings = [f for f in engine.memory if f.origin != "inferred"]
    unanswered = [
        (q.fact, q.spec.question.get(lang) if q.spec.question else q.fact)
        for q in session.open_questions()
    ]
    notes = [
        f"probe {run.probe} failed: {run.error}" for run in session.probe_runs.values()
        if run.error
    ] + [n for run in session.probe_runs.values() for n in run.notes]
    return Report(session.inputs.to_json(), findings, diagnoses, unanswered, notes, lang)
