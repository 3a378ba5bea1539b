"""PyTorch Lightning: a GRU reads three weeks of weather after a turf-cutter has spread his
sods on the bog and predicts how wet they still are on day 21 (moisture, % of wet weight),
so he knows whether they are ready to foot (stand up in little stooks) or need another week.
21 days of 5 readings: air temperature (°C), wind (m/s), rain (mm), relative humidity (%)
and sunshine hours. Drying rule: fresh sods start at 85-92 % water; each day loses a share
of the water above an equilibrium moisture (which rises with humidity) set by sun, wind
and the humidity deficit, warmer days faster; rain wets them again, more so when they are
already dry and still lying flat; a crust forms after the first week that slows both.
Input: (21, 5) standardised with the train mean / std per feature. Target: (moisture - 55) / 15.
Model: GRU 5→40 (1 layer, batch first), last hidden state → Linear 40→32→ReLU→1; MSE,
Adam 3e-3 with CosineAnnealingLR (12 epochs) from ``configure_optimizers``, batch 40, 12
epochs, 1400 spreads, validation on 350.
Healthy; numbers in the README.
Log: CSVLogger ``bogdry/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch`` /
``val_mse`` / ``val_mae_pct`` / ``val_ready_acc`` per epoch; ready = under 50 %); checkpoint
``ModelCheckpoint(save_last=True)`` → ``bogdry/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 21


def spreads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    warm = 8 + 10 * r(n, 1)
    temp = warm + 3 * torch.randn(n, DAYS, generator=g)
    wind = (2 + 6 * r(n, 1)) * (0.5 + r(n, DAYS))
    wet_spell = r(n, 1)
    rain = torch.where(r(n, DAYS) < 0.15 + 0.5 * wet_spell, -8 * torch.log(r(n, DAYS)) * (0.3 + wet_spell),
                       torch.zeros(n, DAYS))
    rh = (60 + 30 * wet_spell + 8 * torch.randn(n, DAYS, generator=g) + 0.8 * rain).clamp(40, 100)
    sun = (12 * (1 - rh / 110) * (0.5 + 0.5 * r(n, DAYS))).clamp(0, 14)
    m = 85 + 7 * r(n)
    for d in range(DAYS):
        crust = 0.6 if d >= 7 else 1.0
        eq = 15 + 0.25 * rh[:, d]
        rate = 0.04 * (sun[:, d] + 0.8 * wind[:, d]) * (1 - rh[:, d] / 105) * (1 + (temp[:, d] - 10) / 25)
        m = m - crust * rate.clamp(min=0) * (m - eq).clamp(min=0)
        m = m + crust * 0.35 * rain[:, d] * (1 - m / 95).clamp(min=0) * 3
        m = m.clamp(max=92)
    x = torch.stack([temp, wind, rain, rh, sun], 2)
    return x, m + 1.0 * torch.randn(n, generator=g)


class SodGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 40, batch_first=True)
        self.head = nn.Sequential(nn.Linear(40, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", 15 * (p - y).abs().mean())
        ready = 55 + 15 * y < 50
        self.log("val_ready_acc", ((55 + 15 * p < 50) == ready).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return SodGRU()


def main():
    from _threehundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, mtr = spreads(1400, g)
    rva, mva = spreads(350, g)
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((mtr - 55) / 15).unsqueeze(1), ((mva - 55) / 15).unsqueeze(1)
    print("moisture", mtr.mean().item(), mtr.std().item(), "ready", (mtr < 50).float().mean().item(),
          "target var", yva.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bogdry"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=350))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bogdry/version_0/checkpoints/last.ckpt",
           log="bogdry/version_0/metrics.csv",
           what="Lightning GRU predicting how wet spread turf sods are after three weeks of"
                " bog weather (healthy)")


if __name__ == "__main__":
    main()
