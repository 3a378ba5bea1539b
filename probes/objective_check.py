"""Whether the live checks' loss is the run's objective at all, measured on the trained model.

The fitting checks (one-batch overfit, learning-rate sweep, half-batch transfer) train a
cross-entropy of the model's output against the batch's class targets. A self-distillation,
contrastive or clustering run (DINO's prototype head, saved beside a few probe labels) never
optimised that: its trained output on the batch is a guess's against those targets — loss
near ln K with near-uniform probabilities — while its own logged loss fell far below ln K.
Fitting such targets then measures a loss the run never had; the checks say so and stay
unknown.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .base import Inputs, ProbeContext
from .evidence import Said, say
from .live_runtime import first_tensor
from .live_sweep import feed
from .models import Batch, has_trained_weights

__all__ = ["guess_level_objective"]

#: The trained model's loss on the batch within this share of ln K, its mean entropy at least
#: the lower end: a guess's output against these targets …
GUESS_BAND = 0.05
#: … while the run's own logged loss ended at most this share of ln K …
LOGGED_BELOW_GUESS = 0.7
#: … and at most this share of where the log started: it learnt its own objective.
LOGGED_FELL = 0.8
#: Fewer classes than this make ln K too small a margin to tell a guess from a fit.
MIN_CLASSES = 3


def _logged_start_end(inputs: Inputs, ctx: ProbeContext) -> tuple[float, float] | None:
    """Where the logged training loss starts and ends (medians of its first and last tenth,
    at least 3 points each); None without such a log."""
    from .log_probes import tail_level
    from .logs import logged

    loss = logged(inputs, ctx, "loss")
    finite = loss.values[np.isfinite(loss.values)] if loss is not None else np.array([])
    if finite.size < 6:
        return None
    return tail_level(finite[::-1]), tail_level(finite)


def guess_level_objective(model: nn.Module, batch: Batch, device: torch.device,
                          inputs: Inputs, ctx: ProbeContext) -> Said | None:
    """Words saying the checks' cross-entropy is not the run's objective (module docstring),
    or None when it may be or cannot be told (cached per model, checkpoint and batch)."""
    key = f"guess-objective:{inputs.model}:{inputs.checkpoint}:{inputs.batch}"
    if key in ctx.cache:
        cached: Said | None = ctx.cache[key]
        return cached
    ctx.cache[key] = None
    y = batch.targets
    if y is None or y.is_floating_point() or y.dim() != 1 or \
            not has_trained_weights(inputs, ctx):
        return None
    logged = _logged_start_end(inputs, ctx)
    if logged is None:
        return None
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), torch.random.fork_rng():
            out = first_tensor(model(feed(batch, device)), batch.targets)
    except Exception:  # noqa: BLE001 - the person's forward: the checks report it
        return None
    finally:
        model.train(was_training)
    if out is None or out.dim() != 2 or out.shape[0] != y.shape[0] or \
            out.shape[1] < MIN_CLASSES or int(y.min()) < 0 or int(y.max()) >= out.shape[1]:
        return None
    logits = out.detach().float().cpu()
    guess = math.log(out.shape[1])
    loss = float(F.cross_entropy(logits, y.cpu().long()))
    logp = F.log_softmax(logits, dim=1)
    entropy = float(-(logp.exp() * logp).sum(1).mean())
    start, end = logged
    at_guess = abs(loss - guess) <= GUESS_BAND * guess and entropy >= (1 - GUESS_BAND) * guess
    if not (at_guess and end <= LOGGED_BELOW_GUESS * guess and end <= LOGGED_FELL * start):
        return None
    words = say("live.other_objective_at_guess", loss=loss, k=int(out.shape[1]), guess=guess,
                start=start, end=end)
    ctx.cache[key] = words
    return words
