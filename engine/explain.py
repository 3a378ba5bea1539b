"""Explanations: HOW a cause was concluded, WHY a question is asked, WHY-NOT a cause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .conditions import evaluate, test_leaf
from .inference import Engine
from .knowledge import QUOTE
from .model import AllOf, AnyOf, Condition, Leaf, NotOf
from .strategy import live_rules
from .values import UNKNOWN

__all__ = [
    "Step",
    "how",
    "why",
    "why_not",
    "RuleVerdict",
    "describe_leaf",
    "Why",
    "show_value",
]


@dataclass(frozen=True)
class Step:
    """One rule in a derivation, the facts it used and, nested, how those were derived."""

    rule: str
    because: str
    cf: float
    facts: tuple[tuple[str, Any, str], ...]  # (fact, value, source)
    premises: tuple[Step, ...] = ()

    def lines(self, indent: int = 0) -> list[str]:
        pad = "  " * indent
        sign = f"{self.cf:+.2f}"
        out = [f"{pad}- rule {self.rule} ({sign}): {self.because}"]
        for fact, value, source in self.facts:
            out.append(f"{pad}    {fact} = {show_value(value)}  [{source}]")
        for step in self.premises:
            out.extend(step.lines(indent + 2))
        return out


def show_value(value: Any) -> str:
    """A value as a person reads it: yes/no, 4 significant digits, \"don't know\"."""
    if value is UNKNOWN:
        return "don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return f"[{len(value)} values]"
    return str(value)


def filled(text: str, engine: Engine) -> str:
    """A rule's reason with each ``{=fact}`` it quotes replaced by the fact's value, or by
    "…" while the fact is not known (a rule that has not fired, shown to say why a question
    is asked)."""
    def value(match: re.Match[str]) -> str:
        fact = engine.memory.get(match.group(1))
        return "…" if fact is None or fact.value is UNKNOWN else show_value(fact.value)

    return QUOTE.sub(value, text)


def _derivation(engine: Engine, rule_id: str, cf: float, lang: str, seen: set[str]) -> Step:
    rule = engine.kb.rules[rule_id]
    firing = next(f for f in engine.firings if f.rule == rule_id)
    facts = []
    premises = []
    for fact_id in firing.facts:
        fact = engine.memory.get(fact_id)
        assert fact is not None
        facts.append((fact_id, fact.value, fact.source))
        if fact.source.startswith("rule:"):
            setter = fact.source[len("rule:"):]
            if setter not in seen:
                seen.add(setter)
                premises.append(_derivation(engine, setter, 1.0, lang, seen))
    return Step(rule_id, filled(rule.because.get(lang), engine), cf, tuple(facts),
                tuple(premises))


def how(engine: Engine, cause: str, lang: str = "en") -> list[Step]:
    """The firings that support or weaken ``cause``, each with the derivation of its facts."""
    steps = []
    for firing in engine.evidence(cause):
        for c, strength in firing.supports:
            if c == cause:
                steps.append(_derivation(engine, firing.rule, strength, lang, {firing.rule}))
    return steps


def describe_leaf(leaf: Leaf) -> str:
    """Render a fact test as a person would read it: ``loss.nan is yes``."""
    op, value = leaf.op, leaf.value
    words = {
        "is": "is", "ne": "is not", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
        "in": "is one of", "not_in": "is none of", "between": "is between",
        "contains": "contains",
    }
    if op == "known":
        return f"{leaf.fact} is {'known' if value else 'unknown'}"
    if op in {"in", "not_in"}:
        shown = ", ".join(show_value(v) for v in value)
    elif op == "between":
        shown = f"{show_value(value[0])} and {show_value(value[1])}"
    else:
        shown = show_value(value)
    return f"{leaf.fact} {words[op]} {shown}"


@dataclass(frozen=True)
class RuleVerdict:
    """Why one rule for a cause did or did not fire."""

    rule: str
    state: str  # "fired", "failed", "waiting"
    detail: str
    waiting_on: tuple[str, ...] = ()
    # for "failed": the tests that made it false and the values they saw (to say in words)
    failed_on: tuple[tuple[Leaf, Any], ...] = ()


