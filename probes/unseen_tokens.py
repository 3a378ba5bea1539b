"""Tokens of the saved batch that training never reached: embedding rows the optimizer holds
with an Adam second moment of exactly zero (no gradient ever landed there), looked up by the
batch's integer inputs. A validation batch whose words or symbols the training data never
held (another date format, another vocabulary) comes from another distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, say
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .tensor_store import TensorStore
from .weight_scan import TensorStats

if TYPE_CHECKING:  # the checkpoint and log are read without torch
    import torch

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

    batch = batch_for(inputs, ctx)
    tokens = batch.inputs
    if tokens is None or tokens.is_floating_point() or tokens.numel() == 0 or \
            int(tokens.min()) < 0:
        return []
    ids = tokens.detach().cpu().reshape(-1).numpy().astype(np.int64)
    attended = _attended(batch.named, tokens.shape)
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
        counted = ~padding[ids] & attended
        if not counted.any():
            return []
        share = float(untouched[ids][counted].mean())
        rows = sorted({int(i) for i in ids[counted] if untouched[i]})
        words = say("batch.unseen_tokens", share=Pct(share), table=name,
                    n=int(counted.sum()), rows=rows[:5], k=len(rows)) if rows else \
            say("batch.all_tokens_seen", table=name, n=int(counted.sum()))
        return [Finding("batch.unseen_token_share", share, words)]
    return []


#: The batch keys that mark the positions a model attends to (1) and its padding (0), as
#: Hugging Face names them (a ``key_padding_mask`` means the opposite, and ``mask`` either).
MASK_KEYS = ("attention_mask", "input_mask")


def _attended(named: dict[str, torch.Tensor], shape: torch.Size) -> np.ndarray:
    """Per token position, whether the batch's attention mask keeps it (every position when
    the batch has no mask of the tokens' shape): a Hugging Face model draws its pad row at
    random like every other, so only the mask tells padding apart."""
    for key in MASK_KEYS:
        mask = named.get(key)
        if mask is not None and getattr(mask, "shape", None) == shape:
            return np.asarray(_numpy(mask).reshape(-1) != 0, dtype=bool)
    return np.ones(shape.numel(), dtype=bool)


def _numpy(value: object) -> np.ndarray:
    """A tensor or an array of the store (bfloat16 included) as a float32 numpy array."""
    from .tensor_store import as_torch

    tensor = as_torch(value)
    if hasattr(tensor, "detach"):
        return np.asarray(tensor.detach().float().cpu().numpy())
    return np.asarray(tensor, dtype=np.float32)
