"""PyTorch Lightning: an MLP predicts the surface roughness Ra (µm) a bowl comes off the lathe
with, before sanding, from 8 numbers a turner notes per cut: spindle speed (rpm), blank
diameter (cm), the gouge's bevel angle (deg), how many minutes since the gouge was last
sharpened, wood density (kg/m³), moisture content (%), the share of end grain in the cut
(0-1, a bowl's side wall passes end grain twice a turn) and depth of cut (mm). A slow surface
speed, a dull edge, a steep bevel and deep cuts all tear the fibres, end grain much more so;
dense wood cuts cleaner, very dry or very wet wood tears; plus 0.15 µm measuring noise.
Standardised inside the module. Linear 8→96-SiLU-96→48-SiLU→1, MSE, AdamW 2e-3 (weight decay
1e-3) with StepLR(8, 0.5) from ``configure_optimizers``, batch 64, 24 epochs of 2500 cuts,
validation on 600 cuts (val MSE, val MAE in µm).
Log: ``cuts/version_0/metrics.csv`` (CSVLogger); checkpoint
``cuts/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def cuts(n, g):
    rpm = 500 + 2000 * torch.rand(n, generator=g)
    diam = 10 + 30 * torch.rand(n, generator=g)
    bevel = 35 + 30 * torch.rand(n, generator=g)
    dull = 60 * torch.rand(n, generator=g)
    dens = 400 + 500 * torch.rand(n, generator=g)
    moist = 6 + 24 * torch.rand(n, generator=g)
    endg = torch.rand(n, generator=g)
    depth = 0.2 + 2.8 * torch.rand(n, generator=g)
    speed = rpm * 3.1416 * diam / 100 / 60
    tear = (1 + 2.5 * endg) * (0.6 + 0.03 * dull) * (1 + 0.02 * (bevel - 45)) * (0.5 + 0.5 * depth)
    ra = (0.8 + tear * (8 / (speed + 4)) * (700 / dens) + 0.004 * (moist - 14) ** 2
          + 0.15 * torch.randn(n, generator=g))
    x = torch.stack([rpm, diam, bevel, dull, dens, moist, endg, depth], 1)
    return x, ra


class Roughness(L.LightningModule):
    def __init__(self, x_mean, x_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.net = nn.Sequential(nn.Linear(8, 96), nn.SiLU(), nn.Linear(96, 48), nn.SiLU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_um", (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 8, 0.5)]


def stats():
    x, y = cuts(2500, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0)


def build():
    torch.manual_seed(0)
    _, _, xm, xs = stats()
    return Roughness(xm, xs)


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = cuts(600, torch.Generator().manual_seed(1))
    print("Ra mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="cuts"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cuts/version_0/checkpoints/last.ckpt",
           log="cuts/version_0/metrics.csv",
           what="Lightning MLP predicting a turned bowl's surface roughness (healthy)")


if __name__ == "__main__":
    main()
