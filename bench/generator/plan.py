"""Which runs the benchmark holds: a seeded draw of healthy settings, bugs and severities.

For every seed and family one run is planned; the bug cycles through the family's
applicable bugs (offset by family, so every bug meets every family across seeds), with a
share of healthy runs. Optimizer, schedule, batch size, epochs and file formats are drawn from
the seed, so no two runs of a bug look alike.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .bugs import BUGS, applicable
from .config import FAMILIES, RunConfig

__all__ = ["healthy_config", "plan", "N_SEEDS", "HEALTHY_SLOTS", "CONTROL_SEEDS"]

N_SEEDS = 30  # 30 seeds x 16 families = 480 runs with the bug cycle (+ 80 control runs)
HEALTHY_SLOTS = 5  # healthy slots among each family's cycle of bugs
#: Healthy-only seeds after the cycle (held out, as seeds >= 20): every family gets healthy
#: held-out runs, whatever its cycle's healthy slots fall on.
CONTROL_SEEDS = range(N_SEEDS, N_SEEDS + 5)


def healthy_config(family: str, seed: int) -> RunConfig:
    """A sound configuration of ``family``, varied by ``seed``."""
    rng = random.Random(f"{family}/{seed}")
    opt = rng.choice(["adam", "adam", "adamw", "sgd"])
    if opt == "sgd":
        lr, momentum = rng.choice([0.02, 0.05]), 0.9
    else:
        lr, momentum = rng.choice([1e-3, 2e-3, 3e-3]), 0.0
    if family in ("gru", "lstm", "transformer", "autoencoder", "mixer", "bigru_attn", "sepconv"):
        lr = lr * (3 if opt != "sgd" else 2)
    n_train = 512 if family == "transformer" else 768
    batch_size = rng.choice([32, 32, 64])
    steps = rng.choice([100, 130, 160])  # the run's length in optimizer steps
    c = RunConfig(
        family=family, seed=seed, optimizer=opt, lr=lr, momentum=momentum,
        schedule=rng.choice([None, None, "cosine", "step"]),
        weight_decay=rng.choice([0.0, 0.0, 1e-4]),
        batch_size=batch_size, n_train=n_train,
        epochs=max(2, -(-steps * batch_size // n_train)),
        hidden=rng.choice([48, 64, 96]),
        depth=2 if family != "rescnn" else rng.choice([1, 2]),
        dropout=(rng.choice([0.0, 0.0, 0.1]) if family in ("mlp", "transformer", "resmlp", "mixer")
                 else 0.0),
        clip=(rng.choice([None, None, 1.0])
              if family in ("gru", "lstm", "transformer", "bigru_attn") else None),
        noise=rng.choice([0.9, 1.0, 1.1]),
        log_format=rng.choice(["csv", "csv", "jsonl"]),
        ckpt_key=rng.choice(["model", "model", "state_dict"]),
    )
    return c


def _bug_for(family: str, seed: int) -> str | None:
    if seed >= N_SEEDS:
        return None
    bugs = applicable(family)
    cycle: list[str | None] = [b.id for b in bugs] + [None] * HEALTHY_SLOTS
    offset = FAMILIES.index(family) * 7
    return cycle[(seed + offset) % len(cycle)]


def make_config(family: str, seed: int, bug: str | None, severity: int | None = None) -> RunConfig:
    """The run of ``family`` at ``seed`` with ``bug`` (at a seeded severity unless given)."""
    base = healthy_config(family, seed)
    if bug is None:
        return base
    sev = severity or random.Random(f"sev/{family}/{seed}").choice([1, 2, 3])
    return replace(BUGS[bug].apply(base, sev), bug=bug, severity=sev)


def plan(seeds: range | list[int] | None = None,
         families: tuple[str, ...] = FAMILIES) -> list[RunConfig]:
    """Every planned run, seed-major (default: the bug cycle, then the control seeds)."""
    chosen = seeds if seeds is not None else [*range(N_SEEDS), *CONTROL_SEEDS]
    return [make_config(f, s, _bug_for(f, s)) for s in chosen for f in families]
