"""Whether the model rescales its raw inputs itself before its first layer.

A batch of raw scale (inter-event times with mean 9, pixel values 0–255) is no fault when the
model's ``forward`` maps it to unit scale before any weight touches it (``log1p(x)``, ``x /
255``, a fixed standardisation): the first layer the forward pass runs is given that tensor,
and its scale is what the weights see.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .layout_view import first_leaf_io_eval
from .live_forward import INPUT_STD_MAX, INPUT_STD_MIN
from .models import Batch

__all__ = ["rescaled_input_finding", "RESCALED_MEAN_MAX"]

#: A model's own transform is deliberate: order-one values (``log1p`` of waiting times has a
#: mean near 1.6) are what it chose to feed its weights, not raw units; the batch's own
#: bound (mean within ±1) is for data nobody transformed.
RESCALED_MEAN_MAX = 3.0
#: Layers that standardise what they are given.
_NORMALISERS = (nn.modules.batchnorm._BatchNorm, nn.LayerNorm, nn.GroupNorm,
                nn.modules.instancenorm._InstanceNorm)


def rescaled_input_finding(model: nn.Module, batch: Batch, device: torch.device
                           ) -> Finding | None:
    """``input.not_normalized`` false when the first layer is given the batch's values
    transformed (the same number per sample, other values; or with channels added beside
    them, or fewer values derived from them, the raw extremes gone) at order-one scale; None
    otherwise."""
    x = batch.inputs
    if not x.is_floating_point() or x.shape[0] < 2:
        return None
    x = x[:8].to(device)
    first = first_leaf_io_eval(model, x)
    if first is None:
        return None
    name, got, returned = first
    if not got.is_floating_point() and x.dim() == 2:
        return _beside_embeddings(model, x)
    module = dict(model.named_modules()).get(name)
    if isinstance(module, _NORMALISERS):
        # a normalisation layer first is the scaler itself (BatchNorm in place of a
        # StandardScaler) — when, with the statistics it holds, its output has unit scale
        return _normalised_by(module, name, returned)
    if not got.is_floating_point() or got.shape[0] != x.shape[0]:
        return None
    seen = got.detach().double()
    if got.numel() == x.numel():
        if torch.allclose(seen.reshape(x.shape), x.double(), equal_nan=True):
            # the first layer takes the batch as it is: unless it holds no weights and
            # hands on the batch rescaled (a time-series model's own scaler, PatchTST's)
            return _scaled_by_weightless(module, name, x, returned)
    elif got.numel() % x.numel() != 0 and got.numel() > x.numel():
        return None
    if got.numel() != x.numel():
        # the transformed batch joined by other channels (a position code), or features the
        # forward derives from it (a hedging policy's log-moneyness of each step's price):
        # the raw extremes must be gone, or the batch may sit in it as it is
        finite = seen[torch.isfinite(seen)]
        raw = x.double()[torch.isfinite(x.double())]
        if finite.numel() == 0 or raw.numel() == 0 or \
                float(finite.abs().max()) >= float(raw.abs().max()) / 2:
            return None
    return _order_one_finding(seen, "input.rescaled_by_model", layer=name)


def _scaled_by_weightless(module: nn.Module | None, name: str, x: torch.Tensor,
                          returned: object) -> Finding | None:
    """``input.not_normalized`` false when the first module the batch meets holds no
    weights and returns it (alone, or first of a tuple: PatchTST's scaler also returns its
    mean and std) reshaped to nothing new but rescaled to order one; None otherwise."""
    if module is None or next(module.parameters(), None) is not None:
        return None
    out = returned[0] if isinstance(returned, tuple) and returned else returned
    if not isinstance(out, torch.Tensor) or not out.is_floating_point() or \
            out.shape != x.shape or torch.allclose(out.double(), x.double(), equal_nan=True):
        return None
    return _order_one_finding(out, "input.scaled_by_weightless", layer=name)


def _beside_embeddings(model: nn.Module, x: torch.Tensor) -> Finding | None:
    """A table whose code columns the model looks up in embeddings first: the first layer
    past the lookups (the MLP over the embeddings and the features concatenated) is given
    the continuous columns as the model scaled them — at order one, their raw extremes gone
    (``sun / 5 - 1`` beside the embeddings, not the raw hours); None otherwise."""
    from .live_forward import code_columns

    codes = code_columns(x)
    features = x[:, [i for i in range(x.shape[1]) if i not in codes]] if codes else None
    found = first_leaf_io_eval(model, x, skip=_LOOKUPS)
    if features is None or found is None or not found[1].is_floating_point():
        return None
    name, got, _ = found
    raw = features.double()[torch.isfinite(features.double())]
    seen = got.detach().double()[torch.isfinite(got.detach().double())]
    if raw.numel() == 0 or seen.numel() == 0 or \
            float(seen.abs().max()) >= float(raw.abs().max()) / 2:
        return None
    return _order_one_finding(got, "input.rescaled_by_model", layer=name)


#: Layers that look codes up rather than compute on values.
_LOOKUPS = (nn.Embedding, nn.EmbeddingBag)


def _order_one(tensor: torch.Tensor) -> tuple[float, float] | None:
    """(mean, std) of the finite values when they are at the order-one scale a model's own
    transform gives its weights; None otherwise (or with fewer than two values)."""
    values = tensor.detach().double()
    values = values[torch.isfinite(values)]
    if values.numel() < 2:
        return None
    mean, std = float(values.mean()), float(values.std())
    if abs(mean) > RESCALED_MEAN_MAX or not INPUT_STD_MIN <= std <= INPUT_STD_MAX:
        return None
    return mean, std


def _order_one_finding(tensor: torch.Tensor, key: str, layer: str,
                       **words: str) -> Finding | None:
    """``input.not_normalized`` false, said with ``key``, when ``tensor`` — what the model's
    own transform made of the batch — is at order-one scale; None otherwise."""
    scale = _order_one(tensor)
    if scale is None:
        return None
    mean, std = scale
    return Finding("input.not_normalized", False,
                   say(key, layer=layer, mean=mean, std=std, **words),
                   {"layer": layer, "mean": mean, "std": std})


def _normalised_by(module: nn.Module, name: str, returned: object) -> Finding | None:
    """``input.not_normalized`` false when the normalisation layer the batch meets first gave
    order-one values in eval mode (its running statistics are the data's), or is a BatchNorm
    whose statistics never moved (a fresh model, or a run whose loop never left eval mode: in
    training mode it measures and scales the inputs itself — set 359's plough MLP, raw kN and
    mm into an input BatchNorm it never updated, read as inputs to standardise at 0.79); None
    otherwise."""
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and _untouched(module):
        return Finding("input.not_normalized", False,
                       say("input.batchnorm_never_measured", layer=name,
                           kind=type(module).__name__), {"layer": name})
    if not isinstance(returned, torch.Tensor) or not returned.is_floating_point():
        return None
    return _order_one_finding(returned, "input.normalised_by_layer", layer=name,
                              kind=type(module).__name__)


def _untouched(module: nn.modules.batchnorm._BatchNorm) -> bool:
    """The layer tracks running statistics and they still hold their start (mean 0, variance
    1): it has never measured a batch in training mode."""
    mean, var = module.running_mean, module.running_var
    if mean is None or var is None:
        return False
    return bool(torch.all(mean == 0) and torch.all(var == 1))
