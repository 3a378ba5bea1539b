"""A model whose forward is a function of the model file, not a method.

Some scripts keep their layers in a container — ``nn.ModuleDict({"conv": …, "head": …})`` —
and write the forward pass as a module-level function, ``def forward(model, x)``. The factory's
module then has no ``forward`` of its own and cannot be called; the file the user named says
how it is run. This gives such a model a class whose ``forward`` is that function (same layers,
same parameter names, same class name), so every live probe calls it as the script does.
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

from torch import nn

__all__ = ["bind_functional_forward"]

#: The names a model file gives its forward function, in the order they are looked for.
FORWARD_NAMES = ("forward", "model_forward", "forward_fn", "forward_pass", "predict",
                 "apply_model", "run_model")


def _positional_count(function: Any) -> int:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 0
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


def forward_function(module: ModuleType) -> Any | None:
    """The model file's own ``forward(model, x, …)`` function (defined in that file, taking
    the model and at least one input positionally), or None."""
    for name in FORWARD_NAMES:
        function = getattr(module, name, None)
        if inspect.isfunction(function) and function.__module__ == module.__name__ and \
                _positional_count(function) >= 2:
            return function
    return None


def bind_functional_forward(model: nn.Module, module: ModuleType | None) -> str | None:
    """Give ``model`` its file's forward function as its ``forward`` (in place) when its class
    has none of its own; returns that function's name, or None when nothing was bound."""
    cls = type(model)
    if module is None or cls.forward is not nn.Module.forward:
        return None
    function = forward_function(module)
    if function is None:
        return None
    model.__class__ = type(cls.__name__, (cls,), {
        "forward": function, "__module__": cls.__module__, "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__})
    return str(function.__name__)
