"""Choose the next step when chaining has stopped: a probe to run or a question to ask.

The live hypotheses are the causes that some still-undecided rule could support. Each such
rule is a *path* to its cause, weighted by the rule's certainty factor and by how much
evidence the cause has already. A step is worth what it is expected to tell us: the
expected drop in the entropy of the distribution over causes when paths that the answer
would rule out are removed (a rule whose condition an answer makes false is ruled out).
Each possible answer is assumed as likely as the paths consistent with it make it. The
score is that information gain divided by the step's cost, in the spirit of de Kleer &
Williams (1987) and Heckerman, Breese & Rommelse (1995).

A fact whose every answer leaves every live rule undecided scores zero and is never asked.
Ties break on lower cost, then on the fact or probe id, so the choice never depends on the
order of the rule files.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .conditions import evaluate
from .inference import Engine
from .knowledge import condition_facts, leaves
from .model import FactSpec, SupportCause

__all__ = ["ProbeSpec", "Question", "ProbeRequest", "Planner", "Live", "live_rules"]

_NULL = "\x00none"


@dataclass(frozen=True)
class ProbeSpec:
    """What the engine needs to know of a probe: the facts it can establish and its cost."""

    id: str
    title: str
    produces: frozenset[str]
    cost: float = 0.2


@dataclass(frozen=True)
class Question:
    """Ask a person for ``fact``. ``serves`` lists the rules the answer decides."""

    fact: str
    spec: FactSpec
    gain: float
    cost: float
    serves: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return self.gain / self.cost


@dataclass(frozen=True)
class ProbeRequest:
    """Run probe ``probe`` to establish ``facts``."""

    probe: str
    facts: tuple[str, ...]
    gain: float
    cost: float
    serves: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return self.gain / self.cost


@dataclass
class Live:
    """The undecided rules that still matter, and the causes each one serves."""

    rules: dict[str, frozenset[str]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)

    def causes(self) -> set[str]:
        return {c for served in self.rules.values() for c in served}


def live_rules(engine: Engine) -> Live:
    """Find the undecided rules that could still change a conclusion, with what they serve.

    A rule supporting a cause is live while undecided. A rule asserting a fact is live if the
    fact is still unknown and some live rule reads it; it serves that rule's causes.
    """
    kb = engine.kb
    live = Live()
    serves: dict[str, set[str]] = {}
    weights: dict[str, float] = {}
    for rule in kb.rules.values():
        if engine.fired(rule.id):
            continue
        direct = [t for t in rule.then if isinstance(t, SupportCause) and t.cf != 0]
        if direct and engine.state(rule.id) is None:
            serves[rule.id] = {t.cause for t in direct}
            weights[rule.id] = max(abs(t.cf) for t in direct)
    # walk back through rules that assert facts the live rules need
    frontier = list(serves)
    while frontier:
        rule_id = frontier.pop()
        for fact_id in condition_facts(kb.rules[rule_id].when):
            if fact_id in engine.memory:
                continue
            for setter in kb.rules_setting(fact_id):
                if engine.fired(setter) or engine.state(setter) is not None:
                    continue
                before = len(serves.get(setter, ()))
                serves.setdefault(setter, set()).update(serves[rule_id])
                weights[setter] = max(weights.get(setter, 0.0), weights[rule_id])
                if len(serves[setter]) != before:
                    frontier.append(setter)
    live.rules = {r: frozenset(c) for r, c in serves.items()}
    live.weights = weights
    return live


def _entropy(masses: dict[str, float]) -> float:
    total = sum(masses.values())
    if total <= 0:
        return 0.0
    return -sum((m / total) * math.log2(m / total) for m in masses.values() if m > 0)


class Planner:
    """Scores candidate questions and probes against the live hypotheses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.live = live_rules(engine)
        self._cause_weight = {
            c: 1.0 + max(0.0, engine.cause_cf(c)) for c in self.live.causes()
        }
        self._path_mass = self._masses()
        self._prior = self._by_cause(self._path_mass)
        self._entropy = _entropy(self._prior)

    # -------------------------------------------------------------- hypotheses
    def _masses(self) -> dict[str, dict[str, float]]:
        """Mass of each (rule, cause) path; a cause's mass is split over its paths.

        A null path ("none of the live causes") that every answer allows keeps a lone
        hypothesis worth testing: confirming or ruling it out still carries information.
        """
        paths_per_cause: dict[str, int] = defaultdict(int)
        for served in self.live.rules.values():
            for cause in served:
                paths_per_cause[cause] += 1
        masses = {
            rule_id: {
                c: self._cause_weight[c] * self.live.weights[rule_id] / paths_per_cause[c]
                for c in served
            }
            for rule_id, served in self.live.rules.items()
        }
        if masses:
            masses[_NULL] = {_NULL: 1.0}
        return masses

    @staticmethod
    def _by_cause(paths: dict[str, dict[str, float]]) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for masses in paths.values():
            for cause, m in masses.items():
                out[cause] += m
        return dict(out)

    # -------------------------------------------------------------- outcomes
    def outcomes(self, spec: FactSpec, rule_ids: list[str]) -> list[Any]:
        """Representative answers for ``spec``: one per distinct way the rules could go."""
        if spec.type == "bool":
            return [True, False]
        if spec.type == "enum":
            return list(spec.choice_values)
        tests = [
            leaf for r in rule_ids for leaf in leaves(self.engine.kb.rules[r].when)
            if leaf.fact == spec.id
        ]
        if spec.type == "number":
            points: set[float] = set()
            for leaf in tests:
                bounds = list(leaf.value) if leaf.op == "between" else (
                    [leaf.value] if isinstance(leaf.value, int | float)
                    and not isinstance(leaf.value, bool) else []
                )
                for b in bounds:
                    delta = max(abs(b) * 1e-6, 1e-12)
                    points.update((b - delta, float(b), b + delta))
            return sorted(points)
        values: list[Any] = []
        for leaf in tests:
            if leaf.op in {"is", "ne"}:
                values.append(leaf.value)
            elif leaf.op in {"in", "not_in"}:
                values.extend(leaf.value)
            elif leaf.op == "contains":
                values.append(leaf.value)
        values.append("\x00other")
        return list(dict.fromkeys(values))

    def gain(self, fact_ids: list[str]) -> tuple[float, tuple[str, ...]]:
        """Expected information gain of learning ``fact_ids``, and the live rules it decides.

        Several facts (a probe's) are scored one by one and summed, capped by the entropy.
        """
        if len(fact_ids) > 1:
            total, decided_all = 0.0, set()
            for fact_id in fact_ids:
                g, d = self.gain([fact_id])
                total += g
                decided_all.update(d)
            return min(total, self._entropy), tuple(sorted(decided_all))
        fact_id = fact_ids[0]
        kb = self.engine.kb
        rule_ids = sorted(r for r in kb.rules_reading(fact_id) if r in self.live.rules)
        if not rule_ids:
            return 0.0, ()
        signatures = list(dict.fromkeys(
            tuple(
                evaluate(kb.rules[r].when, self.engine.memory, {fact_id: value})
                for r in rule_ids
            )
            for value in self.outcomes(kb.facts[fact_id], rule_ids)
        ))
        if len(signatures) <= 1:
            return 0.0, ()
        decided = tuple(
            r for i, r in enumerate(rule_ids) if any(sig[i] is not None for sig in signatures)
        )
        allowed = {
            r: [k for k, sig in enumerate(signatures) if sig[i] is not False]
            for i, r in enumerate(rule_ids)
        }
        everywhere = list(range(len(signatures)))
        p_outcome = [0.0] * len(signatures)
        posterior: list[dict[str, float]] = [defaultdict(float) for _ in signatures]
        for rule_id, masses in self._path_mass.items():
            ks = allowed.get(rule_id, everywhere)
            for cause, m in masses.items():
                for k in ks:
                    p_outcome[k] += m / len(ks)
                    posterior[k][cause] += m / len(ks)
        total = sum(p_outcome)
        expected = sum(
            (p / total) * _entropy(post) for p, post in zip(p_outcome, posterior, strict=True)
        )
        return max(self._entropy - expected, 1e-6), decided

    def serves(self, decided: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({c for r in decided for c in self.live.rules.get(r, ())}))

    # -------------------------------------------------------------- candidates
    def question_candidates(self, asked: set[str]) -> list[Question]:
        kb, memory = self.engine.kb, self.engine.memory
        facts = {
            f for r in self.live.rules for f in condition_facts(kb.rules[r].when)
            if f not in memory and f not in asked
        }
        out = []
        for fact_id in sorted(facts):
            spec = kb.facts[fact_id]
            if not spec.askable or spec.question is None:
                continue
            g, decided = self.gain([fact_id])
            if g <= 0:
                continue
            out.append(Question(fact_id, spec, g, spec.cost, decided, self.serves(decided)))
        return sorted(out, key=lambda q: (-q.score, q.cost, q.fact))

    def probe_candidates(self, probes: list[ProbeSpec]) -> list[ProbeRequest]:
        memory = self.engine.memory
        live_facts = {
            f for r in self.live.rules for f in condition_facts(self.engine.kb.rules[r].when)
        }
        out = []
        for probe in probes:
            wanted = sorted(f for f in probe.produces if f in live_facts and f not in memory)
            if not wanted:
                continue
            g, decided = self.gain(wanted)
            if g <= 0:
                continue
            out.append(ProbeRequest(probe.id, tuple(wanted), g, probe.cost, decided,
                                    self.serves(decided)))
        return sorted(out, key=lambda p: (-p.score, p.cost, p.probe))

    def next_step(
        self, probes: list[ProbeSpec], asked: set[str], allow_questions: bool = True
    ) -> Question | ProbeRequest | None:
        """The best step, or None when no step could change a conclusion."""
        best: list[Question | ProbeRequest] = []
        best.extend(self.probe_candidates(probes)[:1])
        if allow_questions:
            best.extend(self.question_candidates(asked)[:1])
        if not best:
            return None
        return min(best, key=lambda s: (-s.score, s.cost))


