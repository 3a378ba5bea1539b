"""PyTorch Lightning: an LSTM reads the last 30 strokes of a hot-forging hammer (per stroke:
blow energy, contact time of the hot billet on the die, the dwell before the next stroke,
and whether the lubricant spray fired) and estimates the die surface temperature after the
last stroke, which the thermocouple in the die block only shows late and smoothed. Each
contact heats the die face towards the billet (1150 °C) in proportion to the contact time and
the blow energy (a harder blow flattens the scale and improves contact); between strokes the
face cools towards the die block's bulk temperature (about 200 °C) with a time constant of
6 s, and a spray takes off a further 8-12 % of the excess. Target: (T - 350 °C) / 60.
Input: (30, 4) energy / 20 kJ - 1, contact / 40 ms - 1, dwell / 5 s - 1, spray 0/1.
LSTM 4→32, 1 layer, last state → Linear 32→1; Huber loss (δ 1), Adam 5e-3 with
CosineAnnealingLR over the 10 epochs from ``configure_optimizers``, batch 64, 1200
sequences, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``diehot/version_0/metrics.csv`` (``huber`` per step every 4 steps,
``val_huber`` and ``val_mae_degc`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``diehot/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 30


def strokes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    e = 20 * (0.5 + r(n, S))
    c = 40 * (0.5 + r(n, S))
    d = 5 * (0.4 + 1.2 * r(n, S))
    spray = (r(n, S) < 0.3).float()
    t = 200 + 300 * r(n)
    for k in range(S):
        t = t + (1150 - t) * 0.004 * c[:, k] * (0.7 + 0.015 * e[:, k])
        t = 200 + (t - 200) * torch.exp(-d[:, k] / 6)
        t = 200 + (t - 200) * (1 - (0.08 + 0.04 * r(n)) * spray[:, k])
    t = t + 3 * torch.randn(n, generator=g)
    x = torch.stack([e / 20 - 1, c / 40 - 1, d / 5 - 1, spray], 2)
    return x, ((t - 350) / 60).unsqueeze(1)


class DieLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("huber", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_mae_degc", 60 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)]


def build():
    torch.manual_seed(0)
    return DieLSTM()


def main():
    from _twohundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strokes(1200, g)
    xva, yva = strokes(300, g)
    print("target", ytr.mean().item(), ytr.var().item(), yva.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="diehot"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="diehot/version_0/checkpoints/last.ckpt",
           log="diehot/version_0/metrics.csv",
           what="Lightning LSTM estimating a forging hammer's die surface temperature from the"
                " last 30 strokes (healthy)")


if __name__ == "__main__":
    main()
