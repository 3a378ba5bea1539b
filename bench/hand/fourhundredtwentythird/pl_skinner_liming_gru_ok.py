"""PyTorch Lightning: a GRU tells a skinner how many hours a batch of cattle hides still needs
in the liming pit before the hair slips, from the first 24 hourly readings of the pit:
liquor temperature (°C), sodium sulphide left (g/l) and pH. The rule behind the data: the
hair loosens at a rate proportional to the sulphide left and doubling every 10 °C
(Arrhenius-like, ×2 per 10 °C), the sulphide being used up at a rate set by the hide load;
the hair slips when the accumulated dose reaches 1. Temperatures 14-26 °C with a daily
swing, starting sulphide 2-4 g/l, loads light to heavy; pH follows the sulphide with noise.
Target: the hours from reading 24 to the slip (17-116 h), scaled /24. Input: (24, 3)
standardised with fixed workshop constants. Model: GRU(3→32, 1 layer), Linear 32→1 on the
last state; MSE, AdamW 3e-3 (weight decay 1e-4) with ExponentialLR (×0.85 per epoch) from
``configure_optimizers``, batch 64, 12 epochs, 1280 pits, validation on 320.
Healthy; numbers in the README.
Log: CSVLogger ``limepit/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_hours`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``limepit/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 24
HORIZON = 140


def pits(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(HORIZON).float()
    temp = 14 + 12 * r(n, 1) + 1.5 * torch.sin(2 * math.pi * (t + 24 * r(n, 1)) / 24)
    s0 = 2 + 2 * r(n, 1)
    use = 0.004 + 0.008 * r(n, 1)  # hide load
    sulf = s0 * torch.exp(-use * t)
    rate = 0.0045 * sulf * 2 ** ((temp - 20) / 10)
    dose = torch.cumsum(rate, 1)
    slip = (dose < 1).sum(1).float()
    ph = 12.1 + 0.25 * sulf / 4 + 0.03 * torch.randn(n, HORIZON, generator=g)
    x = torch.stack([(temp - 20) / 4, (sulf + 0.05 * torch.randn(n, HORIZON, generator=g) - 3) / 1,
                     (ph - 12.3) / 0.1], 2)[:, :H]
    keep = slip > H + 6
    return x[keep], ((slip[keep] - H) / 24).unsqueeze(1)


class LimeGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_hours", 24 * (pred - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return LimeGRU()


def main():
    from _fourhundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pits(1400, g)
    xva, yva = pits(350, g)
    xtr, ytr, xva, yva = xtr[:1280], ytr[:1280], xva[:320], yva[:320]
    print("pits", len(xtr), len(xva), "hours left", (24 * ytr).min().item(), (24 * ytr).max().item(),
          "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="limepit"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=320))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="limepit/version_0/checkpoints/last.ckpt",
           log="limepit/version_0/metrics.csv",
           what="Lightning GRU giving the hours until the hair slips from a liming pit's first"
                " 24 hourly readings (healthy)")


if __name__ == "__main__":
    main()
