"""Knowledge-base test cases: given facts (and complaints), expect causes.

A test file (``kb/tests/*.yaml``) holds ``cases``::

    cases:
      - name: NaN within the first 100 steps
        given: {loss.non_finite: true, loss.non_finite_step: 37}
        symptoms: ["loss becomes nan"]          # optional free-text complaints
        expect:
          top: lr_too_high                       # ranks first
          within: {exploding_gradients: 3}       # ranks in the top 3
          present: [lr_too_high]                 # concluded (cf >= 0.2)
          absent: [bad_weight_init]              # not concluded
      - name: a healthy run
        given: {loss.plateau: false}
        expect: {nothing: true}                  # concludes nothing at all
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import KBError, Problem
from .inference import Engine
from .knowledge import KnowledgeBase
from .loader import _plain, format_loc, position, read_yaml
from .memory import Fact
from .symptoms import match_symptoms
from .values import ValueProblem, parse_answer

__all__ = ["Expect", "Case", "CaseResult", "load_cases", "run_case", "facts_for"]


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    top: str | None = None
    within: dict[str, int] = Field(default_factory=dict)
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    nothing: bool = False


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    given: dict[str, Any] = Field(default_factory=dict)
    symptoms: list[str] = Field(default_factory=list)
    expect: Expect
    file: str = ""
    line: int = 0


class _CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseResult:
    """The outcome of one case: what was missing, what was unexpected, the ranking."""

    case: Case
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


def load_cases(path: Path) -> list[Case]:
    """Load a test file; raise :class:`KBError` with positions if it is malformed."""
    tree, problems = read_yaml(path)
    if problems:
        raise KBError(problems)
    try:
        parsed = _CaseFile.model_validate(_plain(tree))
    except ValidationError as exc:
        raise KBError([
            Problem(str(path), *position(tree, e["loc"]), format_loc(tree, e["loc"]),
                    str(e["msg"]))
            for e in exc.errors()
        ]) from None
    for index, case in enumerate(parsed.cases):
        case.file = str(path)
        case.line = position(tree, ["cases", index])[0]
    return parsed.cases


def facts_for(kb: KnowledgeBase, given: dict[str, Any], symptoms: list[str]) -> list[Fact]:
    """The facts a case (or a user) supplies: given values first, then matched symptoms."""
    facts = []
    for fact_id, raw in given.items():
        spec = kb.facts.get(fact_id)
        if spec is None:
            raise ValueProblem(f"unknown fact '{fact_id}'")
        facts.append(Fact(fact_id, parse_answer(spec, raw), "given", "given"))
    for text in symptoms:
        for match in match_symptoms(kb, text)[:1]:
            symptom = kb.symptoms[match.symptom]
            for fact_id, value in symptom.implies.items():
                facts.append(Fact(fact_id, value, "symptom", f"symptom:{symptom.id}",
                                  certainty=round(match.score / 100, 3),
                                  evidence=f'"{match.text}" ~ "{match.phrase}"'))
    return facts


def run_case(kb: KnowledgeBase, case: Case) -> CaseResult:
    """Chain the case's facts to a fixpoint and compare the ranking with the expectation."""
    engine = Engine(kb)
    engine.add_facts(facts_for(kb, case.given, case.symptoms))
    engine.run()
    concluded = engine.conclusions()
    ranking = [(s.cause, round(s.cf, 3)) for s in concluded]
    names = [c for c, _ in ranking]
    result = CaseResult(case, ranking=ranking, fired=[f.rule for f in engine.firings])
    expect = case.expect
    if expect.top is not None and (not names or names[0] != expect.top):
        result.missing.append(f"{expect.top} ranked first")
    for cause, k in expect.within.items():
        if cause not in names[:k]:
            result.missing.append(f"{cause} in the top {k}")
    for cause in expect.present:
        if cause not in names:
            result.missing.append(f"{cause} concluded")
    for cause in expect.absent:
        if cause in names:
            result.unexpected.append(f"{cause} concluded")
    if expect.nothing:
        result.unexpected.extend(f"{c} concluded" for c in names)
    return result
