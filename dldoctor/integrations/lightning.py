"""Lightning callback: one line writes a dldoctor trace of the run.

    from dldoctor.integrations.lightning import Watch
    trainer = lightning.Trainer(callbacks=[Watch("run.trace")])

It watches the LightningModule and its first optimizer from the start of training, logs the
training loss of each batch (and the targets of ``(inputs, targets)`` batches), and closes
the trace when training ends or fails. ``diagnose --trace run.trace`` reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from lightning.pytorch.callbacks import Callback
except ImportError:  # pragma: no cover - the older package name
    try:
        from pytorch_lightning.callbacks import Callback
    except ImportError as exc:
        raise ImportError("dldoctor.integrations.lightning needs Lightning: "
                          "pip install lightning") from exc

from dldoctor.watcher import DEFAULT_EVERY
from dldoctor.watcher.recorder import Watcher

__all__ = ["Watch"]


def _loss(outputs: Any) -> Any:
    if isinstance(outputs, dict):
        return outputs.get("loss")
    return outputs


def _targets(batch: Any) -> Any:
    if isinstance(batch, list | tuple) and len(batch) == 2:
        return batch[1]
    if isinstance(batch, dict):
        return batch.get("labels", batch.get("targets"))
    return None


class Watch(Callback):  # type: ignore[misc]
    """Write a dldoctor trace of this Lightning run to ``path``."""

    def __init__(self, path: str | Path = "dldoctor.trace", every: int = DEFAULT_EVERY) -> None:
        self.path, self.every = Path(path), every
        self.watcher: Watcher | None = None

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        optimizer = trainer.optimizers[0]
        optimizer = getattr(optimizer, "_optimizer", optimizer)  # LightningOptimizer
        scaler = getattr(getattr(trainer, "precision_plugin", None), "scaler", None)
        self.watcher = Watcher(pl_module, optimizer, self.path, every=self.every,
                               scaler=scaler, framework="lightning")

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any,
                           batch_idx: int) -> None:
        if self.watcher is None:
            return
        targets = _targets(batch)
        loss = _loss(outputs)
        metrics: dict[str, Any] = {"loss": loss} if loss is not None else {}
        if targets is not None and hasattr(targets, "numel"):
            metrics["targets"] = targets
        if metrics:
            self.watcher.log(**metrics)

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if self.watcher is None:
            return
        val = {k: v for k, v in trainer.callback_metrics.items()
               if k.startswith("val") and getattr(v, "numel", lambda: 1)() == 1}
        if val:
            self.watcher.log(**val)

    def _close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        self._close()

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        self._close()
