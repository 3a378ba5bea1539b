"""PyTorch Lightning: an MLP estimates the surface salinity (PSU) at a coastal lagoon's
monitoring buoys from seven readings: rainfall over the last 3 days (mm), river discharge
(m3/s), tidal range (m), inlet width after the last storm (m), wind speed (m/s), air
temperature (deg C) and the buoy's distance from the inlet (km). Salinity follows a mixing
model: seawater (35 PSU) comes in through the inlet in proportion to tidal range times inlet
width and fades with distance, river water and rain dilute it, warm days concentrate it by
evaporation, wind mixes the layers; plus 0.6 PSU sensor noise. MLP 7-64-SiLU-64-SiLU-1, MSE on
(salinity - 20) / 8, Adam 3e-3 from ``configure_optimizers`` with a ``ReduceLROnPlateau`` on
val_loss, batch 64, 12 epochs of 2048 readings, 256 validation readings. ``CSVLogger`` →
``salinity/version_0/metrics.csv`` (train_loss every 8 steps, val_loss and val_mae_psu per
epoch), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy: val loss 0.097 (epoch 1), 0.059, 0.037, 0.021, 0.019, 0.016, 0.015, 0.014, 0.0139,
0.0131, 0.0128, 0.0140 (epoch 12, a small uptick at the end); val MAE 1.83 → 0.90 (epoch 4)
→ 0.71-0.73 PSU (the 0.6 PSU sensor noise alone gives 0.48); the logged train loss (single
mini-batches) 2.05 at step 7, 0.11 at 31, 0.009-0.03 from epoch 5 on, as noisy as it is
sometimes above and sometimes below the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def readings(n, g):
    u = torch.rand(n, 7, generator=g)
    rain = 60 * u[:, 0] ** 2
    river = 5 + 80 * u[:, 1]
    tide = 0.3 + 1.5 * u[:, 2]
    inlet = 20 + 180 * u[:, 3]
    wind = 12 * u[:, 4]
    temp = 14 + 18 * u[:, 5]
    dist = 0.2 + 9.8 * u[:, 6]
    sea = tide * inlet / 150 * torch.exp(-dist / 4)
    fresh = river / 40 + rain / 30
    frac = sea / (sea + fresh * (1 - 0.03 * wind) + 0.1)
    sal = 35 * frac * (1 + 0.012 * (temp - 20)) + 0.6 * torch.randn(n, generator=g)
    x = torch.stack([rain / 30 - 0.7, river / 40 - 1.1, tide - 1.05, inlet / 100 - 1.1,
                     wind / 6 - 1, temp / 10 - 2.3, dist / 5 - 1], 1)
    return x, (sal - 20) / 8


class LagoonSalinity(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(7, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_psu", (p - y).abs().mean() * 8)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return LagoonSalinity()


def main():
    from _twohundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    L.seed_everything(0, verbose=False)
    g = torch.Generator().manual_seed(0)
    x, y = readings(2304, g)
    print("salinity PSU mean/std", (y * 8 + 20).mean().item(), (y * 8).std().item())
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:2048], y[:2048]), batch_size=64, shuffle=True,
                                        generator=torch.Generator().manual_seed(1))
    val = torch.utils.data.DataLoader(ds(x[2048:], y[2048:]), batch_size=256)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="salinity"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[2048:2112], y[2048:2112]), causes=[],
           checkpoint="salinity/version_0/checkpoints/last.ckpt",
           log="salinity/version_0/metrics.csv",
           what="Lightning MLP regressing lagoon buoy salinity from rain, river, tide, inlet,"
                " wind, temperature and distance (healthy)")


if __name__ == "__main__":
    main()
