"""Tokens of the saved batch that training never reached: embedding rows the optimizer holds
with an Adam second moment of exactly zero (no gradient ever landed there), looked up by the
batch's integer inputs. A validation batch whose words or symbols the training data never
held (another date format, another vocabulary) comes from another distribution."""

from __future__ import annotations

import numpy as np

from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, say
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .tensor_store import TensorStore
from .weight_scan import TensorStats

__all__ = ["unseen_token_findings"]

#: An embedding table has at least this many rows (a vocabulary, not a tiny lookup).
MIN_ROWS = 8


def unseen_token_findings(info: OptimizerInfo, stats: list[TensorStats], store: TensorStore,
                          inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """``batch.unseen_token_share``: the share of the batch's token positions (outside rows
    whose weights are all zero: a padding index) that look up an embedding row no gradient
    ever reached; nothing without a batch of integer inputs or an Adam-held table they fit."""
    if inputs.batch is None or info.kind != "adam":
        return []
    from .models import batch_for

    tokens = batch_for(inputs, ctx).inputs
    if tokens is None or tokens.is_floating_point() or tokens.numel() == 0 or \
            int(tokens.min()) < 0:
        return []
    ids = tokens.detach().cpu().reshape(-1).numpy().astype(np.int64)
    mapping, _ = map_params(info, trainable_candidates(stats))
    for index, name in sorted(mapping.items()):
        entry = info.entries[index]
        shape = entry.shape or ()
        second = entry.state.get("exp_avg_sq")
        if len(shape) != 2 or shape[0] < MIN_ROWS or int(ids.max()) >= shape[0] or \
                second is None or "emb" not in name.lower():
            continue
        moments = _numpy(second).reshape(shape)
        weights = _numpy(store.get(name)).reshape(shape)
        padding = np.asarray(~weights.any(axis=1), dtype=bool)
        untouched = np.asarray(~moments.any(axis=1), dtype=bool) & ~padding
        counted = ~padding[ids]
        if not counted.any():
            return []
        share = float(untouched[ids][counted].mean())
        rows = sorted({int(i) for i in ids[counted] if untouched[i]})
        return [Finding("batch.unseen_token_share", share,
                        say("batch.unseen_tokens", share=Pct(share), table=name,
                            n=int(counted.sum()), rows=rows[:5], k=len(rows)))]
    return []


def _numpy(value: object) -> np.ndarray:
    """A tensor or an array of the store (bfloat16 included) as a float32 numpy array."""
    from .tensor_store import as_torch

    tensor = as_torch(value)
    if hasattr(tensor, "detach"):
        return np.asarray(tensor.detach().float().cpu().numpy())
    return np.asarray(tensor, dtype=np.float32)
