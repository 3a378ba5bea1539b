"""Hugging Face Trainer callback: one line writes a dldoctor trace of the run.

    from dldoctor.integrations.transformers import Watch
    trainer = transformers.Trainer(model=model, args=args, ..., callbacks=[Watch("run.trace")])

It watches the model and the (unwrapped) optimizer from the start of training, records what
the Trainer logs (loss, learning rate, gradient norm, eval metrics), and closes the trace
when training ends. ``diagnose --trace run.trace`` reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from transformers import TrainerCallback
except ImportError as exc:  # pragma: no cover - optional dependency
    raise ImportError("dldoctor.integrations.transformers needs transformers: "
                      "pip install transformers") from exc

from dldoctor.watcher import DEFAULT_EVERY
from dldoctor.watcher.recorder import Watcher

__all__ = ["Watch"]

#: Trainer log keys, renamed to the trace's metric names.
_RENAME = {"learning_rate": "lr", "eval_loss": "val_loss", "eval_accuracy": "val_acc"}


class Watch(TrainerCallback):  # type: ignore[misc]
    """Write a dldoctor trace of this Trainer run to ``path``."""

    def __init__(self, path: str | Path = "dldoctor.trace", every: int = DEFAULT_EVERY) -> None:
        self.path, self.every = Path(path), every
        self.watcher: Watcher | None = None

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None,
                       optimizer: Any = None, **kwargs: Any) -> None:
        if model is None or optimizer is None:
            return
        optimizer = getattr(optimizer, "optimizer", optimizer)  # accelerate's wrapper
        self.watcher = Watcher(model, optimizer, self.path, every=self.every,
                               framework="transformers")

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
               **kwargs: Any) -> None:
        if self.watcher is None or not logs:
            return
        numbers = {_RENAME.get(k, k): v for k, v in logs.items()
                   if isinstance(v, int | float) and not isinstance(v, bool)}
        if numbers:
            self.watcher.log(**numbers)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
