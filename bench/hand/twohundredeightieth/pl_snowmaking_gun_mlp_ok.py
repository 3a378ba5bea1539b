"""PyTorch Lightning: an MLP predicts what one snowmaking gun on a trail makes in an hour,
so the night shift can decide which guns to open: snow output (m3/h of settled snow) and the
density of that snow (kg/m3). Inputs: wet-bulb temperature (-14 to -1 C), water flow through
the nozzles (1-9 L/s), compressed-air / nozzle pressure (20-40 bar), wind speed (0-10 m/s)
and the gun's height above the trail (3-9 m). Physics: the share of water that freezes
before landing grows with how cold the wet bulb is, with hang time (height, nozzle pressure)
and falls with flow (bigger droplets); wind blows part of the plume off the trail; what does
not freeze lands as water and makes the snow heavy: density = 330 + 380 * (1 - frozen share);
output = flow * 3.6 * landed share / density * 1000. 3 % measurement scatter.
Inputs standardised inside the module. Linear 5→64-GELU-64→64-GELU-64→2, MSE on output / 40
and density / 500, Adam 2e-3 with cosine annealing over 20 epochs, batch 64, 3000 gun-hours,
validation on 600 (val MSE, val MAE of output in m3/h, val MAE of density in kg/m3).
Log: ``guns/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``guns/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SCALE = torch.tensor([40.0, 500.0])


def gun_hours(n, g):
    u = torch.rand(n, 5, generator=g)
    twb, flow, press, wind, height = (-14 + 13 * u[:, 0], 1 + 8 * u[:, 1], 20 + 20 * u[:, 2],
                                      10 * u[:, 3], 3 + 6 * u[:, 4])
    hang = (height / 6) * (press / 30) ** 0.5
    frozen = torch.sigmoid(-0.45 * (twb + 2.5) * hang - 0.25 * (flow - 5))
    landed = 1 - 0.35 * torch.sigmoid(wind - 6)
    dens = 330 + 380 * (1 - frozen)
    out = flow * 3.6 * landed / dens * 1000
    y = torch.stack([out, dens], 1) * (1 + 0.03 * torch.randn(n, 2, generator=g))
    return torch.stack([twb, flow, press, wind, height], 1), y


class GunMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(5, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(),
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
        self.log("val_mae_output_m3h", (p[:, 0] - y[:, 0]).abs().mean())
        self.log("val_mae_density", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)}


MEAN = torch.tensor([-7.5, 5.0, 30.0, 5.0, 6.0])
STD = torch.tensor([3.75, 2.3, 5.8, 2.9, 1.7])


def build():
    torch.manual_seed(0)
    return GunMLP(MEAN, STD)


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = gun_hours(3000, g)
    xva, yva = gun_hours(600, g)
    print("output / density ranges", ytr.min(0).values, ytr.max(0).values)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="guns"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="guns/version_0/checkpoints/last.ckpt",
           log="guns/version_0/metrics.csv",
           what="Lightning MLP predicting a snowmaking gun's hourly output and snow density"
                " (healthy)")


if __name__ == "__main__":
    main()
