"""Abductive cover: a cause is believed only as far as it explains what was observed.

Rules give a cause evidence from anything — the optimizer, the architecture, a person's
guess. That evidence says a cause is *possible*; it does not say the cause is what went
wrong. A cause declares in ``explains`` which observations it would account for (symptoms a
person reported, anomalies a probe measured). Its belief is then bounded by its cover:

- ``observed``: something it explains was observed — the rules' certainty stands;
- ``open``: nothing it explains was seen, but some of it is not known — scaled by
  :data:`OPEN_CAP`, so below the reporting threshold: a possibility to check, not a diagnosis;
- ``absent``: what it would explain is known and none of it was seen (a healthy log) —
  scaled by :data:`ABSENT_CAP`, below the conclusion threshold;
- ``undeclared``: the cause has no ``explains`` (a team rule written before it existed): a
  fault keeps its rules' certainty, a note stays a note.

Then causes compete for what they explain (:func:`explaining_away`): a cause whose
observations an established cause already explains, or a mechanism (``consequence_of``) of an
established root cause, is discounted.

A practice *note* (advice) never becomes a diagnosis on its rules alone: only when its
``explains`` is observed. A person's answer about a fact a probe can measure on the given
inputs does not count as an observation (measurements beat words), so a hedged "yes, maybe"
cannot carry a cause past the reporting threshold. See docs/reasoning.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from .memory import WorkingMemory
from .model import AllOf, CauseSpec, Condition, Leaf, NotOf
from .values import MISSING, UNKNOWN

__all__ = [
    "ABSENT_CAP",
    "ANY_ROOT",
    "EXPLAIN_AWAY",
    "explained_facts",
    "explaining_away",
    "is_rooted",
    "Cover",
    "OPEN_CAP",
    "REPORT_THRESHOLD",
    "WORDS",
    "belief",
    "cover_of",
]

Cover = Literal["observed", "open", "absent", "undeclared"]

REPORT_THRESHOLD = 0.5  # a fault at or above it is a diagnosis (exit status 1)
# scales (not clips, which keeps the rules' ranking among causes that explain nothing yet)
OPEN_CAP = 0.45  # below REPORT_THRESHOLD: possible, not established
ABSENT_CAP = 0.15  # below CONCLUDE_THRESHOLD: not concluded at all
ANY_ROOT = "any_root"  # in consequence_of: any established cause that is no consequence itself
#: The most a mechanism keeps beside an established root it names: possible, not a fault.
MECHANISM_CAP = REPORT_THRESHOLD - 0.01
EXPLAIN_AWAY = 0.5  # how much a stronger cause covering the same observations discounts
WORDS = frozenset({"asked", "given"})  # origins that are a person's word, not a measurement


def _observation_getter(memory: WorkingMemory, verifiable: frozenset[str]) -> Callable[[str], Any]:
    def get(fact_id: str) -> Any:
        fact = memory.get(fact_id)
        if fact is None or fact.value is UNKNOWN:
            return MISSING
        if fact.origin in WORDS and fact_id in verifiable:
            return MISSING  # a probe can measure it: the answer alone is no observation
        return fact.value

    return get


def cover_of(
    compiled: Callable[[Callable[[str], Any]], bool | None] | None,
    memory: WorkingMemory,
    verifiable: frozenset[str] = frozenset(),
) -> Cover:
    """Whether what a cause explains was observed, is open, or is known to be absent."""
    if compiled is None:
        return "undeclared"
    truth = compiled(_observation_getter(memory, verifiable))
    if truth is True:
        return "observed"
    return "absent" if truth is False else "open"


def is_rooted(
    compiled: Callable[[Callable[[str], Any]], bool | None] | None,
    memory: WorkingMemory,
    verifiable: frozenset[str] = frozenset(),
) -> bool:
    """Whether a mechanism's ``root_when`` holds: read when the differential is ranked, so a
    fact nobody established counts as not known (``known: false`` holds for it) and a
    person's word on a measurable fact counts for nothing."""
    if compiled is None:
        return False
    get = _observation_getter(memory, verifiable)
    return compiled(lambda fact_id: UNKNOWN if (v := get(fact_id)) is MISSING else v) is True


def belief(cause: CauseSpec, raw_cf: float, cover: Cover) -> float:
    """The certainty that ranks ``cause``: its rules' CF scaled by its cover."""
    if raw_cf <= 0 or cover == "observed" or (cover == "undeclared" and cause.kind == "fault"):
        return raw_cf
    if cause.kind == "note" or cover == "absent":
        return raw_cf * ABSENT_CAP
    return raw_cf * OPEN_CAP


def explained_facts(cause: CauseSpec, memory: WorkingMemory,
                    verifiable: frozenset[str] = frozenset()) -> frozenset[str]:
    """The observed facts that ``cause``'s ``explains`` accounts for: the tests of its
    clauses that hold. A test inside an ``all`` counts only when the whole ``all`` holds
    (``val.acc_at_chance`` beside a training accuracy 0.3 above it is an observation; either
    alone is not), and nothing under a ``not`` is an observation."""
    if cause.explains is None:
        return frozenset()
    return frozenset(_holding(cause.explains, _observation_getter(memory, verifiable))[1])


