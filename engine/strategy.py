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
from collections.abc import Container, Iterator
from dataclasses import dataclass
from typing import Any

from .certainty import combine, combine_all
from .conditions import Truth, compile_condition
from .inference import UNFOCUSED, Engine
from .knowledge import KnowledgeBase
from .model import FactSpec, SupportCause
from .values import MISSING, UNKNOWN

__all__ = [
    "ProbeSpec", "Question", "ProbeRequest", "Planner", "live_rules", "settled", "EXACT_BEAM",
    "MIN_QUESTION_SCORE", "EXACT_ALL",
]

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


EXACT_ALL = 200  # up to this many candidate questions, every one is scored exactly
EXACT_BEAM = 32  # beyond that, this many are scored, best elimination bounds first
MIN_QUESTION_SCORE = 0.02  # bits per unit of cost: below it a question wastes the time it costs
SETTLED_CF = 0.7  # a leading cause this certain ...
SETTLED_MARGIN = 0.25  # ... and this far ahead of the next one settles the diagnosis
RIVAL_CF = 0.5  # ... unless the next one is itself a diagnosis (the report threshold)


def _answer_counts(kb: KnowledgeBase) -> dict[str, tuple[int, bool]]:
    """Per fact: how many representative answers it has, and whether it is a number
    (cached per knowledge base)."""
    counts: dict[str, tuple[int, bool]] | None = kb.cache.get("strategy.answer_counts")
    if counts is None:
        counts = kb.cache["strategy.answer_counts"] = {
            f: (len(kb.answer_space(f)), spec.type == "number") for f, spec in kb.facts.items()}
    return counts


def _askable_costs(kb: KnowledgeBase) -> dict[str, float]:
    """The cost of asking each fact a person can be asked (cached per knowledge base)."""
    costs: dict[str, float] | None = kb.cache.get("strategy.askable_costs")
    if costs is None:
        costs = kb.cache["strategy.askable_costs"] = {
            f: spec.cost for f, spec in kb.facts.items()
            if spec.askable and spec.question is not None}
    return costs


def _preconditions(kb: KnowledgeBase) -> dict[str, Any]:
    """Each askable fact's compiled ``asked_if`` (cached per knowledge base)."""
    compiled: dict[str, Any] | None = kb.cache.get("strategy.asked_if")
    if compiled is None:
        compiled = kb.cache["strategy.asked_if"] = {
            f: compile_condition(spec.asked_if) for f, spec in kb.facts.items()
            if spec.asked_if is not None}
    return compiled


def settled(engine: Engine) -> bool:
    """True when the leading cause is certain enough, and far enough ahead, that asking more
    could only add detail: the conversation stops (probes, being free, may still run). A
    runner-up that is itself established (a second diagnosis) keeps it open: a question
    may tell the two apart."""
    scores = engine.scores()
    if not scores or scores[0].cf < SETTLED_CF:
        return False
    return len(scores) == 1 or (scores[1].cf <= scores[0].cf - SETTLED_MARGIN
                                and scores[1].cf < RIVAL_CF)


@dataclass(frozen=True)
class _SetterIndex:
    """What :func:`_setter_paths` walks, per knowledge base: for each fact some rule asserts,
    its readers (with their direct support) and its setters; for each setter the asserted
    facts it reads. Built once per knowledge base and kept in ``kb.cache``."""

    readers: dict[str, tuple[tuple[str, tuple[str, ...], float], ...]]
    setters: dict[str, tuple[str, ...]]
    needs: dict[str, tuple[str, ...]]
    rules: frozenset[str]  # every rule whose state the result depends on


def _setter_index(engine: Engine) -> _SetterIndex:
    kb = engine.kb
    index = kb.cache.get("strategy.setter_index")
    if index is None:
        asserted = sorted(kb.asserted_facts())
        readers: dict[str, tuple[tuple[str, tuple[str, ...], float], ...]] = {}
        setters: dict[str, tuple[str, ...]] = {}
        needs: dict[str, tuple[str, ...]] = {}
        for fact_id in asserted:
            rows = []
            for reader in kb.rules_reading(fact_id):
                support = kb.direct_support(reader)
                # causes in a fixed order: sums over them must not depend on the hash seed
                rows.append((reader, tuple(sorted(support[0])), support[1])
                            if support is not None else (reader, (), 0.0))
            readers[fact_id] = tuple(rows)
            setters[fact_id] = tuple(kb.rules_setting(fact_id))
            for setter in setters[fact_id]:
                needs[setter] = tuple(f for f in kb.facts_of(setter)
                                      if f in kb.asserted_facts())
        rules = frozenset({r for rows in readers.values() for r, _, _ in rows} | set(needs))
        index = kb.cache["strategy.setter_index"] = _SetterIndex(readers, setters, needs,
                                                                 rules)
    return index


