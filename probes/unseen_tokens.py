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

    from .models import Batch

__all__ = ["unseen_token_findings"]

#: An embedding table has at least this many rows (a vocabulary, not a tiny lookup).
MIN_ROWS = 8


def _token_tensors(batch: Batch) -> list[tuple[str, torch.Tensor]]:
    """The batch's integer inputs that can index a table: its first input, then each named
    one (``{"house": …, "region": …}``), by name."""
    first = batch.keys[0] if batch.keys is not None and batch.keys[0] else ""
    found = [(first, batch.inputs)] if batch.inputs is not None else []
    found += sorted((str(k), v) for k, v in batch.named.items() if k not in MASK_KEYS)
    return [(k, t) for k, t in found if hasattr(t, "is_floating_point")
            and not t.is_floating_point() and t.numel() and int(t.min()) >= 0]


def _looked_up_by(name: str, tokens: list[tuple[str, torch.Tensor]]) -> torch.Tensor | None:
    """The token tensor named as the table's module (``house`` ids for ``house.weight``)."""
    module = name.rsplit(".", 1)[0].rsplit(".", 1)[-1]
    return next((t for k, t in tokens if k and k == module), None)


def unseen_token_findings(info: OptimizerInfo, stats: list[TensorStats], store: TensorStore,
                          inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """``batch.unseen_token_share``: the share of the batch's token positions (outside rows
    whose weights are all zero: a padding index) that look up an embedding row no gradient
    ever reached, for the table where it is largest; nothing without a batch of integer
    inputs or an Adam-held table they fit (a table named as an embedding, read with the
    first input, or one named as a batch key, read with that key's ids: set 403's map
    pricer's ``house`` table and ``"house"`` ids)."""
    if inputs.batch is None or info.kind != "adam":
        return []
    from .models import batch_for

    batch = batch_for(inputs, ctx)
    tokens = _token_tensors(batch)
    if not tokens:
        return []
    first = batch.inputs if any(t is batch.inputs for _, t in tokens) else None
    mapping, _ = map_params(info, trainable_candidates(stats))
    best: tuple[float, Finding] | None = None
    read_first = False
    for index, name in sorted(mapping.items()):
        entry = info.entries[index]
        shape = entry.shape or ()
        second = entry.state.get("exp_avg_sq")
        # a table named for a batch key is read with that key's ids; else the first table
        # named as an embedding that the first input fits (a model's token table comes
        # before its position and type tables), and no other
        looked = _looked_up_by(name, tokens)
        if looked is None and not read_first and "emb" in name.lower():
            looked = first
        if len(shape) != 2 or shape[0] < MIN_ROWS or second is None or looked is None:
            continue
        ids = looked.detach().cpu().reshape(-1).numpy().astype(np.int64)
        if int(ids.max()) >= shape[0]:
            continue
        read_first = read_first or looked is first
        attended = _attended(batch.named, looked.shape)
        moments = _numpy(second).reshape(shape)
        weights = _numpy(store.get(name)).reshape(shape)
        padding = np.asarray(~weights.any(axis=1), dtype=bool)
        untouched = np.asarray(~moments.any(axis=1), dtype=bool) & ~padding
        counted = ~padding[ids] & attended
        if not counted.any():
            continue
        share = float(untouched[ids][counted].mean())
        rows = sorted({int(i) for i in ids[counted] if untouched[i]})
        words = say("batch.unseen_tokens", share=Pct(share), table=name,
                    n=int(counted.sum()), rows=rows[:5], k=len(rows)) if rows else \
            say("batch.all_tokens_seen", table=name, n=int(counted.sum()))
        if best is None or share > best[0]:
            best = (share, Finding("batch.unseen_token_share", share, words))
    return [best[1]] if best is not None else []


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
