"""Healthy runs trained with a real training library (PyTorch Lightning), for the corpus.

Each run trains one of the generator's healthy configurations (model source, data) inside a
``LightningModule`` with Lightning's own ``Trainer``, ``CSVLogger`` and ``ModelCheckpoint``,
so the checkpoint (``.ckpt``: ``state_dict`` with ``model.`` prefixes, optimizer states,
loops) and the log (``metrics.csv``) are what Lightning writes for its users.
Needs the ``bench`` extra (``pytorch-lightning``); :func:`available` says whether it is there.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from typing import Any

__all__ = ["available", "train_lightning_run", "LIGHTNING_RUNS"]

#: (family, seed) of the generator's healthy configurations trained with Lightning.
LIGHTNING_RUNS: tuple[tuple[str, int], ...] = (
    ("mlp", 101), ("cnn_bn", 102), ("gru", 103), ("transformer", 104), ("regression", 105),
    ("multilabel", 106),
)


def available() -> bool:
    """Whether PyTorch Lightning is importable."""
    return importlib.util.find_spec("pytorch_lightning") is not None


def _module(cfg: Any, model: Any) -> Any:
    import pytorch_lightning as pl
    import torch

    from bench.generator.train import _accuracy, loss_value

    class Module(pl.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.model(x)

        def training_step(self, batch: Any, _: int) -> torch.Tensor:
            x, y = batch
            loss = loss_value(cfg, self(x), y)
            self.log("train_loss", loss)
            return loss

        def validation_step(self, batch: Any, _: int) -> None:
            x, y = batch
            out = self(x)
            self.log("val_loss", loss_value(cfg, out, y))
            if cfg.family not in ("regression", "autoencoder"):
                self.log("val_acc", _accuracy(cfg, out.float(), y))

        def configure_optimizers(self) -> Any:
            opt = torch.optim.AdamW(self.parameters(), lr=cfg.lr)
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs)
            return {"optimizer": opt, "lr_scheduler": sched}

    return Module()


def train_lightning_run(family: str, seed: int, root: Path) -> dict[str, Path]:
    """Train one healthy run with Lightning under ``root``; return its checkpoint and log."""
    import pytorch_lightning as pl
    import torch
    from pytorch_lightning.callbacks import ModelCheckpoint
    from pytorch_lightning.loggers import CSVLogger
    from torch.utils.data import DataLoader, TensorDataset

    from bench.generator.data import make_data
    from bench.generator.models import model_source
    from bench.generator.plan import healthy_config

    done = root / "done.txt"
    if done.is_file():
        names = done.read_text("utf-8").split("\n")[:2]
        return {"checkpoint": root / names[0], "log": root / names[1]}
    torch.set_num_threads(1)
    cfg = healthy_config(family, seed)
    cfg = type(cfg)(**{**cfg.__dict__, "optimizer": "adamw", "schedule": "cosine"})
    src = model_source(cfg)
    root.mkdir(parents=True, exist_ok=True)
    (root / "model.py").write_text(src, encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "lightning_model"}
    exec(compile(src, str(root / "model.py"), "exec"), namespace)
    xt, yt, xv, yv = make_data(cfg)
    pl.seed_everything(seed, verbose=False)
    train = DataLoader(TensorDataset(xt, yt), batch_size=cfg.batch_size, shuffle=True)
    val = DataLoader(TensorDataset(xv, yv), batch_size=256)
    trainer = pl.Trainer(
        max_epochs=cfg.epochs, accelerator="cpu", devices=1, log_every_n_steps=2,
        logger=CSVLogger(str(root), name="logs", version=0),
        callbacks=[ModelCheckpoint(dirpath=str(root / "ckpt"), save_last=True)],
        enable_progress_bar=False, enable_model_summary=False, deterministic=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(_module(cfg, namespace["build"]()), train, val)
    files = {"checkpoint": root / "ckpt" / "last.ckpt",
             "log": root / "logs" / "version_0" / "metrics.csv"}
    done.write_text("".join(f"{p.relative_to(root)}\n" for p in files.values()), "utf-8")
    return files
