"""PyTorch Lightning: a GRU forecasts the water level in a polder's main drainage ditch six
hours ahead from the last 36 hours at the pumping station, so the operator can start the
pumps before the level passes the alarm mark. Per hour: rainfall (mm), the share of the hour
the pumps ran, the ditch level (cm relative to the target level) and the outside river stage
(the higher the river, the harder the pumps lift and the more seepage comes in under the
dike). The level follows a storage balance: rain runs off with a delay through the parcels'
drains, seepage grows with the river stage, the pumps take out a fixed rate that drops with
lift height; the pumps switch by a float rule (on above +8 cm, off below -4 cm). The six
hours ahead are simulated with the rain of the last 3 hours persisting; sensor noise on top.
Target: (level in 6 h) / 20 cm. Regression, MSE (Smooth L1 is logged alongside).
Model: GRU 4→48, 2 layers, dropout 0.1 between them, last hidden state → linear 48→1.
Adam 4e-3 from ``configure_optimizers`` with ReduceLROnPlateau on ``val_loss`` (patience 1,
×0.5), batch 50, 12 epochs, 1500 windows, validation on 400.
Healthy; numbers in the README.
Log: ``CSVLogger`` → ``station/version_0/metrics.csv`` (``train_mse`` every 5 steps,
``val_loss`` / ``val_mae_cm`` per epoch); ``ModelCheckpoint(save_last=True)`` →
``station/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

HOURS, AHEAD = 36, 6


def stations(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    total = HOURS + AHEAD
    wet = r(n, 1) < 0.7
    rain = torch.zeros(n, total)
    for k in range(total):  # showers come in spells
        start = (r(n) < 0.08) & wet.squeeze(1)
        rain[:, k] = torch.where(start | ((k > 0) & (rain[:, k - 1] > 0) & (r(n) < 0.7)),
                                 4 * r(n) ** 2 * 3, torch.zeros(n))
    rain[:, HOURS:] = rain[:, HOURS - 3:HOURS].mean(1, keepdim=True)  # persistence forecast
    river = 1.0 + 2.0 * r(n, 1) + 0.3 * torch.sin(torch.arange(total) / 12.4 * 6.283
                                                 + 6.3 * r(n, 1))  # tide
    level = 20 * (r(n) - 0.5)
    runoff = torch.zeros(n)
    pump_on = level > 8
    lv, pu = [], []
    for k in range(total):
        runoff = 0.8 * runoff + 0.2 * rain[:, k]
        pump_on = torch.where(level > 8, torch.ones_like(pump_on),
                              torch.where(level < -4, torch.zeros_like(pump_on), pump_on))
        rate = 6.0 - 0.8 * river[:, k]
        level = level + 2.2 * runoff + 0.5 * river[:, k] - 0.6 - pump_on.float() * rate
        lv.append(level)
        pu.append(pump_on.float())
    level = torch.stack(lv, 1)
    pump = torch.stack(pu, 1)
    x = torch.stack([rain[:, :HOURS] / 3, pump[:, :HOURS],
                     (level[:, :HOURS] + 0.5 * torch.randn(n, HOURS, generator=g)) / 20,
                     (river[:, :HOURS] - 2) / 1], 2)
    return x, (level[:, -1] / 20).unsqueeze(1)


class LevelGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, num_layers=2, dropout=0.1, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_smooth_l1", F.smooth_l1_loss(p, y))
        self.log("val_mae_cm", 20 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=4e-3)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        return {"optimizer": opt,
                "lr_scheduler": {"scheduler": plateau, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return LevelGRU()


def main():
    from _threehundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stations(1500, g)
    xva, yva = stations(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="station"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="station/version_0/checkpoints/last.ckpt",
           log="station/version_0/metrics.csv",
           what="Lightning GRU forecasting a polder ditch's water level six hours ahead from"
                " rain, pump runs, level and river stage at the pumping station (healthy)")


if __name__ == "__main__":
    main()
