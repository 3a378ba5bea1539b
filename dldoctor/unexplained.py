"""Failures a probe measured that no established fault explains: said beside "No fault
established yet", so that a run whose loss went NaN does not read as a clean one when the
evidence cannot yet tell why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dldoctor.probes.evidence import localize

if TYPE_CHECKING:
    from dldoctor.session import Session

__all__ = ["unexplained", "FAILURES"]

#: Measured facts that mean the run failed, whatever the cause: NaN/inf, a diverging loss, and
#: a model that ends no better than a guess (a healthy run cannot: even a task at its ceiling
#: beats chance)
FAILURES = ("loss.non_finite", "weights.non_finite", "loss.diverged", "forward.non_finite",
            "val.acc_at_chance", "val.loss_at_chance")


def unexplained(session: Session) -> list[str]:
    """The failures probes measured (true), each with its evidence, in the session language;
    read only when no fault is established."""
    out = []
    for fact in FAILURES:
        known = session.engine.memory.get(fact)
        if known is None or known.value is not True or known.origin in ("asked", "given"):
            continue
        text = session.kb.facts[fact].text.get(session.lang)
        evidence = localize(known.evidence, session.lang) if known.evidence else ""
        out.append(f"{text} — {evidence}" if evidence else text)
    return out