def _failures(cond: Condition, engine: Engine) -> list[tuple[Leaf, Any]]:
    """The tests in ``cond`` that made it false, with the values they saw."""
    if isinstance(cond, Leaf):
        fact = engine.memory.get(cond.fact)
        return [(cond, fact.value)] if fact is not None and not test_leaf(cond, fact.value) \
            else []
    if isinstance(cond, AllOf):
        part = next((p for p in cond.all if evaluate(p, engine.memory) is False), None)
        return _failures(part, engine) if part is not None else []
    if isinstance(cond, AnyOf):
        return [f for p in cond.any for f in _failures(p, engine)]
    return []


def _first_failure(cond: Condition, engine: Engine) -> str | None:
    """The first test in ``cond`` that made it false, described."""
    if isinstance(cond, Leaf):
        fact = engine.memory.get(cond.fact)
        if fact is not None and not test_leaf(cond, fact.value):
            return (f"{cond.fact} is {show_value(fact.value)}, but the rule needs "
                    f"{describe_leaf(cond)}")
        return None
    if isinstance(cond, AllOf):
        for part in cond.all:
            if evaluate(part, engine.memory) is False:
                return _first_failure(part, engine)
        return None
    if isinstance(cond, AnyOf):
        reasons = [_first_failure(p, engine) for p in cond.any]
        return "none held: " + "; ".join(r for r in reasons if r)
    assert isinstance(cond, NotOf)
    return "a negated condition held"


def _missing(cond: Condition, engine: Engine) -> list[str]:
    from .knowledge import leaves

    return list(dict.fromkeys(
        leaf.fact for leaf in leaves(cond) if leaf.fact not in engine.memory
    ))


def why_not(engine: Engine, cause: str) -> list[RuleVerdict]:
    """For each rule about ``cause``: fired, failed (first failing test) or waiting (on what)."""
    out = []
    for rule_id in engine.kb.rules_supporting(cause):
        rule = engine.kb.rules[rule_id]
        if engine.fired(rule_id):
            out.append(RuleVerdict(rule_id, "fired", rule.because.en))
            continue
        state = engine.state(rule_id)
        if state is False:
            out.append(RuleVerdict(rule_id, "failed", _first_failure(rule.when, engine) or "",
                                   failed_on=tuple(_failures(rule.when, engine))))
        else:
            missing = _missing(rule.when, engine)
            out.append(RuleVerdict(rule_id, "waiting", "needs " + ", ".join(missing),
                                   tuple(missing)))
    return out


@dataclass(frozen=True)
class Why:
    """Why a fact is wanted: the rules its answer decides and the causes they bear on."""

    fact: str
    rules: tuple[tuple[str, str], ...]  # (rule id, because)
    causes: tuple[tuple[str, float], ...] = field(default=())  # (cause, current cf)

    def text(self, engine: Engine, lang: str = "en") -> str:
        spec = engine.kb.facts[self.fact]
        lines = []
        if spec.why is not None:
            lines.append(spec.why.get(lang))
        if self.causes:
            names = ", ".join(
                f"{engine.kb.causes[c].title.get(lang)} ({cf:.0%})" if cf > 0
                else engine.kb.causes[c].title.get(lang)
                for c, cf in self.causes
            )
            lead = "它有助于判断：" if lang == "zh" else "It helps decide between: "
            lines.append(lead + names)
        for rule_id, because in self.rules:
            lines.append(f"- {rule_id}: {because}")
        return "\n".join(lines)


def why(engine: Engine, fact_id: str, lang: str = "en") -> Why:
    """The live rules that read ``fact_id`` and the causes they serve."""
    live = live_rules(engine)
    rules = [r for r in engine.kb.rules_reading(fact_id) if r in live]
    causes = sorted({c for r in rules for c in live[r]})
    return Why(
        fact_id,
        tuple((r, filled(engine.kb.rules[r].because.get(lang), engine)) for r in rules),
        tuple(sorted(((c, engine.cause_cf(c)) for c in causes), key=lambda x: (-x[1], x[0]))),
    )



