"""The libraries themselves (when installed): what a real run leaves is read by its names.

Each test trains a tiny model for a few dozen steps with the library and reads the folder
alone. Skipped when the library is not installed (bench extras: see bench/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.cli.options import make_inputs
from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import ProbeContext
from dldoctor.probes.logs import read_logs
from dldoctor.probes.static_probes import probe_optimizer


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(128, 8, generator=generator)
    return x, (x[:, 0] > 0).long()


def _net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))


def test_real_lightning_run_with_csvlogger(tmp_path: Path) -> None:
    lightning = pytest.importorskip("lightning")
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger

    class Module(lightning.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = _net()

        def training_step(self, batch, _):  # noqa: ANN001, ANN202
            loss = nn.functional.cross_entropy(self.net(batch[0]), batch[1])
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch, _):  # noqa: ANN001, ANN202
            out = self.net(batch[0])
            self.log("val_loss", nn.functional.cross_entropy(out, batch[1]))
            self.log("val_acc", (out.argmax(1) == batch[1]).float().mean())

        def configure_optimizers(self):  # noqa: ANN202
            return torch.optim.AdamW(self.parameters(), lr=1e-2)

    x, y = _data()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    for _ in range(2):  # two runs: version_0 and version_1
        trainer = lightning.Trainer(
            max_epochs=2, logger=CSVLogger(str(tmp_path)), log_every_n_steps=1,
            callbacks=[LearningRateMonitor()], enable_progress_bar=False,
            enable_model_summary=False, accelerator="cpu", devices=1)
        trainer.fit(Module(), loader, loader)
    checkpoint = next((tmp_path / "lightning_logs" / "version_1").rglob("*.ckpt"))
    inputs = make_inputs(checkpoint, None, None, None, "cpu", False)
    assert inputs.logs == (tmp_path / "lightning_logs" / "version_1" / "metrics.csv",)
    metrics = read_logs(inputs.logs)
    assert metrics.series["loss"].column == "train_loss_step"
    assert metrics.series["lr"].column == "lr-AdamW"
    assert {"val_loss", "val_acc"} <= set(metrics.series)
    facts = {f.fact: f.value for f in probe_optimizer(inputs, ProbeContext())}
    assert facts["optimizer.decoupled_decay"] is True and facts["update.ratio"] > 0


def test_real_hf_trainer_checkpoint(tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = _net()

        def forward(self, inputs, labels=None):  # noqa: ANN001, ANN201
            logits = self.net(inputs)
            return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}

    x, y = _data()
    rows = [{"inputs": x[i], "labels": y[i]} for i in range(len(x))]
    args = transformers.TrainingArguments(
        str(tmp_path / "out"), num_train_epochs=2, learning_rate=1e-2,
        per_device_train_batch_size=16, logging_steps=2, eval_strategy="epoch",
        save_strategy="epoch", report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    transformers.Trainer(model=Model(), args=args, train_dataset=rows,
                         eval_dataset=rows[:32]).train()
    folder = tmp_path / "out" / "checkpoint-16"
    inputs = make_inputs(folder, None, None, None, "cpu", False)
    assert inputs.logs == (folder / "trainer_state.json",)
    metrics = read_logs(inputs.logs)
    assert {"loss", "val_loss", "lr", "grad_norm"} <= set(metrics.series)
    facts = {f.fact: f.value for f in probe_optimizer(inputs, ProbeContext())}
    assert facts["setup.batch_size"] == 16  # training_args.bin, read as data
    assert facts["update.ratio"] is UNKNOWN  # the default linear schedule ended at lr 0
