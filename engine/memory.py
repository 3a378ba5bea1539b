"""Working memory: the facts known so far, each with where it came from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .values import MISSING, UNKNOWN, to_json_value

__all__ = ["Fact", "Origin", "WorkingMemory"]

Origin = Literal["asked", "probed", "inferred", "default", "symptom", "given"]


@dataclass(frozen=True, slots=True)
class Fact:
    """A known value of a fact, with its provenance.

    ``source`` is a short machine-readable tag (``probe:log.loss_curve``, ``user``,
    ``rule:nan_first_step``, ``symptom:loss_nan``); ``evidence`` says in words what was seen.
    """

    id: str
    value: Any
    origin: Origin
    source: str
    certainty: float = 1.0
    evidence: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fact": self.id,
            "value": to_json_value(self.value),
            "source": self.source,
        }
        if self.value is UNKNOWN:
            out["unknown"] = True
        if self.certainty != 1.0:
            out["certainty"] = round(self.certainty, 3)
        if self.evidence:
            out["evidence"] = self.evidence
        return out


class _Values(dict[str, Any]):
    """Fact values by id; a missing id reads as :data:`values.MISSING`."""

    def __missing__(self, key: str) -> Any:
        return MISSING


class WorkingMemory:
    """Facts by id. A fact, once known, is not overwritten: first writer wins.

    Answers outrank everything else because the session replays them first.
    """

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self._values = _Values()
        #: The fact's value, or :data:`values.MISSING` when it is not known: the lookup
        #: conditions are evaluated with, a C-level call on the hot path of chaining
        self.value: Callable[[str], Any] = self._values.__getitem__
        #: The fact itself, or None when it is not known (a C-level call, too)
        self.fact: Callable[[str], Fact | None] = self._facts.get
        #: The ids of the facts known with a certainty under 1 (most are certain)
        self.uncertain: set[str] = set()

    def add(self, fact: Fact) -> bool:
        """Store ``fact`` unless its id is known already; return whether it was stored."""
        if fact.id in self._facts:
            return False
        self._facts[fact.id] = fact
        self._values[fact.id] = fact.value
        if fact.certainty < 1.0:
            self.uncertain.add(fact.id)
        return True

    def get(self, fact_id: str) -> Fact | None:
        return self._facts.get(fact_id)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._facts

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)
