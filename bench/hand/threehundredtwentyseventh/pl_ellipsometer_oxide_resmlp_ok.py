"""PyTorch Lightning: a residual MLP reads the thickness and the refractive index of a thermal
oxide film on a silicon wafer from a spectroscopic ellipsometer scan (16 wavelengths,
400-800 nm, 70° incidence), the fab's quick fit that replaces the slow model regression.
Ψ and Δ come from the single-film Airy formula: ambient / SiO2 (Cauchy n = A + 4200 nm² / λ²,
A 1.445-1.475 with the oxide's density) / Si (n from a Cauchy fit of crystalline silicon, small
absorption), film 5-320 nm; Ψ read to ±0.05°, Δ to ±0.15°.
Input: 48 numbers, Ψ / 45°, cos Δ and sin Δ per wavelength. Targets: (thickness - 160) / 90 nm
and (A - 1.46) / 0.01. Model: Linear 48→96, 3 pre-LayerNorm residual blocks (96→192→96, GELU),
LayerNorm, Linear 96→2; MSE, Adam 2e-3 with CosineAnnealingLR over the 14 epochs from
``configure_optimizers``, batch 64, 2400 scans, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``oxide_fit/version_0/metrics.csv`` (``mse_step`` every 10 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_nm`` / ``val_mae_index`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``oxide_fit/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

LAM = torch.linspace(400.0, 800.0, 16)
PHI = math.radians(70.0)


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = 5 + 315 * r(n, 1)
    a = 1.445 + 0.03 * r(n, 1)
    n0 = torch.ones(n, 16, dtype=torch.cdouble)
    n1 = (a + 4200.0 / LAM ** 2).to(torch.cdouble)
    n2 = (3.42 + 1.3e5 / LAM ** 2) - 1j * (2e4 / LAM ** 2 - 0.03).clamp(min=0.0)
    n2 = n2.expand(n, 16)
    s0 = math.sin(PHI)
    c0 = torch.full((n, 16), math.cos(PHI), dtype=torch.cdouble)
    c1 = torch.sqrt(1 - (s0 / n1) ** 2)
    c2 = torch.sqrt(1 - (s0 / n2) ** 2)
    rp01 = (n1 * c0 - n0 * c1) / (n1 * c0 + n0 * c1)
    rp12 = (n2 * c1 - n1 * c2) / (n2 * c1 + n1 * c2)
    rs01 = (n0 * c0 - n1 * c1) / (n0 * c0 + n1 * c1)
    rs12 = (n1 * c1 - n2 * c2) / (n1 * c1 + n2 * c2)
    ph = torch.exp(-2j * (2 * math.pi * d / LAM) * n1 * c1)
    rp = (rp01 + rp12 * ph) / (1 + rp01 * rp12 * ph)
    rs = (rs01 + rs12 * ph) / (1 + rs01 * rs12 * ph)
    rho = rp / rs
    psi = torch.rad2deg(torch.atan(rho.abs())).float() + 0.05 * torch.randn(n, 16, generator=g)
    delta = torch.angle(rho).float() + math.radians(0.15) * torch.randn(n, 16, generator=g)
    x = torch.cat([psi / 45, torch.cos(delta), torch.sin(delta)], 1)
    y = torch.cat([(d - 160) / 90, (a - 1.46) / 0.01], 1).float()
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class OxideFit(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(48, 96), Block(96), Block(96), Block(96),
                                 nn.LayerNorm(96), nn.Linear(96, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_nm", 90 * (pred[:, 0] - y[:, 0]).abs().mean())
        self.log("val_mae_index", 0.01 * (pred[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return OxideFit()


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(2400, g)
    xva, yva = scans(400, g)
    print("target var", ytr.var(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="oxide_fit"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="oxide_fit/version_0/checkpoints/last.ckpt",
           log="oxide_fit/version_0/metrics.csv",
           what="Lightning residual MLP reading oxide thickness and index from a spectroscopic"
                " ellipsometer scan (healthy)")


if __name__ == "__main__":
    main()
