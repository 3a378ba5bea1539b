"""The tuning / held-out split, by seed AND by architecture family: the one place it is set.

Certainty factors and thresholds may be chosen on the *tuning* part only. A run is in the
tuning part when both its family and its seed are tuning ones; every other run is held out
(an unseen family, an unseen seed, or both), so no held-out run shares its family-and-seed
draw with anything tuned on.
"""

from __future__ import annotations

from .config import FAMILIES, RunConfig

__all__ = ["HELD_OUT_FAMILIES", "HELD_OUT_SEEDS", "TUNING_FAMILIES", "part_of", "PARTS"]

#: conv1d and resmlp joined at stop 32, tcn and mixer at stop 33, sepconv and bigru_attn at
#: stop 34, each pair scored before anything was tuned on it.
HELD_OUT_FAMILIES = frozenset({"gru", "lstm", "autoencoder", "rescnn", "conv1d", "resmlp",
                               "tcn", "mixer", "sepconv", "bigru_attn"})
TUNING_FAMILIES = frozenset(FAMILIES) - HELD_OUT_FAMILIES
HELD_OUT_SEEDS = frozenset(range(20, 10_000))  # seeds 0-19 are tuning seeds
PARTS = ("tuning", "held_out")


def part_of(family: str, seed: int) -> str:
    """``"tuning"`` or ``"held_out"``."""
    if family in HELD_OUT_FAMILIES or seed in HELD_OUT_SEEDS:
        return "held_out"
    return "tuning"


def part(c: RunConfig) -> str:
    """The part ``c`` belongs to."""
    return part_of(c.family, c.seed)