#: Setter paths remembered per knowledge base, by the state they depend on.
_SETTER_MEMO = 8


def _setter_paths(engine: Engine) -> dict[str, dict[str, float]]:
    """Undecided rules that assert a fact some undecided rule still needs, and the causes
    (with the weight of the best rule) they serve through it, followed transitively.

    The answer depends only on which of the rules around asserted facts are undecided and
    which asserted facts are known, so it is remembered per knowledge base by that state
    (planning the same state twice, as a step and its list of open questions do, walks once).
    """
    index = _setter_index(engine)
    if not index.readers:
        return {}
    engine.run()  # chain to the fixpoint first
    memory = engine.memory
    live = engine.undecided_among(index.rules)
    state = (live, frozenset(f for f in index.readers if f in memory))
    memo: dict[Any, dict[str, dict[str, float]]] = engine.kb.cache.setdefault(
        "strategy.setter_paths", {})
    if state not in memo:
        if len(memo) >= _SETTER_MEMO:
            memo.pop(next(iter(memo)))
        memo[state] = _walk_setters(index, live, memory)
    return {rule: dict(causes) for rule, causes in memo[state].items()}


def _walk_setters(index: _SetterIndex, live: frozenset[str], known: Container[str]
                  ) -> dict[str, dict[str, float]]:
    """From each unknown asserted fact a live rule reads, back to the live rules that could
    assert it: each serves the causes its readers serve (the best weight per cause), and
    in turn passes them on to the asserted facts it needs itself."""
    serves: dict[str, dict[str, float]] = {}
    pending = [f for f in index.readers if f not in known
               and any(r in live for r, _, _ in index.readers[f])]
    seen_rounds = 0
    while pending and seen_rounds < 1000:
        seen_rounds += 1
        fact_id = pending.pop()
        wanted = _wanted(index.readers[fact_id], live, serves)
        if not wanted:
            continue
        for setter in index.setters[fact_id]:
            if setter in live and _raise(serves.setdefault(setter, {}), wanted):
                # the setter's own needs now serve these causes too
                pending.extend(f for f in index.needs[setter] if f not in known)
    return serves


def _wanted(readers: tuple[tuple[str, tuple[str, ...], float], ...], live: frozenset[str],
            serves: dict[str, dict[str, float]]) -> dict[str, float]:
    """The causes a fact's live readers serve, directly or through what they assert, each
    with the best weight."""
    wanted: dict[str, float] = {}
    for reader, causes, weight in readers:
        if reader not in live:
            continue
        for cause in causes:
            wanted[cause] = max(wanted.get(cause, 0.0), weight)
        for cause, w in serves.get(reader, {}).items():
            wanted[cause] = max(wanted.get(cause, 0.0), w)
    return wanted


def _raise(mine: dict[str, float], wanted: dict[str, float]) -> bool:
    """Raise ``mine`` to ``wanted`` cause by cause; return whether anything grew."""
    grew = False
    for cause, w in wanted.items():
        if mine.get(cause, 0.0) < w:
            mine[cause] = w
            grew = True
    return grew


def live_rules(engine: Engine) -> dict[str, frozenset[str]]:
    """Every undecided rule that could still change a conclusion, with the causes it serves."""
    out: dict[str, frozenset[str]] = {}
    for rule_id in engine.undecided():
        support = engine.kb.direct_support(rule_id)
        if support is not None:
            out[rule_id] = support[0]
    for rule_id, causes in _setter_paths(engine).items():
        out[rule_id] = out.get(rule_id, frozenset()) | frozenset(causes)
    return out


EVIDENCE_WEIGHT = 9.0  # a certain cause (cf 1) weighs ten times one with no evidence yet


