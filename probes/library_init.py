"""Which weights of a freshly built model a library initialised its own way, by design.

A Hugging Face model (any module with a ``config`` and an ``_init_weights``) is initialised
by the library: T5's and Switch Transformers' routers and projections at N(0, 1·factor),
BERT's at N(0, 0.02) — not by Kaiming's fan-in rule, and not by the user's hand. A weight
whose spread matches what the library gives a model built again from the same config is
the library's design, so no reading of a hand-picked scale counts it."""

from __future__ import annotations

import torch
from torch import nn

from .base import Finding
from .evidence import say

__all__ = ["LIBRARY_CLOSE", "MAX_CLONE_PARAMETERS", "library_initialised", "library_class",
           "library_finding"]

#: A weight's std within this share of the library's own for the same config is its init.
LIBRARY_CLOSE = 0.1
#: Models larger than this are not built a second time (memory and time).
MAX_CLONE_PARAMETERS = 50_000_000


#: Packages whose model classes are built wholly by their own code.
MODEL_LIBRARIES = frozenset({"transformers", "timm", "torchvision"})


def library_class(model: nn.Module) -> str | None:
    """The class name of a model that is a model library's own class throughout — itself a
    library class, every submodule the library's or torch's — else None: a user's module
    anywhere (a head, a wrapper) is code the library did not write."""
    def package(module: nn.Module) -> str:
        return type(module).__module__.partition(".")[0]

    if package(model) not in MODEL_LIBRARIES or any(
            package(m) not in MODEL_LIBRARIES | {"torch"} for m in model.modules()):
        return None
    return type(model).__name__


def library_finding(model: nn.Module) -> Finding:
    """``model.from_library``: whether the model is a model library's class throughout."""
    name = library_class(model)
    return Finding("model.from_library", name is not None,
                   say("model.library", name=name) if name is not None else
                   say("model.own_code", name=type(model).__name__))


def _library_model(module: nn.Module) -> bool:
    return getattr(module, "config", None) is not None and \
        callable(getattr(module, "_init_weights", None))


def _std(tensor: torch.Tensor) -> float:
    return float(tensor.detach().float().std()) if tensor.numel() > 1 else 0.0


def library_initialised(model: nn.Module) -> set[str]:
    """Full names of the parameters of every (outermost) library model inside ``model``
    whose std matches, within :data:`LIBRARY_CLOSE`, the same parameter of that model built
    again from its config; empty when there is none or it cannot be built again."""
    names: set[str] = set()
    outer: list[str] = []
    for prefix, module in model.named_modules():
        if any(prefix == p or prefix.startswith(f"{p}.") for p in outer) or \
                not _library_model(module):
            continue
        if sum(p.numel() for p in module.parameters()) > MAX_CLONE_PARAMETERS:
            continue
        try:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(0)
                clone = type(module)(module.config)
        except Exception:  # noqa: BLE001 - a model its class cannot rebuild: no reading
            continue
        outer.append(prefix)
        theirs = dict(clone.named_parameters(remove_duplicate=False))
        for name, mine in module.named_parameters(remove_duplicate=False):
            other = theirs.get(name)
            if other is None or other.shape != mine.shape:
                continue
            a, b = _std(mine), _std(other)
            if abs(a - b) <= LIBRARY_CLOSE * max(a, b):
                names.add(f"{prefix}.{name}" if prefix else name)
    return names
