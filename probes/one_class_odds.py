"""Whether a batch of one class says anything of how batches are made: when one class fills
nearly all of the data, a random batch holds it alone often (97.5 % of one class: a batch of
64 draws it alone one time in five), so such a batch is no sign of sorted or one-class
batches. The class's share is read from the log: a validation accuracy identical at every
evaluation is one answer predicted for everything, scoring that answer's share."""

from __future__ import annotations

from ..engine.values import UNKNOWN
from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, say
from .log_probes import IDENTICAL_ACCURACY, accuracy_fractions
from .logs import logged

__all__ = ["ONE_CLASS_ODDS", "one_class_by_chance"]

#: A one-class batch drawn at random at least this often (one time in twenty) is no sign.
ONE_CLASS_ODDS = 0.05


def _one_answer_share(inputs: Inputs, ctx: ProbeContext) -> float | None:
    """The share the model's one answer scores: its validation accuracy when identical at
    every (three or more) evaluation — as the log probe reads one predicted class — and above
    a half; None otherwise or without a log."""
    values = accuracy_fractions(logged(inputs, ctx, "val_acc"))
    if values is None or float(values.max() - values.min()) > IDENTICAL_ACCURACY:
        return None
    share = float(values[0])
    return share if 0.5 < share < 1.0 else None


def one_class_by_chance(found: list[Finding], inputs: Inputs, ctx: ProbeContext
                        ) -> list[Finding]:
    """``found`` with a ``batch.single_class`` of True made unknown when a random batch of its
    size holds the logged one answer's class alone at least :data:`ONE_CLASS_ODDS` of the
    time."""
    single = next((f for f in found if f.fact == "batch.single_class"), None)
    size = next((f.value for f in found if f.fact == "batch.size"), None)
    if single is None or single.value is not True or not isinstance(size, float):
        return found
    share = _one_answer_share(inputs, ctx)
    if share is None or (odds := share ** size) < ONE_CLASS_ODDS:
        return found
    chance = Finding("batch.single_class", UNKNOWN,
                     say("batch.one_class_by_chance", n=int(size), share=share,
                         odds=Pct(odds)),
                     {"share": share, "odds": odds})
    return [chance if f is single else f for f in found]