def _holding(cond: Condition, get: Callable[[str], Any]) -> tuple[bool, set[str]]:
    """Whether ``cond`` holds on the observations, and the facts of its holding tests."""
    from .conditions import test_leaf

    if isinstance(cond, Leaf):
        value = get(cond.fact)
        holds = value is not MISSING and test_leaf(cond, value)
        return holds, {cond.fact} if holds else set()
    if isinstance(cond, NotOf):
        return not _holding(cond.not_, get)[0], set()
    parts = [_holding(c, get) for c in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if isinstance(cond, AllOf):
        holds = all(h for h, _ in parts)
        return holds, set().union(*(f for _, f in parts)) if holds else set()
    return any(h for h, _ in parts), set().union(*(f for h, f in parts if h))


def _prior_discounts(
    ranked: list[tuple[str, float, frozenset[str]]],
    roots: dict[str, frozenset[str]],
    yields: dict[str, frozenset[str]],
    notes: frozenset[str] = frozenset(),
    rooted: dict[str, frozenset[str]] | None = None,
) -> dict[str, tuple[float, str]]:
    """Discounts that do not depend on rank: a mechanism of an established root cause it names,
    a cause that yields to an established cause (by the others' own beliefs), and a practice
    note that shares an observation with an established fault (advice does not compete with a
    fault for what the fault explains). Returns, for each discounted cause, the factor and the
    cause that explains it."""
    rooted = rooted or {}
    strength = {cause: belief_ for cause, belief_, _ in ranked}
    seen = {cause: observed for cause, _, observed in ranked}
    established = sorted(c for c, b in strength.items() if b >= REPORT_THRESHOLD)
    out: dict[str, tuple[float, str]] = {}
    for cause, belief_, observed in ranked:
        if belief_ <= 0:
            continue
        mine = roots.get(cause, frozenset()) - rooted.get(cause, frozenset())
        # a root named outright, or a cause it yields to; "any root" stays a matter of rank
        # (in explaining_away), since an unrelated weak root must not discount a mechanism
        explainers = [o for o in established if o != cause and (
            o in mine or o in yields.get(cause, frozenset())
            or (cause in notes and o not in notes and bool(observed & seen[o])))]
        for other in explainers:
            # advice keeps only what the fault leaves unexplained; so does a root a measured
            # mechanism stands over (its evidence is the blow-up that mechanism explains)
            weight = 1.0 if (cause in notes and other not in notes) or \
                cause in rooted.get(other, frozenset()) else EXPLAIN_AWAY
            factor = 1.0 - weight * strength[other]
            if other in mine:
                # a mechanism of a root it names outright (a decay too fast from a scheduler
                # stepped per batch) is how that fault acted, never a second fault
                factor = min(factor, MECHANISM_CAP / belief_)
            if factor < out.get(cause, (1.0, ""))[0]:
                out[cause] = (factor, other)
    return out


def explaining_away(
    ranked: list[tuple[str, float, frozenset[str]]],
    roots: dict[str, frozenset[str]] | None = None,
    yields: dict[str, frozenset[str]] | None = None,
    notes: frozenset[str] = frozenset(),
    rooted: dict[str, frozenset[str]] | None = None,
) -> dict[str, tuple[float, str | None]]:
    """Discount causes that an established cause already explains.

    ``ranked``: (cause, belief, observed facts it explains), highest belief first;
    ``roots``: for a cause, the root causes it is a consequence of (``consequence_of``;
    :data:`ANY_ROOT` stands for any cause that is itself no consequence of another).
    A cause is explained away by an established cause (belief at or above
    :data:`REPORT_THRESHOLD`) that it names as a root, whatever their ranks, or by one ranked
    above it that is any root (``any_root``) or explains every observation it explains
    too: it keeps
    ``1 - EXPLAIN_AWAY * belief(stronger)`` of its belief (two causes of one effect compete for
    it). A mechanism (a cause with ``consequence_of``) never explains away a root cause; a
    cause with an observation of its own is not discounted; while no cause is established
    the differential stays as the rules rank it. ``yields``: for a cause, the causes whose
    established presence confounds its evidence (``yields_to``): it is discounted first,
    whatever the ranks, and the rest runs on the discounted ranking; so is a practice note
    (``notes``) that shares an observation with an established fault, and a note never
    explains a fault away. ``rooted``: for a mechanism whose ``root_when`` holds, the roots
    it stands over: they yield to it (in ``yields``) and it is no mechanism of theirs.
    Returns (belief, explained by).
    """
    roots = roots or {}
    rooted = rooted or {}

    def mechanism(cause: str, of: str) -> bool:
        """Whether ``cause`` counts as a mechanism where ``of`` is concerned."""
        return bool(roots.get(cause)) and of not in rooted.get(cause, frozenset())

    yields = dict(yields or {})
    for cause, over in sorted(rooted.items()):
        for other in over:
            yields[other] = yields.get(other, frozenset()) | {cause}
    prior = _prior_discounts(ranked, roots, yields, notes, rooted)
    if prior:
        ranked = sorted(((c, b * prior.get(c, (1.0, ""))[0], o) for c, b, o in ranked),
                        key=lambda r: (-r[1], r[0]))
    out: dict[str, tuple[float, str | None]] = {}
    above: list[tuple[str, float, frozenset[str]]] = []
    for cause, belief_, observed in ranked:
        factor, by = 1.0, prior[cause][1] if cause in prior else None
        if belief_ > 0:
            for stronger, strength, covered in above:
                if (stronger in notes) != (cause in notes):
                    continue  # advice never explains a fault away; faults did it above
                mine = roots.get(cause, frozenset())
                is_root = (ANY_ROOT in mine and not roots.get(stronger)
                           and mechanism(cause, stronger))
                # a mechanism (a cause with roots) never explains away a root cause
                covers = observed and observed <= covered and (
                    mechanism(cause, stronger) or not mechanism(stronger, cause))
                if (is_root or covers) and 1.0 - EXPLAIN_AWAY * strength < factor:
                    factor, by = 1.0 - EXPLAIN_AWAY * strength, stronger
        out[cause] = (belief_ * factor, by)
        if belief_ * factor >= REPORT_THRESHOLD:
            above.append((cause, belief_ * factor, observed))
    return out
