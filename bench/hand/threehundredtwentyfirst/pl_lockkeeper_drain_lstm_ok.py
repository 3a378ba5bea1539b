"""PyTorch Lightning: an LSTM reads the first two minutes of a lock chamber emptying
(the head between chamber and lower pound, logged by the lockkeeper's level gauge every
10 s, 12 readings) and predicts how many minutes are left until the levels equalise and
the lower gates can be swung, so the lockkeeper can call the waiting barge forward.
The sluices drain by Torricelli: d sqrt(h) / dt = -k / 2, with k set by how far the
paddles are wound open and by silt in the culverts (not logged); the gauge reads to
± 1 cm. Input: (12, 1) (head m - 3) / 1.5. Target: (minutes left - 5) / 3.
LSTM 1→32, 1 layer, last state → linear 32→1; MSE, Adam 3e-3 with StepLR(4, 0.5) from
``configure_optimizers``, batch 64, 10 epochs, 2000 lockages, validation on 500.
Healthy; numbers in the README.
Log: CSVLogger ``chamber/version_0/metrics.csv`` (``mse_step`` every 5 steps,
``mse_epoch`` / ``val_mse`` / ``val_mae_min`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``chamber/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 12


def lockages(n, g):
    h0 = 2.5 + 3.5 * torch.rand(n, 1, generator=g)
    k = 0.006 + 0.009 * torch.rand(n, 1, generator=g)
    t = 10.0 * torch.arange(STEPS).float()
    h = (h0.sqrt() - k * t / 2).clamp(min=0) ** 2
    h = h + 0.01 * torch.randn(n, STEPS, generator=g)
    total = 2 * h0.sqrt() / k
    left = (total - t[-1]) / 60
    return ((h - 3) / 1.5).unsqueeze(2), (left - 5) / 3


class ChamberLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_min", 3 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 4, 0.5)]


def build():
    torch.manual_seed(0)
    return ChamberLSTM()


def main():
    from _threehundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lockages(2000, g)
    xva, yva = lockages(500, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="chamber"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="chamber/version_0/checkpoints/last.ckpt",
           log="chamber/version_0/metrics.csv",
           what="Lightning LSTM predicting the minutes left until a lock chamber's levels"
                " equalise from two minutes of head readings (healthy)")


if __name__ == "__main__":
    main()
