"""Watch a training loop: one line in a plain PyTorch loop writes a trace dldoctor can read.

    import dldoctor
    with dldoctor.watch(model, optimizer, path="run.trace") as w:
        for x, y in loader:
            ...
            w.log(loss=loss.item())

``diagnose --trace run.trace`` reads it. The format is documented in
:mod:`dldoctor.watcher.format`. Torch is imported only when :func:`watch` is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .recorder import Watcher

__all__ = ["watch", "DEFAULT_EVERY"]

#: Per-layer statistics every this many optimizer steps (the cheap counters run every step).
DEFAULT_EVERY = 10


def watch(model: Any, optimizer: Any, path: str | Path = "dldoctor.trace",
          every: int = DEFAULT_EVERY, scaler: Any = None, loader: Any = None,
          val_loader: Any = None) -> Watcher:
    """Hook ``model`` and ``optimizer`` and write a trace to ``path`` as training runs.

    Returns a handle: use it as a context manager (or call ``close()``), and call
    ``handle.log(loss=…, targets=y)`` each step. ``scaler`` is an AMP ``GradScaler`` whose
    scale is recorded; ``loader`` a ``DataLoader`` whose worker seeding is checked;
    ``val_loader`` the validation ``DataLoader``, whose transforms are checked for random
    augmentation. Watching never changes what the training computes.
    """
    from .recorder import Watcher

    return Watcher(model, optimizer, path, every=every, scaler=scaler, loader=loader,
                   val_loader=val_loader)
