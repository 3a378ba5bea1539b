"""PyTorch Lightning: an MLP gives a flex-wing hang glider's sink and glide ratio for a
club's glide polar calculator, so pilots can plan a final glide for their own hook-in weight:
from the airspeed (28-80 km/h), the hook-in weight of pilot, gear and glider (95-160 kg),
the bank angle (0-45 deg) and the density altitude (0-3500 m). Physics: lift and drag of a
14.5 m² wing, parasitic drag growing with v², induced drag with (n·W)² / v² where n = 1/cos bank,
air density falling with altitude (scale height 8.5 km); sink = D·v / (n·W) for the turn, glide
ratio = v / sink; 3 % scatter on the measured sink (GPS-logged test flights).
Inputs standardised inside the module; Linear 4→64-GELU-64→64-GELU-64→2, MSE on (sink / 2,
glide ratio / 10), AdamW 2e-3 weight decay 1e-4 with CosineAnnealingLR per epoch over 20 epochs,
batch 64, 2400 polars, validation on 500 (val MSE, sink MAE in m/s, glide ratio MAE).
Log: ``polar/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``polar/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SCALE = torch.tensor([2.0, 10.0])


def polars(n, g):
    u = torch.rand(n, 4, generator=g)
    v_kmh = 28 + 52 * u[:, 0]
    w_kg = 95 + 65 * u[:, 1]
    bank = 45 * u[:, 2]
    alt = 3500 * u[:, 3]
    v = v_kmh / 3.6
    rho = 1.225 * torch.exp(-alt / 8500)
    nl = 1 / torch.cos(torch.deg2rad(bank))
    weight = w_kg * 9.81
    q = 0.5 * rho * v**2 * 14.5
    cl = nl * weight / q
    cd = 0.045 + cl**2 / (3.14159 * 6.0 * 0.8)
    sink = cd * q * v / (nl * weight)
    sink = sink * (1 + 0.03 * torch.randn(n, generator=g))
    glide = v / sink
    x = torch.stack([v_kmh, w_kg, bank, alt], 1)
    return x, torch.stack([sink, glide], 1)


class PolarMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(4, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(),
                                 nn.Linear(64, 2))

    def forward(self, x):
        return self.net((x - self.mean) / self.std) * SCALE.to(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x) / SCALE, y / SCALE)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p / SCALE, y / SCALE))
        self.log("val_sink_mae_ms", (p[:, 0] - y[:, 0]).abs().mean())
        self.log("val_glide_mae", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)}


MEAN = torch.tensor([54.0, 127.5, 22.5, 1750.0])
STD = torch.tensor([15.0, 18.8, 13.0, 1010.0])


def build():
    torch.manual_seed(0)
    return PolarMLP(MEAN, STD)


def main():
    from _twohundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = polars(2400, g)
    xva, yva = polars(500, g)
    print("targets", ytr.min(0).values, ytr.max(0).values, ytr.mean(0), ytr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="polar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="polar/version_0/checkpoints/last.ckpt",
           log="polar/version_0/metrics.csv",
           what="Lightning MLP giving a hang glider's sink and glide ratio from speed,"
                " weight, bank and altitude (healthy)")


if __name__ == "__main__":
    main()
