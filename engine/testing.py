"""Knowledge-base test cases: given facts (and complaints), expect causes.

A test file (``kb/tests/*.yaml``, or ``tests/`` beside a team's rules) holds ``cases`` and,
optionally, a ``healthy`` corpus that must conclude nothing::

    cases:
      - name: NaN within the first 100 steps
        given: {loss.non_finite: true, loss.non_finite_step: 37}   # values or typed answers
        symptoms: ["loss becomes nan"]          # optional free-text complaints
        expect:
          top: lr_too_high                       # ranks first
          ranked: [lr_too_high, exploding_gradients]   # concluded, in this order
          within: {exploding_gradients: 3}       # ranks in the top 3
          present: [lr_too_high]                 # concluded (cf >= 0.2)
          absent: [bad_weight_init]              # not concluded
          unestablished: [exploding_gradients]   # below 0.5: at most possible
          fires: [nan_early_means_lr]            # these rules fire
          nothing: false                         # true: concludes nothing at all
    healthy:                                     # each must conclude nothing
      - name: a run that trains fine
        given: {loss.non_finite: false}

``given`` values may be what a person would type (``yes``, ``3e-4``, ``don't know``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .certainty import CONCLUDE_THRESHOLD
from .cover import REPORT_THRESHOLD
from .errors import KBError, Problem
from .inference import Engine
from .knowledge import KnowledgeBase
from .loader import _plain, format_loc, position, read_yaml
from .memory import Fact
from .symptoms import match_symptoms, symptoms_named
from .values import ValueProblem, parse_answer

__all__ = [
    "Expect", "Case", "CaseResult", "CaseRun", "load_cases", "run_case", "run_cases",
    "check_case", "facts_for", "case_files",
]


class Expect(BaseModel):
    """What a case must (or must not) conclude."""

    model_config = ConfigDict(extra="forbid")

    top: str | None = None
    ranked: list[str] = Field(default_factory=list)
    within: dict[str, int] = Field(default_factory=dict)
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    unestablished: list[str] = Field(default_factory=list)
    fires: list[str] = Field(default_factory=list)
    nothing: bool = False

    def causes(self) -> list[tuple[str, str | int]]:
        """Every cause named, with the key (and index) that names it."""
        out: list[tuple[str, str | int]] = []
        if self.top is not None:
            out.append((self.top, "top"))
        out += [(c, "ranked") for c in self.ranked] + [(c, "within") for c in self.within]
        return out + [(c, "present") for c in self.present] + [
            (c, "absent") for c in self.absent] + [(c, "unestablished") for c in self.unestablished]


class Case(BaseModel):
    """One test case: facts and complaints in, an expectation out."""

    model_config = ConfigDict(extra="forbid")

    name: str
    given: dict[str, Any] = Field(default_factory=dict)
    symptoms: list[str] = Field(default_factory=list)
    expect: Expect
    file: str = ""
    line: int = 0
    _tree: Any = PrivateAttr(default=None)
    _loc: list[str | int] = PrivateAttr(default=[])  # copied per case; a factory costs an
    # inspect.signature() call per case in pydantic

    def at(self, *loc: str | int) -> tuple[int, int]:
        """Line and column of a path inside this case (the case itself if not found)."""
        if self._tree is None:
            return self.line, 0
        return position(self._tree, [*self._loc, *loc])


class _Healthy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    given: dict[str, Any] = Field(default_factory=dict)
    symptoms: list[str] = Field(default_factory=list)


class _CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(default_factory=list)
    healthy: list[_Healthy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _some(self) -> _CaseFile:
        if not self.cases and not self.healthy:
            raise ValueError("a test file needs 'cases' or 'healthy' (or both)")
        return self


@dataclass
class CaseResult:
    """The outcome of one case: what was missing, what was unexpected, the ranking."""

    case: Case
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    #: practice notes that explain nothing observed: ``diagnose`` lists them apart, exit 0
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


def case_files(folder: Path) -> list[Path]:
    """The test files of a rule folder: ``tests/*.yaml`` beside the rules."""
    tests = folder / "tests" if folder.name != "tests" else folder
    if not tests.is_dir():
        return []
    return sorted(p for p in tests.iterdir()
                  if p.suffix in {".yaml", ".yml"} and not p.name.startswith(("_", ".")))


def load_cases(path: Path) -> list[Case]:
    """Load a test file; raise :class:`KBError` with positions if it is malformed."""
    tree, problems = read_yaml(path)
    if problems:
        raise KBError([_as_test(p) for p in problems])
    plain = _plain(tree)
    if not isinstance(plain, dict):
        raise KBError([Problem(str(path), 1, 1, "", "a test file is a mapping: put the cases "
                               "under 'cases:' (and healthy runs under 'healthy:'), each "
                               "'- name: …' indented below it", code="bad-test")])
    try:
        parsed = _CaseFile.model_validate(plain)
    except ValidationError as exc:
        raise KBError([
            Problem(str(path), *position(tree, e["loc"]), format_loc(tree, e["loc"]),
                    _message(e), code="bad-test")
            for e in exc.errors()
        ]) from None
    out = []
    groups: tuple[tuple[str, Sequence[Case | _Healthy]], ...] = (
        ("cases", parsed.cases), ("healthy", parsed.healthy))
    for section, items in groups:
        for index, item in enumerate(items):
            case = item if isinstance(item, Case) else Case(
                name=item.name, given=item.given, symptoms=item.symptoms,
                expect=Expect(nothing=True))
            case.file = str(path)
            case.line = position(tree, [section, index])[0]
            case._tree, case._loc = tree, [section, index]
            out.append(case)
    return out


def _as_test(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(problem, code="bad-test")


def _allowed(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points in a test file (its last part is the key)."""
    model: Any = _CaseFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field_info is None:
            return []
        model = {"cases": Case, "healthy": _Healthy, "expect": Expect}.get(str(part))
        if model is None:
            return []
    return [name for name in model.model_fields if name not in ("file", "line")]  # set here


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        allowed = _allowed(tuple(err["loc"]))
        keys = f" (allowed here: {', '.join(allowed)})" if allowed else ""
        return f"unknown key '{err['loc'][-1]}'{keys}"
    if err["type"] == "missing":
        return f"missing key '{err['loc'][-1]}'"
    return str(err["msg"]).removeprefix("Value error, ")


def check_case(kb: KnowledgeBase, case: Case) -> list[Problem]:
    """Facts, causes and rules a case names that the knowledge base does not have."""
    out = []

    def bad(message: str, *loc: str | int) -> None:
        line, col = case.at(*loc)
        out.append(Problem(case.file, line, col, case.name, message, code="bad-test"))

    for fact_id, raw in case.given.items():
        spec = kb.facts.get(fact_id)
        if spec is None:
            bad(f"unknown fact '{fact_id}'", "given", fact_id)
            continue
        try:
            parse_answer(spec, raw)
        except ValueProblem as exc:
            bad(str(exc), "given", fact_id)
    for cause, key in case.expect.causes():
        if cause not in kb.causes:
            bad(f"unknown cause '{cause}'", "expect", key)
    for rule in case.expect.fires:
        if rule not in kb.rules:
            bad(f"unknown rule '{rule}'", "expect", "fires")
    return out


def facts_for(kb: KnowledgeBase, given: dict[str, Any], symptoms: list[str]) -> list[Fact]:
    """The facts a case (or a user) supplies: given values first, then matched symptoms."""
    facts = []
    for fact_id, raw in given.items():
        spec = kb.facts.get(fact_id)
        if spec is None:
            raise ValueProblem(f"unknown fact '{fact_id}'")
        facts.append(Fact(fact_id, parse_answer(spec, raw), "given", "given"))
    for text in symptoms:
        for match in symptoms_named(match_symptoms(kb, text, limit=20)):
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
    # practice notes that explain nothing observed rank among themselves, by their rules
    advice = [s.cause for s in sorted(
        (s for s in engine.scores() if s.kind == "note" and s.cover != "observed"
         and s.raw_cf >= CONCLUDE_THRESHOLD), key=lambda s: (-s.raw_cf, s.cause))]
    faults = [c for c, _ in ranking]

    def ranked(cause: str) -> list[str]:
        return advice if cause in advice or (
            kb.causes[cause].kind == "note" and cause not in faults) else faults

    result = CaseResult(case, ranking=ranking, fired=[f.rule for f in engine.firings],
                        notes=advice)
    expect = case.expect
    for text in case.symptoms:
        if not match_symptoms(kb, text, limit=1):
            result.missing.append(f"a symptom matching {text!r}")
    names = faults
    if expect.top is not None and (not ranked(expect.top)
                                   or ranked(expect.top)[0] != expect.top):
        result.missing.append(f"{expect.top} ranked first")
    if expect.ranked:
        names = ranked(expect.ranked[0])
        order = [c for c in names if c in expect.ranked]
        if order != expect.ranked:
            result.missing.append(f"{' > '.join(expect.ranked)} in this order "
                                  f"(got {' > '.join(order) or 'none of them'})")
    for cause, k in expect.within.items():
        if cause not in ranked(cause)[:k]:
            result.missing.append(f"{cause} in the top {k}")
    for cause in expect.present:
        if cause not in ranked(cause):
            result.missing.append(f"{cause} concluded")
    for rule in expect.fires:
        if rule not in result.fired:
            result.missing.append(f"rule {rule} fired")
    for cause in expect.absent:
        if cause in faults or cause in advice:
            result.unexpected.append(f"{cause} concluded")
    belief = dict(ranking)
    for cause in expect.unestablished:
        if belief.get(cause, 0.0) >= REPORT_THRESHOLD:
            result.unexpected.append(f"{cause} established ({belief[cause]:.2f})")
    if expect.nothing:
        result.unexpected.extend(f"{c} concluded" for c in faults)
    return result


@dataclass
class CaseRun:
    """Results of many cases, with the problems that kept some from running."""

    results: list[CaseResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    def fired(self) -> set[str]:
        return {rule for r in self.results for rule in r.fired}

    def uncovered(self, rules: Iterable[str]) -> list[str]:
        """The rules of ``rules`` no case fires, in the order given."""
        fired = self.fired()
        return [r for r in rules if r not in fired]

    def firing(self, rule: str) -> list[Case]:
        return [r.case for r in self.results if rule in r.fired]


def run_cases(kb: KnowledgeBase, files: Sequence[Path]) -> CaseRun:
    """Load and run every case of ``files``; malformed files and cases become problems."""
    run = CaseRun()
    for path in files:
        try:
            cases = load_cases(path)
        except KBError as exc:
            run.problems.extend(exc.problems)
            continue
        for case in cases:
            problems = check_case(kb, case)
            if problems:
                run.problems.extend(problems)
                continue
            run.results.append(run_case(kb, case))
    return run
