"""The metric-name alias table (``metric_aliases.yaml``, data beside the readers).

Every log reader asks :func:`canonical_name` what a column or tag means; a spelling added to
the YAML file is understood by all of them.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from .evidence import Said, say

__all__ = ["ALIASES_FILE", "load_aliases", "normalise", "canonical_name", "unused_note"]

ALIASES_FILE = Path(__file__).with_name("metric_aliases.yaml")

_SEPARATORS = re.compile(r"[/\-.\s()\[\]{}]+")
#: A unit written after a loss's name (nll_nats, val_loss_bits, train_nll_per_event,
#: val_mae_c in °C), the word for the average it is (batch_loss_mean, val_loss_avg) or for
#: the steps it counts (val_mse_masked): the name without it is looked up when the whole name
#: is unknown.
_UNIT = re.compile(r"_(nats?|bits?|mean|avg|average|pct|percent|masked|unmasked|c|degc|gf|mm|cm|"
                   r"kg|per_(event|token|sample|example|item|seq|sequence|char|word|pixel|dim|"
                   r"frame|node|graph|step|batch))$")


#: Any character that already separates a name's words: such a name is never split at its
#: capitals ("Val PSNR (dB)", "val_mAP" and "lr-AdamW" keep their words as written).
_ANY_SEPARATOR = re.compile(r"[_/\-.\s()\[\]{}%]")
#: Word boundaries of a camel-case name: "ValLoss", "trainAcc", "learningRate", "ValPSNR".
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Mixed-case abbreviations that are one word, not two.
_ONE_WORD = ("mIoU", "IoU", "mAP", "dB", "nDCG")


def _uncamel(name: str) -> str:
    """A name written in camel case with no separator ("ValLoss", "trainAcc") with ``_``
    between its words; any other name unchanged."""
    if _ANY_SEPARATOR.search(name) or name.islower() or name.isupper():
        return name
    for word in _ONE_WORD:
        name = name.replace(word, f"_{word.lower()}_")
    return _CAMEL.sub("_", name).replace("__", "_")


def normalise(name: str) -> str:
    """Lower-case; ``/``, ``-``, ``.``, spaces and brackets become ``_``; a ``%`` goes
    ("Val PSNR (dB)" is ``val_psnr_db``, "Val Acc (%)" is ``val_acc``); a camel-case name
    with no separator is split at its capitals ("ValLoss" is ``val_loss``)."""
    cleaned = _uncamel(name.strip())
    return _SEPARATORS.sub("_", cleaned.lower().replace("%", "")).strip("_")


@cache
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, int]],
                      list[tuple[re.Pattern[str], str, int]]]:
    data = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
    aliases = {str(k): tuple(str(n) for n in v) for k, v in data["aliases"].items()}
    lookup: dict[str, tuple[str, int]] = {}
    for canon, names in aliases.items():
        for rank, name in enumerate(names):
            lookup.setdefault(normalise(name), (canon, rank))
    patterns = [(re.compile(p), str(canon), len(aliases[canon]))
                for canon, items in (data.get("patterns") or {}).items() for p in items]
    patterns += [(re.compile(p), str(canon), len(aliases[canon]) + 1)  # after every pattern
                 for canon, items in (data.get("weak_patterns") or {}).items() for p in items]
    return aliases, lookup, patterns


def load_aliases() -> dict[str, tuple[str, ...]]:
    """Canonical metric → accepted names, most preferred first."""
    return dict(_table()[0])


def canonical_name(column: str) -> tuple[str, int] | None:
    """(canonical metric, preference rank) of a column name, or None when unknown."""
    _, lookup, patterns = _table()
    key = normalise(column)
    found = lookup.get(key)
    if found is not None:
        return found
    for pattern, canon, rank in patterns:
        if pattern.match(key):
            return canon, rank
    bare = _UNIT.sub("", key)
    return canonical_name(bare) if bare != key else None


def unused_note(source: Path | str, unused: list[str], kind: str = "columns") -> str:
    """One report line naming the columns or tags of ``source`` no metric was read from."""
    shown: list[str] | Said = unused[:12]
    if len(unused) > 12:
        shown = say("note.and_more", names=shown, n=len(unused) - 12)
    return say("note.unused_columns", file=Path(source).name, kind=say(f"kind.{kind}"),
               names=shown, aliases=ALIASES_FILE.name)
