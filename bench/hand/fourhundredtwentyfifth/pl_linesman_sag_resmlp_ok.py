"""PyTorch Lightning: a residual MLP tells a linesman crew how far an overhead conductor
sags at mid-span right now, so they can check ground clearance under a line before working
below it. 7 inputs: span length (150-400 m), conductor (ACSR size as its weight per metre,
0.8-2.0 kg/m), stringing tension at 15 °C (18-28 % of its breaking strength, as kN),
conductor temperature (-10 to 95 °C, from load current and sun), wind speed across the line
(0-15 m/s), radial ice (0-12 mm) and the span's height difference (0-30 m). Sag follows the
parabola s = w·L² / (8·H), with the weight w the conductor plus ice (0.9 g/cm³) and the
wind's push (vector sum, the sag swinging out of the vertical), and the tension H from the
change-of-state balance against the stringing condition (thermal expansion 19e-6 /K, an
effective elastic stretch, heavier conductors stiffer), to first order; the slope adds a little;
the crew's laser reading has ±5 cm noise.
Input: (7,) standardised with the train mean / std. Target: (sag - 8 m) / 4 m. Model:
Linear 7→64, 3 residual blocks (LayerNorm → Linear 64→128 → GELU → Linear 128→64, added
back), LayerNorm, Linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-3) with CosineAnnealingLR
over 14 epochs from ``configure_optimizers``, batch 50, 2000 spans, validation on 500.
Healthy; numbers in the README.
Log: CSVLogger ``sagrun/version_0/metrics.csv`` (``mse_step`` every 8 steps, ``mse_epoch``,
``val_mse``, ``val_mae_m``, ``val_mae_m_long_spans`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``sagrun/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def spans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    span = 150 + 250 * r(n)
    wkg = 0.8 + 1.2 * r(n)
    diam = 0.012 + 0.018 * (wkg - 0.8) / 1.2
    rts = 60 + 90 * (wkg - 0.8) / 1.2  # breaking strength, kN
    h0 = (0.18 + 0.10 * r(n)) * rts * 1000  # N
    temp = -10 + 105 * r(n)
    wind = 15 * r(n)
    ice = 0.012 * r(n) * (temp < 5).float()
    dh = 30 * r(n)
    w_ice = 900 * torch.pi * ((diam / 2 + ice) ** 2 - (diam / 2) ** 2) * 9.81
    w_c = wkg * 9.81
    w_wind = 0.5 * 1.2 * wind ** 2 * (diam + 2 * ice)
    w = torch.sqrt((w_c + w_ice) ** 2 + w_wind ** 2)
    # change of state to first order: tension falls as the conductor warms, rises with load
    stretch = 0.0045 * (1.4 / wkg) ** 0.3  # thermal growth against elastic give, per K
    h = h0 / (1 + stretch * (temp - 15)) * (w / w_c) ** (1 / 3)
    sag = w * span ** 2 / (8 * h) * (1 + 0.5 * (dh / span) ** 2)
    sag = sag + 0.05 * torch.randn(n, generator=g)
    x = torch.stack([span, wkg, h0 / 1000, temp, wind, ice * 1000, dh], 1)
    return x, sag


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class SagNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(7, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y, span = batch
        p = self(x)
        err = (p - y).abs() * 4
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_m", err.mean())
        self.log("val_mae_m_long_spans", err[span > 330].mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return SagNet()


def main():
    from _fourhundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_ = spans(2000, g)
    rva, sva = spans(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = ((str_ - 8) / 4).unsqueeze(1), ((sva - 8) / 4).unsqueeze(1)
    print("sag m", str_.min().item(), str_.max().item(), "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="sagrun"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva, rva[:, 0]), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="sagrun/version_0/checkpoints/last.ckpt",
           log="sagrun/version_0/metrics.csv",
           what="Lightning residual MLP giving an overhead conductor's mid-span sag from span,"
                " conductor, tension, temperature, wind and ice (healthy)")


if __name__ == "__main__":
    main()
