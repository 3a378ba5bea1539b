"""The Lightning and Hugging Face callbacks write a trace (skipped when the library is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.trace_probe import trace_findings
from dldoctor.watcher.format import read_trace


def _data(n: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 8, generator=g)
    return x, x[:, :3].argmax(dim=1)


def test_lightning_callback_writes_a_trace(tmp_path: Path) -> None:
    pl = pytest.importorskip("lightning.pytorch")
    from dldoctor.integrations.lightning import Watch

    class Net(pl.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(),
                                     nn.Linear(16, 3))

        def training_step(self, batch, batch_idx):  # noqa: ANN001, ANN201
            x, y = batch
            return F.cross_entropy(self.net(x), y)

        def forward(self, x):  # noqa: ANN001, ANN201
            return self.net(x)

        def configure_optimizers(self):  # noqa: ANN201
            return torch.optim.SGD(self.parameters(), lr=0.05)

    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*_data()), batch_size=16)
    trainer = pl.Trainer(max_steps=8, callbacks=[Watch(tmp_path / "pl.trace", every=2)],
                         accelerator="cpu", logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False,
                         default_root_dir=tmp_path)
    trainer.fit(Net(), loader)
    trace = read_trace(tmp_path / "pl.trace")
    assert trace.finished and trace.start["framework"] == "lightning"
    steps = trace.of("step")
    assert len(steps) == 8 and all(s["train_forwards"] == 1 for s in steps)
    assert trace.of("layers")[0]["grad_norm"], "grad norms measured after the closure"
    facts = {f.fact: f.value for f in trace_findings(trace)}
    assert facts["loop.grads_not_zeroed"] is False and facts["loop.trained_in_eval_mode"] is False
    assert facts["labels.out_of_range"] is False


def test_transformers_callback_writes_a_trace(tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("accelerate")  # the Trainer needs it with PyTorch
    from dldoctor.integrations.transformers import Watch

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(8, 3)

        def forward(self, x, labels=None):  # noqa: ANN001, ANN201
            logits = self.fc(x)
            return {"loss": F.cross_entropy(logits, labels), "logits": logits}

    x, y = _data()
    rows = [{"x": x[i], "labels": y[i]} for i in range(len(y))]
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path), max_steps=6, per_device_train_batch_size=16,
        gradient_accumulation_steps=2, logging_steps=1, save_strategy="no", report_to=[],
        use_cpu=True, disable_tqdm=True, learning_rate=1e-2)
    trainer = transformers.Trainer(model=Net(), args=args, train_dataset=rows,
                                   callbacks=[Watch(tmp_path / "hf.trace", every=2)])
    trainer.train()
    trace = read_trace(tmp_path / "hf.trace")
    assert trace.finished and trace.start["framework"] == "transformers"
    assert len(trace.of("step")) == 6
    assert any("loss" in r for r in trace.of("log"))
    facts = {f.fact: f.value for f in trace_findings(trace)}
    assert facts["loop.backwards_per_step"] == 2 and facts["loop.accum_loss_divided"] is True
    assert facts["loop.grads_not_zeroed"] is False
    assert trace.of("batch")[0]["out_shape"] == [16, 3]  # the logits, not the loss
