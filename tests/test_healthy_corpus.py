"""A small subset of the real healthy corpus (bench/healthy_corpus.py), diagnosed as found.

Pretrained weights shipped inside two small PyPI wheels (``lpips``, ``dists-pytorch``:
fetched with ``pip download --no-deps``, never installed) and, where PyTorch Lightning is
installed (the ``bench`` extra), one healthy run trained with Lightning's own Trainer. Every
checkpoint must be readable; none may raise an alarm, except the known gaps listed below
(each with the engine work that closes it). Skipped, with the reason, when PyPI cannot be
reached.
"""

from __future__ import annotations

import pytest

from bench.healthy_corpus import (
    WHEELS,
    Item,
    diagnose_item,
    false_alarm,
    fetch_items,
    lightning_items,
)
from bench.lightning_runs import available
from bench.trust.run import Outcome

pytestmark = pytest.mark.corpus

SUBSET = ["lpips", "dists-pytorch"]

#: Item id prefix -> why it is flagged today (a known gap, with the engine work that closes
#: it). Remove an entry once it passes.
#: (Stop 57 closed the last one: lightning mlp-101's train/validation gap beside a validation
#: accuracy of 0.92 that never fell, once overfitting 0.60.)
KNOWN_ALARMS: dict[str, str] = {}


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[Item, Outcome]]:
    got, skipped = fetch_items(SUBSET, lightning=False)
    if not got:
        pytest.skip(f"healthy corpus not reachable: {'; '.join(skipped)[:300]}")
    if available():
        got += lightning_items(limit=1)
    return [(item, diagnose_item(item, with_log))
            for item in got for with_log in ((False, True) if item.log else (False,))]


def test_the_subset_is_in_the_catalogue() -> None:
    assert set(SUBSET) <= {w.package for w in WHEELS}
    assert len(WHEELS) >= 10


def test_every_checkpoint_is_readable(outcomes: list[tuple[Item, Outcome]]) -> None:
    assert len({item.id for item, _ in outcomes}) >= 7  # six LPIPS heads and DISTS
    for item, o in outcomes:
        assert o.rc in (0, 1), f"{item.id}: exit {o.rc}: {o.error}"
        assert not o.error, f"{item.id}: {o.error}"


def test_no_false_alarm_on_healthy_checkpoints(outcomes: list[tuple[Item, Outcome]]) -> None:
    alarms = [f"{item.id} ({o.mode}): exit {o.rc}, {o.faults[:3]}" for item, o in outcomes
              if false_alarm(o) and not any(item.id.startswith(p) for p in KNOWN_ALARMS)]
    assert not alarms, "; ".join(alarms)
