"""LightningModule: GRU on accelerometer windows. StepLR(step_size=4, gamma=0.5) was meant
per epoch but is registered with "interval": "step": the lr halves every 4 batches and is
~0 before the end of the first epoch."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

INTERVAL = "step"


def windows(n, g):
    t = torch.arange(50) / 25.0
    y = torch.randint(0, 4, (n,), generator=g)
    freq = torch.tensor([1.8, 3.0, 0.0, 1.2])[y][:, None]
    amp = torch.tensor([1.0, 2.0, 0.05, 0.7])[y][:, None]
    base = amp * torch.sin(2 * math.pi * freq * t + 6.28 * torch.rand(n, 1, generator=g))
    x = torch.stack([base, 0.5 * base.roll(3, 1), (y == 3).float()[:, None] * 0.3 + 0 * t], 2)
    return x + 0.3 * torch.randn(n, 50, 3, generator=g), y


class ActivityModel(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.lr = lr
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, batch_idx):
        loss = F.cross_entropy(self(batch[0]), batch[1])
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        logits = self(batch[0])
        self.log("val_loss", F.cross_entropy(logits, batch[1]))
        self.log("val_acc", (logits.argmax(1) == batch[1]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": INTERVAL}}


def build():
    torch.manual_seed(0)
    return ActivityModel()


def main(causes=("scheduler_step_per_batch",), what="epoch StepLR stepped every batch",
         said="training stops improving after the first epoch, the loss is flat from then on"):
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = windows(1600, g), windows(400, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x, y), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(vx, vy), batch_size=200)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out / "logs")), log_every_n_steps=5,
                        callbacks=[LearningRateMonitor(), ModelCheckpoint(save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), train, val)
    print({k: float(v) for k, v in trainer.callback_metrics.items()})
    ckpt = next((out / "logs").rglob("last.ckpt"))
    finish(out, __file__, (vx[:64], vy[:64]), causes=list(causes),
           checkpoint=str(ckpt.relative_to(out)), log=None, what=what, complaint=said)


if __name__ == "__main__":
    main()
