"""The merged knowledge base: facts, symptoms, causes and rules from all files, indexed."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import Problem
from .model import (
    AllOf,
    AnyOf,
    AssertFact,
    CauseSpec,
    Condition,
    FactSpec,
    KBFile,
    Leaf,
    NotOf,
    Rule,
    SupportCause,
    SymptomSpec,
)
from .values import ValueProblem, check_value

QUOTE = re.compile(r"\{=([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")  # a fix quoting a fact

__all__ = ["KnowledgeBase", "Origin", "CountPlan", "leaves", "condition_facts"]


@dataclass(frozen=True)
class Origin:
    """Where an item was defined: its file and the YAML tree that carries positions."""

    file: str
    tree: Any = field(default=None, compare=False, repr=False)


def leaves(cond: Condition) -> Iterator[Leaf]:
    """Yield every fact test inside ``cond``."""
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, AllOf):
        for c in cond.all:
            yield from leaves(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from leaves(c)
    elif isinstance(cond, NotOf):
        yield from leaves(cond.not_)


def condition_facts(cond: Condition) -> list[str]:
    """Return the fact ids ``cond`` tests, each once, in order of appearance."""
    return list(dict.fromkeys(leaf.fact for leaf in leaves(cond)))


_SECTIONS = ("facts", "symptoms", "causes", "rules")


class CountPlan(NamedTuple):
    """See :meth:`KnowledgeBase.count_plan`."""

    causes: tuple[str, ...]
    weight: float
    facts: tuple[str, ...]
    cuts: tuple[tuple[str, int], ...]


class KnowledgeBase:
    """Everything the engine knows, merged from rule files, with indexes for fast matching."""

    def __init__(self) -> None:
        self.facts: dict[str, FactSpec] = {}
        self.symptoms: dict[str, SymptomSpec] = {}
        self.causes: dict[str, CauseSpec] = {}
        self.rules: dict[str, Rule] = {}
        self.origins: dict[tuple[str, str], tuple[Origin, int]] = {}
        self.problems: list[Problem] = []
        self.cache: dict[str, Any] = {}  # derived data other modules build once per KB
        self._rules_by_fact: dict[str, list[str]] | None = None
        self._rules_by_cause: dict[str, list[str]] | None = None
        self._rules_setting: dict[str, list[str]] | None = None
        self._facts_of: dict[str, tuple[str, ...]] = {}
        self._compiled: dict[str, Any] = {}
        self._answers: dict[str, list[Any]] = {}
        self._support: dict[str, tuple[frozenset[str], float] | None] = {}
        self._thresholds: dict[tuple[str, str], int] = {}
        self._asserted: frozenset[str] | None = None
        self._rule_order: dict[str, tuple[int, int, int]] | None = None
        self._trees: dict[str, Any] = {}  # position trees re-read on demand (cached KBs)
        self._plans: dict[str, CountPlan] = {}

    # ------------------------------------------------------------------ building
    def add_file(self, model: KBFile, origin: Origin) -> list[Problem]:
        """Merge one file's items; duplicate ids are problems."""
        problems = []
        for section in _SECTIONS:
            table: dict[str, Any] = getattr(self, section)
            for index, item in enumerate(getattr(model, section)):
                key = (section, item.id)
                if item.id in table:
                    first, first_index = self.origins[key]
                    where = self.locate(section, item.id)
                    problems.append(
                        self._problem(
                            origin,
                            [section, index],
                            f"duplicate {section[:-1]} id '{item.id}' "
                            f"(first defined at {first.file}:{where[1]})",
                            code="duplicate-id",
                        )
                    )
                    continue
                table[item.id] = item
                self.origins[key] = (origin, index)
        self._invalidate()
        return problems

    def _invalidate(self) -> None:
        self.cache = {}
        self._rules_by_fact = self._rules_by_cause = self._rules_setting = None
        self._facts_of = {}
        self._compiled = {}
        self._answers = {}
        self._support = {}
        self._thresholds = {}
        self._asserted = None
        self._rule_order = None
        self._plans = {}

    def locate(self, section: str, item_id: str, *loc: str | int) -> tuple[str, int, int]:
        """Return ``(file, line, column)`` of an item, or of a path inside it."""
        from .loader import position

        entry = self.origins.get((section, item_id))
        if entry is None:
            return ("<unknown>", 0, 0)
        origin, index = entry
        tree = self._tree(origin)
        if tree is None:
            return (origin.file, 0, 0)
        line, col = position(tree, [section, index, *loc])
        return (origin.file, line, col)

    def _tree(self, origin: Origin) -> Any:
        """The origin's position tree; for a knowledge base from the compiled cache (which
        keeps no trees) the file is read again on first need."""
        if origin.tree is not None or not origin.file:
            return origin.tree
        if origin.file not in self._trees:
            from pathlib import Path

            from .loader import read_yaml

            self._trees[origin.file] = read_yaml(Path(origin.file))[0] \
                if Path(origin.file).is_file() else None
        return self._trees[origin.file]

    def portable(self) -> dict[str, Any]:
        """The state worth caching: the items and where they came from, without the position
        trees (re-read on demand) and without anything derived (rebuilt on demand)."""
        fresh = KnowledgeBase()
        for section in (*_SECTIONS, "problems"):
            setattr(fresh, section, getattr(self, section))
        fresh.origins = {k: (Origin(o.file), i) for k, (o, i) in self.origins.items()}
        return fresh.__dict__

    @classmethod
    def from_portable(cls, state: dict[str, Any]) -> KnowledgeBase:
        """A knowledge base from :meth:`portable`'s state."""
        kb = cls()
        kb.__dict__.update(state)
        kb._trees = {}
        return kb

    def _problem(
        self, origin: Origin, loc: list[str | int], message: str, code: str = "reference"
    ) -> Problem:
        from .loader import format_loc, position

        tree = self._tree(origin)
        line, col = position(tree, loc) if tree is not None else (0, 0)
        where = format_loc(tree, loc) if tree is not None else ""
        return Problem(origin.file, line, col, where, message, code=code)

    def problem_at(
        self, section: str, item_id: str, loc: list[str | int], message: str, code: str
    ) -> Problem:
        """Build a :class:`Problem` positioned at ``loc`` inside an item."""
        origin, index = self.origins[(section, item_id)]
        return self._problem(origin, [section, index, *loc], message, code=code)

    # ------------------------------------------------------------------ checking
    def check_references(self) -> list[Problem]:
        """Report references to undefined facts and causes, and values of the wrong type."""
        problems: list[Problem] = []
        for rule in self.rules.values():
            problems.extend(self._check_condition(("rules", rule.id), rule.when, ["when"]))
            used = condition_facts(rule.when)
            problems.extend(
                self.problem_at("rules", rule.id, ["given", i],
                                f"'{fact_id}' is given but not tested in the rule's 'when'; "
                                "list only facts its condition uses", "given-not-tested")
                for i, fact_id in enumerate(rule.given) if fact_id not in used)
            for i, then in enumerate(rule.then):
                if isinstance(then, SupportCause) and then.cause not in self.causes:
                    problems.append(
                        self.problem_at(
                            "rules", rule.id, ["then", i, "cause"],
                            self._unknown("cause", then.cause), "unknown-cause",
                        )
                    )
                elif isinstance(then, AssertFact):
                    problems.extend(
                        self._check_value(
                            "rules", rule.id, ["then", i, "set"], then.set, then.value
                        )
                    )
        for cause in self.causes.values():
            item = ("causes", cause.id)
            problems.extend(
                self.problem_at("causes", cause.id, ["consequence_of", i],
                                self._unknown("cause", root), "unknown-cause")
                for i, root in enumerate(cause.consequence_of)
                if root not in self.causes and root != "any_root"
            )
            problems.extend(
                self.problem_at("causes", cause.id, ["yields_to", i],
                                self._unknown("cause", other), "unknown-cause")
                for i, other in enumerate(cause.yields_to)
                if other not in self.causes or other == cause.id
            )
            if cause.explains is not None:
                problems.extend(self._check_condition(item, cause.explains, ["explains"]))
            if cause.root_when is not None:
                problems.extend(self._check_condition(item, cause.root_when.when,
                                                      ["root_when", "when"]))
                problems.extend(
                    self.problem_at("causes", cause.id, ["root_when", "over", i],
                                    self._unknown("cause", other), "unknown-cause")
                    for i, other in enumerate(cause.root_when.over)
                    if other not in self.causes or other == cause.id
                )
            for i, fix in enumerate(cause.fixes):
                if fix.when is not None:
                    problems.extend(self._check_condition(item, fix.when, ["fixes", i, "when"]))
                quoted = f"{fix.text.en} {fix.text.zh or ''} {fix.snippet or ''}"
                problems.extend(
                    self.problem_at("causes", cause.id, ["fixes", i, "text"],
                                    "the fix quotes " + self._unknown("fact", fact_id),
                                    "unknown-fact")
                    for fact_id in QUOTE.findall(quoted) if fact_id not in self.facts
                )
        for fact in self.facts.values():
            problems.extend(
                self.problem_at("facts", fact.id, ["measured_as", i],
                                self._unknown("fact", other), "unknown-fact")
                for i, other in enumerate(fact.measured_as)
                if other not in self.facts or other == fact.id
            )
            if fact.asked_if is not None:
                problems.extend(self._check_condition(("facts", fact.id), fact.asked_if,
                                                      ["asked_if"]))
        for symptom in self.symptoms.values():
            for fact_id, value in symptom.implies.items():
                problems.extend(
                    self._check_value("symptoms", symptom.id, ["implies", fact_id], fact_id, value)
                )
        return problems

    def _unknown(self, kind: str, name: str) -> str:
        """"unknown fact 'x'", with the nearest declared id when one is close (a typo)."""
        known = self.facts if kind == "fact" else self.causes
        near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.75)
        hint = f" (did you mean '{near[0]}'?)" if near else \
            f" (`dldoctor kb list --{kind}s` lists the {kind}s there are)"
        return f"unknown {kind} '{name}'{hint}"

    def _check_value(
        self, section: str, item_id: str, loc: list[str | int], fact_id: str, value: Any
    ) -> list[Problem]:
        spec = self.facts.get(fact_id)
        if spec is None:
            return [self.problem_at(section, item_id, loc, self._unknown("fact", fact_id),
                                    "unknown-fact")]
        try:
            check_value(spec, value)
        except ValueProblem as exc:
            return [self.problem_at(section, item_id, loc, str(exc), "bad-value")]
        return []

    def _check_condition(
        self, item: tuple[str, str], cond: Condition, loc: list[str | int]
    ) -> list[Problem]:
        if isinstance(cond, AllOf | AnyOf):
            key = "all" if isinstance(cond, AllOf) else "any"
            parts = cond.all if isinstance(cond, AllOf) else cond.any
            out: list[Problem] = []
            for i, part in enumerate(parts):
                out.extend(self._check_condition(item, part, [*loc, key, i]))
            return out
        if isinstance(cond, NotOf):
            return self._check_condition(item, cond.not_, [*loc, "not"])
        spec = self.facts.get(cond.fact)
        if spec is None:
            return [self.problem_at(*item, [*loc, "fact"],
                                    self._unknown("fact", cond.fact), "unknown-fact")]
        return self._check_operator(item, spec, cond, loc)

    def _check_operator(
        self, item: tuple[str, str], spec: FactSpec, leaf: Leaf, loc: list[str | int]
    ) -> list[Problem]:
        op = leaf.op
        where = [*loc, op]

        def bad(message: str) -> list[Problem]:
            return [self.problem_at(*item, where, message, "bad-operator")]

        if op in {"lt", "le", "gt", "ge", "between"} and spec.type != "number":
            return bad(f"'{op}' compares numbers, but '{spec.id}' is {spec.type}")
        if op == "contains" and spec.type != "text":
            return bad(f"'contains' searches text, but '{spec.id}' is {spec.type}")
        if op in {"is", "ne"}:
            values = [leaf.value]
        elif op in {"in", "not_in"}:
            values = list(leaf.value)
        else:
            return []
        for value in values:
            try:
                check_value(spec, value)
            except ValueProblem as exc:
                return bad(str(exc))
        return []

    # ------------------------------------------------------------------ indexes
    def compiled(self, rule_id: str) -> Any:
        """The rule's condition compiled to a function of a fact lookup (cached)."""
        fn = self._compiled.get(rule_id)
        if fn is None:
            from .conditions import compile_condition

            fn = self._compiled[rule_id] = compile_condition(self.rules[rule_id].when)
        return fn

    def compiled_explains(self, cause_id: str) -> Any:
        """The cause's ``explains`` condition compiled (cached); None when it declares none."""
        return self._compiled_once(f"explains:{cause_id}", self.causes[cause_id].explains)

    def compiled_root_when(self, cause_id: str) -> Any:
        """The cause's ``root_when`` condition compiled (cached); None when it declares none."""
        root_when = self.causes[cause_id].root_when
        return self._compiled_once(f"root_when:{cause_id}",
                                   None if root_when is None else root_when.when)

    def _compiled_once(self, key: str, cond: Condition | None) -> Any:
        if key not in self._compiled:
            from .conditions import compile_condition

            self._compiled[key] = None if cond is None else compile_condition(cond)
        return self._compiled[key]

    def asserted_facts(self) -> frozenset[str]:
        """Facts some rule asserts (cached)."""
        if self._asserted is None:
            self.rules_setting("")
            assert self._rules_setting is not None
            self._asserted = frozenset(self._rules_setting)
        return self._asserted

    def rule_index(self) -> dict[str, int]:
        """Each rule's position in definition order (cached): the order the engine visits
        rules in, so that results never depend on the hash order of a set."""
        index = self.cache.get("knowledge.rule_index")
        if index is None:
            index = self.cache["knowledge.rule_index"] = {r: i for i, r in enumerate(self.rules)}
        return index

    def rule_order(self) -> dict[str, tuple[int, int, int]]:
        """Conflict-resolution key of every rule: salience, specificity, definition order."""
        if self._rule_order is None:
            self._rule_order = {
                rule.id: (-rule.salience, -sum(1 for _ in leaves(rule.when)), i)
                for i, rule in enumerate(self.rules.values())
            }
        return self._rule_order

    def direct_support(self, rule_id: str) -> tuple[frozenset[str], float] | None:
        """The causes a rule argues about and its largest |cf|, or None (cached)."""
        if rule_id not in self._support:
            thens = [t for t in self.rules[rule_id].then if isinstance(t, SupportCause) and t.cf]
            self._support[rule_id] = (
                (frozenset(t.cause for t in thens), max(abs(t.cf) for t in thens))
                if thens else None
            )
        return self._support[rule_id]

    def count_plan(self, rule_id: str) -> CountPlan:
        """What the engine adds up for a rule while it is undecided (cached): the causes it
        argues about and its weight (from :meth:`direct_support`), the facts it reads, and
        the number of cut points it tests on each number fact."""
        plan = self._plans.get(rule_id)
        if plan is None:
            support = self.direct_support(rule_id)
            facts = self.facts_of(rule_id)
            cuts = tuple((f, self.thresholds(rule_id, f)) for f in facts
                         if self.facts[f].type == "number")
            plan = self._plans[rule_id] = CountPlan(
                tuple(sorted(support[0])) if support is not None else (),
                support[1] if support is not None else 0.0, facts, cuts)
        return plan

    def is_positive(self, rule_id: str) -> bool:
        """Whether a rule, firing, argues for something (a cause or a finding)."""
        return any(
            isinstance(t, AssertFact) or (isinstance(t, SupportCause) and t.cf > 0)
            for t in self.rules[rule_id].then
        )

    def thresholds(self, rule_id: str, fact_id: str) -> int:
        """How many distinct cut points a rule's tests of a number fact have (cached)."""
        key = (rule_id, fact_id)
        if key not in self._thresholds:
            cuts = {
                b for leaf in leaves(self.rules[rule_id].when) if leaf.fact == fact_id
                for b in (leaf.value if leaf.op == "between" else [leaf.value])
                if isinstance(b, int | float) and not isinstance(b, bool)
            }
            self._thresholds[key] = len(cuts)
        return self._thresholds[key]

    def answer_space(self, fact_id: str) -> list[Any]:
        """Representative answers of a fact: one in each region its rules' tests tell apart.

        Booleans and enums have their values; numbers get points just below, at and just
        above every threshold any rule tests; text gets the compared values and one other.
        """
        found = self._answers.get(fact_id)
        if found is not None:
            return found
        spec = self.facts[fact_id]
        if spec.type == "bool":
            found = [True, False]
        elif spec.type == "enum":
            found = list(spec.choice_values)
        else:
            tests = [
                leaf for r in self.rules_reading(fact_id) for leaf in leaves(self.rules[r].when)
                if leaf.fact == fact_id
            ]
            if spec.type == "number":
                # just below and just above each cut point; the point itself only where one
                # test includes it and another excludes it (lt/ge lump it with above, le/gt
                # with below)
                below_kind: dict[float, set[str]] = defaultdict(set)
                for leaf in tests:
                    if leaf.op == "between":
                        low, high = leaf.value
                        below_kind[float(low)].add("ge")
                        below_kind[float(high)].add("le")
                    elif isinstance(leaf.value, int | float) and not isinstance(leaf.value, bool):
                        below_kind[float(leaf.value)].add(leaf.op)
                points: set[float] = set()
                for cut, ops in below_kind.items():
                    delta = max(abs(cut) * 1e-6, 1e-12)
                    points.update((cut - delta, cut + delta))
                    if ops & {"lt", "ge"} and ops & {"le", "gt"} or ops & {"is", "ne"}:
                        points.add(cut)
                found = sorted(points)
            else:
                values: list[Any] = []
                for leaf in tests:
                    if leaf.op in {"is", "ne", "contains"}:
                        values.append(leaf.value)
                    elif leaf.op in {"in", "not_in"}:
                        values.extend(leaf.value)
                values.append("\x00other")
                found = list(dict.fromkeys(values))
        self._answers[fact_id] = found
        return found

    def facts_of(self, rule_id: str) -> tuple[str, ...]:
        """The fact ids a rule's condition tests (cached)."""
        found = self._facts_of.get(rule_id)
        if found is None:
            found = self._facts_of[rule_id] = tuple(condition_facts(self.rules[rule_id].when))
        return found

    def rules_reading(self, fact_id: str) -> list[str]:
        """Ids of the rules whose condition tests ``fact_id``."""
        if self._rules_by_fact is None:
            index: dict[str, list[str]] = defaultdict(list)
            for rule in self.rules.values():
                for fact in condition_facts(rule.when):
                    index[fact].append(rule.id)
            self._rules_by_fact = dict(index)
        return self._rules_by_fact.get(fact_id, [])

    def rules_supporting(self, cause_id: str) -> list[str]:
        """Ids of the rules that conclude something about ``cause_id``."""
        if self._rules_by_cause is None:
            index: dict[str, list[str]] = defaultdict(list)
            for rule in self.rules.values():
                for then in rule.then:
                    if isinstance(then, SupportCause):
                        index[then.cause].append(rule.id)
            self._rules_by_cause = dict(index)
        return self._rules_by_cause.get(cause_id, [])

    def rules_setting(self, fact_id: str) -> list[str]:
        """Ids of the rules that assert ``fact_id``."""
        if self._rules_setting is None:
            index: dict[str, list[str]] = defaultdict(list)
            for rule in self.rules.values():
                for then in rule.then:
                    if isinstance(then, AssertFact):
                        index[then.set].append(rule.id)
            self._rules_setting = dict(index)
        return self._rules_setting.get(fact_id, [])

    def merge(self, other: KnowledgeBase) -> list[Problem]:
        """Add ``other``'s items on top of this one; clashing ids are reported, not merged."""
        problems: list[Problem] = []
        for section in _SECTIONS:
            mine: dict[str, Any] = getattr(self, section)
            for item_id, item in getattr(other, section).items():
                origin, index = other.origins[(section, item_id)]
                if item_id in mine:
                    first = self.locate(section, item_id)
                    problems.append(
                        other.problem_at(
                            section, item_id, [],
                            f"{section[:-1]} id '{item_id}' clashes with "
                            f"{first[0]}:{first[1]}",
                            "clash",
                        )
                    )
                    continue
                mine[item_id] = item
                self.origins[(section, item_id)] = (origin, index)
        self._invalidate()
        return problems