Signature = tuple[Truth, ...]  # the truth of each reader of a fact, given one answer


@dataclass(frozen=True)
class _Split:
    """How one fact's answers divide the causes' mass (see :meth:`Planner._split`)."""

    quiet: frozenset[int]  # the answers that fire no rule for anything
    n_quiet: int
    touched: dict[str, float]  # cause -> its mass not on the fact's readers
    per_answer: list[dict[str, float]]  # answer -> cause -> mass its readers keep
    rest_mass: float  # the untouched causes' mass
    rest_mlogm_q: float  # their sum of m log m within one quiet answer


def _belief(cf: float) -> float:
    """The mass a cause in focus carries for its certainty factor."""
    return 1.0 + EVIDENCE_WEIGHT * max(0.0, cf)


def _mlogm(m: float) -> float:
    return m * math.log2(m) if m > 0 else 0.0


def _entropy_of(total: float, sum_mlogm: float) -> float:
    """Entropy (bits) of unnormalised masses with sum ``total`` and sum of m*log2(m)."""
    if total <= 0:
        return 0.0
    return max(0.0, math.log2(total) - sum_mlogm / total)


class Planner:
    """Scores candidate questions and probes against the live hypotheses.

    Each live rule is a *path* to the causes it serves. A cause's mass ``w`` is
    ``1 + 9 cf`` (its evidence so far), times :data:`UNFOCUSED` while none of its live rules
    has a fact established (nothing points at it yet); it is shared among its paths in
    proportion to ``|cf| * focus`` (a rule halfway to firing weighs more than an untouched
    one). A null path ("none of these") carries mass 1 and is allowed by every answer.
    Learning a fact rules out the paths its answer makes false (which sets how likely each
    answer is) and fires the rules it makes true (whose certainty re-weighs their causes);
    the score is the expected drop in entropy of the distribution over causes, per unit of
    cost.

    Only the causes reached by the rules that read a fact differ between its answers, so a
    fact is scored in time proportional to those rules, and the engine keeps the per-cause
    sums up to date, so a step never walks the whole knowledge base. With more than
    :data:`EXACT_ALL` candidates, the elimination bound ``q * log2(K)`` (q: share of the
    mass on the fact's rules, K: distinct answers) picks the :data:`EXACT_BEAM` that are
    scored (see :meth:`question_candidates`).
    """

    def __init__(self, engine: Engine) -> None:
        engine.run()  # plans are made at a fixpoint
        self.engine = engine
        kb = engine.kb
        self._setters = _setter_paths(engine)
        weight: dict[str, float] = {}
        paths_weight: dict[str, float] = {}
        live = engine.live
        for cause, total in live.cause_weights():
            paths_weight[cause] = total
        for served in self._setters.values():
            for cause, w in served.items():
                paths_weight[cause] = paths_weight.get(cause, 0.0) + w
        for cause in paths_weight:
            # a cause's prior mass: larger with the evidence it has; small while none of its
            # live rules has any of its facts established (nothing points at it yet)
            support = max(0.0, engine.cause_cf(cause))
            in_focus = support > 0 or live.in_focus(cause)
            weight[cause] = _belief(support) * (1.0 if in_focus else UNFOCUSED)
        self._weight = weight
        self._paths_weight = paths_weight
        self._cause_mass = {c: weight[c] for c in paths_weight}
        self._per_weight = {c: weight[c] / paths_weight[c] for c in paths_weight}
        if self._cause_mass:
            self._cause_mass[_NULL] = 1.0
        # exact sums: the causes come in the order they went live, which differs between an
        # engine replayed and one brought up to date answer by answer
        self._total = math.fsum(self._cause_mass.values())
        self._sum_mlogm = math.fsum(_mlogm(m) for m in self._cause_mass.values())
        self._entropy = _entropy_of(self._total, self._sum_mlogm)
        self._gain_cache: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._mass_cache: dict[str, dict[str, float]] = {}
        self._fact_totals: tuple[dict[str, float], dict[str, int]] | None = None
        self._kb = kb

    # -------------------------------------------------------------- paths
    def path_mass(self, rule_id: str) -> dict[str, float]:
        """The mass this live rule carries for each cause it serves (empty: not live)."""
        cached = self._mass_cache.get(rule_id)
        if cached is None:
            cached = self._mass_cache[rule_id] = self._path_mass(rule_id)
        return cached

    def _path_mass(self, rule_id: str) -> dict[str, float]:
        served: dict[str, float] = {}
        support = self._kb.direct_support(rule_id)
        if support is not None and self.engine.is_undecided(rule_id):
            for cause in support[0]:
                served[cause] = support[1] * self.engine.focus(rule_id)
        for cause, w in self._setters.get(rule_id, {}).items():
            served[cause] = served.get(cause, 0.0) + w
        return {
            c: self._weight[c] * w / self._paths_weight[c]
            for c, w in served.items() if c in self._paths_weight
        }

    # -------------------------------------------------------------- outcomes
    def outcomes(self, spec: FactSpec) -> list[Any]:
        """Representative answers for ``spec`` (see KnowledgeBase.answer_space)."""
        return self._kb.answer_space(spec.id)

    def _readers(self, fact_id: str) -> list[tuple[str, dict[str, float]]]:
        out = []
        for rule_id in sorted(self._kb.rules_reading(fact_id)):
            mass = self.path_mass(rule_id)
            if mass:
                out.append((rule_id, mass))
        return out

    def _fact_mass(self) -> tuple[dict[str, float], dict[str, int]]:
        """Per open fact: the mass of the live rules reading it, and their cut points.

        Built from the per-(fact, cause) sums the engine keeps up to date, so bounding every
        candidate costs O(open facts x causes per fact), not a walk over the rules. Sums are
        exact (``math.fsum``), so they do not depend on the order the engine met the rules."""
        if self._fact_totals is None:
            live, memory, per = self.engine.live, self.engine.memory, self._per_weight
            fsum = math.fsum
            mass = live.fact_masses(per, memory)
            extras: dict[str, list[float]] = {}
            for rule_id, served in self._setters.items():  # rules serving causes via facts
                extra = fsum([per.get(c, 0.0) * w for c, w in served.items()])
                if extra > 0:
                    for fact_id in self._kb.facts_of(rule_id):
                        if fact_id not in memory:
                            extras.setdefault(fact_id, []).append(extra)
            for fact_id, more in extras.items():
                mass[fact_id] = fsum([mass.get(fact_id, 0.0), *more])
            self._fact_totals = (mass, dict(live.cuts()))
        return self._fact_totals

    def bound(self, fact_id: str) -> float:
        """An upper bound on :meth:`gain` for one fact, computed without evaluating rules."""
        return self._bound(fact_id, *self._fact_mass())

    def _bound(self, fact_id: str, mass: dict[str, float], cuts: dict[str, int]) -> float:
        answers, number = _answer_counts(self._kb)[fact_id]
        return self._bound_of(mass.get(fact_id, 0.0), answers, number, cuts.get(fact_id, 0))

    def _bound_of(self, mass: float, answers: int, number: bool, cuts: int) -> float:
        """The bound for a fact with ``mass`` on its live rules and ``answers``
        representative answers (a number fact: ``cuts`` cut points tested by live rules)."""
        q = mass / self._total if self._total > 0 else 0.0
        if q <= 0:
            return 0.0
        k = min(answers, 2 * cuts + 1) if number else answers  # n cuts: 2n + 1 answers
        if k <= 1:
            return 0.0
        return min(self._entropy, q * math.log2(k)) + 1e-6

    def gain(self, fact_ids: list[str]) -> tuple[float, tuple[str, ...]]:
        """Expected information gain of learning ``fact_ids``, and the live rules it decides.

        Several facts (a probe's) are scored one by one and summed, capped by the entropy.
        """
        if len(fact_ids) > 1:
            total, decided_all = 0.0, set[str]()
            for fact_id in fact_ids:
                g, d = self.gain([fact_id])
                total += g
                decided_all.update(d)
            return min(total, self._entropy), tuple(sorted(decided_all))
        fact_id = fact_ids[0]
        if fact_id not in self._gain_cache:
            self._gain_cache[fact_id] = self._gain_one(fact_id)
        return self._gain_cache[fact_id]

    def _gain_one(self, fact_id: str) -> tuple[float, tuple[str, ...]]:
        """Expected information gain of learning one fact, in named steps: the distinct
        outcomes of its answers for the live rules reading it, the answers that fire
        nothing for a cause, the mass each answer keeps, and the entropy left after each."""
        readers = self._readers(fact_id)
        if not readers:
            return 0.0, ()
        signatures = self._signatures(fact_id, [r for r, _ in readers])
        if len(signatures) <= 1:
            return 0.0, ()
        decided = tuple(
            r for i, (r, _) in enumerate(readers)
            if any(sig[i] is not None for sig in signatures)
        )
        split = self._split(readers, signatures)
        expected = 0.0
        for term in self._answer_terms(readers, signatures, split):
            expected += term  # in answer order, as the scores always added up
        return max(self._entropy - expected, 1e-6), decided

    def _signatures(self, fact_id: str, rule_ids: list[str]) -> list[Signature]:
        """Each distinct outcome of ``fact_id``'s representative answers: the truth of every
        rule in ``rule_ids`` given that answer, in the order the answers first give it."""
        known = self.engine.memory.value
        compiled = [self._kb.compiled(r) for r in rule_ids]
        signatures: list[Signature] = []
        for value in self._kb.answer_space(fact_id):

            def get(f: str, _v: Any = value) -> Any:
                return _v if f == fact_id else known(f)

            signatures.append(tuple(fn(get) for fn in compiled))
        return list(dict.fromkeys(signatures))

    def _quiet(self, rule_ids: list[str], signatures: list[Signature]) -> list[int]:
        """The answers that fire no rule in favour of anything.

        An answer that fires a rule for a cause is what that cause predicts; hypotheses
        that have no say in the matter (the untouched causes, and the touched causes' other
        paths) expect a quiet answer: a symptom needs a cause. With no quiet answer, every
        answer counts as one."""
        positive = [self._kb.is_positive(r) for r in rule_ids]
        return [
            j for j, sig in enumerate(signatures)
            if not any(t is True and p for t, p in zip(sig, positive, strict=True))
        ] or list(range(len(signatures)))

    def _split(self, readers: list[tuple[str, dict[str, float]]],
               signatures: list[Signature]) -> _Split:
        """How the mass of the causes the readers touch divides among the answers: each
        path's mass is shared by the answers that do not rule it out; the rest of a touched
        cause's mass, and every untouched cause, go to the quiet answers."""
        quiet = self._quiet([r for r, _ in readers], signatures)
        touched: dict[str, float] = {}
        per_answer: list[dict[str, float]] = [defaultdict(float) for _ in signatures]
        for i, (_, masses) in enumerate(readers):
            allowed = [j for j, sig in enumerate(signatures) if sig[i] is not False]
            for cause, m in masses.items():
                touched[cause] = touched.get(cause, self._cause_mass[cause]) - m
                for j in allowed:
                    per_answer[j][cause] += m / len(allowed)
        rest_mass = self._total - sum(self._cause_mass[c] for c in touched)
        rest_mlogm = self._sum_mlogm - sum(_mlogm(self._cause_mass[c]) for c in touched)
        n_quiet = len(quiet)
        # the untouched causes, each at mass P/n_quiet in every quiet answer
        rest_mlogm_q = (
            (rest_mlogm - rest_mass * math.log2(n_quiet)) / n_quiet if rest_mass > 0 else 0.0
        )
        return _Split(frozenset(quiet), n_quiet, touched, per_answer, rest_mass, rest_mlogm_q)

    def _answer_terms(self, readers: list[tuple[str, dict[str, float]]],
                      signatures: list[Signature], split: _Split) -> Iterator[float]:
        """For each answer, its probability times the entropy left after it: the answer
        rules paths out (its likelihood) and fires rules, whose evidence re-weighs their
        causes (the sharpening it brings)."""
        touched = split.touched
        for j, sig in enumerate(signatures):
            is_quiet = j in split.quiet
            share = 1.0 / split.n_quiet if is_quiet else 0.0
            boost = self._boosts([r for i, (r, _) in enumerate(readers) if sig[i] is True])
            likely = [touched[c] * share + split.per_answer[j].get(c, 0.0) for c in touched]
            masses_j = [m * boost.get(c, 1.0) for m, c in zip(likely, touched, strict=True)]
            rest_j = split.rest_mass * share
            weight_j = rest_j + sum(likely)
            total_j = rest_j + sum(masses_j)
            if total_j <= 0:
                continue
            rest_term = split.rest_mlogm_q if is_quiet else 0.0
            h_j = _entropy_of(total_j, rest_term + sum(_mlogm(m) for m in masses_j))
            yield (weight_j / self._total) * h_j

    def _boosts(self, fired: list[str]) -> dict[str, float]:
        """How much firing ``fired`` would multiply each cause's mass."""
        if not fired:
            return {}
        added: dict[str, list[float]] = defaultdict(list)
        for rule_id in fired:
            for then in self._kb.rules[rule_id].then:
                if isinstance(then, SupportCause) and then.cause in self._weight:
                    added[then.cause].append(then.cf)
        out = {}
        for cause, cfs in added.items():
            before = self.engine.cause_cf(cause)
            after = combine(before, combine_all(cfs))
            out[cause] = _belief(after) / self._weight[cause]
        return out

    def serves(self, decided: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({c for r in decided for c in self.path_mass(r)}))

    # -------------------------------------------------------------- candidates
    def _open_facts(self) -> list[str]:
        """Unknown facts that some live rule reads."""
        return sorted(self._fact_mass()[0])

    def question_candidates(self, asked: set[str], limit: int | None = None) -> list[Question]:
        """Askable facts worth asking, best first.

        Every candidate is scored exactly while there are at most :data:`EXACT_ALL` of them
        (the built-in knowledge base has about 130). Beyond that, only the :data:`EXACT_BEAM`
        candidates with the highest elimination bound are scored: an approximation, since
        the evidence an answer would add is not bounded by it.
        """
        kb = self._kb
        bounded = []
        mass, cuts = self._fact_mass()
        askable, counts, bound_of = _askable_costs(kb), _answer_counts(kb), self._bound_of
        measured, applies = self.measured_elsewhere, self.applies
        for fact_id, m in mass.items():
            cost = askable.get(fact_id)
            if cost is None or fact_id in asked or measured(fact_id) or not applies(fact_id):
                continue
            upper = bound_of(m, *counts[fact_id], cuts.get(fact_id, 0)) / cost
            if upper > 0:
                bounded.append((-upper, fact_id))
        bounded.sort()  # by bound, then id: the order mass came in does not matter
        if len(bounded) > EXACT_ALL:
            bounded = bounded[: max(EXACT_BEAM, limit or 0)]
        out: list[Question] = []
        for _, fact_id in bounded:
            spec = kb.facts[fact_id]
            g, decided = self.gain([fact_id])
            if g <= 0:
                continue
            out.append(Question(fact_id, spec, g, spec.cost, decided, self.serves(decided)))
        out.sort(key=lambda q: (-q.score, q.cost, q.fact))
        return out[:limit] if limit is not None else out

    def measured_elsewhere(self, fact_id: str) -> bool:
        """A fact the knowledge base says is ``measured_as`` another fact that is known (not
        unknown): asking would only repeat the measurement in the person's words."""
        value = self.engine.memory.value
        return any(value(other) is not MISSING and value(other) is not UNKNOWN
                   for other in self._kb.facts[fact_id].measured_as)

    def applies(self, fact_id: str) -> bool:
        """False when the question's ``asked_if`` is known to be false: it asks about
        structure the measurements showed absent (a fact known as unknown decides nothing)."""
        condition = _preconditions(self._kb).get(fact_id)
        if condition is None:
            return True
        value = self.engine.memory.value

        def known(fact: str) -> Any:
            seen = value(fact)
            return MISSING if seen is UNKNOWN else seen

        return condition(known) is not False

    def probe_candidates(self, probes: list[ProbeSpec]) -> list[ProbeRequest]:
        open_facts = set(self._open_facts())
        out = []
        for probe in probes:
            wanted = sorted(f for f in probe.produces if f in open_facts)
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
        if allow_questions and not settled(self.engine):
            best.extend(q for q in self.question_candidates(asked, limit=1)
                        if q.score >= MIN_QUESTION_SCORE)
        if not best:
            return None
        return min(best, key=lambda s: (-s.score, s.cost))


