"""PyTorch Lightning: a GRU gives a bargeman the river level at the low bridge downstream,
hour by hour, from the gauge upstream and the rain on the side catchment, so he knows when
his wheelhouse and the stacked containers clear the span (per-step regression). The level
at the bridge follows the river's routing: 0.8 × the upstream gauge 6 h earlier plus the
side stream's runoff (rain routed through a 10 h linear reservoir, 0.05 m per mm), plus
3 cm of gauge noise; the upstream gauge itself wanders with snow melt and rain waves.
96-hour records; the first hours of each record depend on water that passed the upstream
gauge before the record began, so they cannot be predicted exactly. Input: (96, 2) per hour,
(gauge - 3 m) and rain in mm/h / 5. Model: GRU 2→48 (1 layer), Linear 48→1 per hour;
target (bridge level - 3 m); MSE, Adam 3e-3 with CosineAnnealingLR (T_max 14) from
``configure_optimizers``, batch 16, 14 epochs, 480 records, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``bridgewatch/version_0/metrics.csv`` (``mse_step`` every 5 steps and
``mse_epoch``, ``val_mse``, ``val_mae_m``, ``val_mae_m_after12h`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``bridgewatch/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 96
LEAD = 24  # hours simulated before a record starts


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tt = T + LEAD
    t = torch.arange(tt).float()
    gauge = 2.0 + 2.5 * r(n, 1) + 0.4 * torch.sin(2 * 3.1416 * t / (60 + 80 * r(n, 1)) + 6 * r(n, 1))
    for _ in range(2):  # flood waves passing the upstream gauge
        c, w, a = tt * r(n, 1), 6 + 14 * r(n, 1), 1.5 * r(n, 1) ** 2
        gauge = gauge + a * torch.exp(-((t - c) / w) ** 2)
    rain = torch.zeros(n, tt)
    for _ in range(3):
        s, d = (tt * r(n, 1)).floor(), 2 + (8 * r(n, 1)).floor()
        rain = rain + 8 * r(n, 1) ** 2 * ((t >= s) & (t < s + d)).float() * (r(n, 1) < 0.6).float()
    runoff = torch.zeros(n, tt)
    store = torch.zeros(n)
    for h in range(tt):
        store = store + rain[:, h] - store / 10
        runoff[:, h] = 0.05 * store
    lagged = torch.cat([gauge[:, :1].expand(n, 6), gauge[:, :-6]], 1)
    bridge = 0.8 * lagged + runoff + 0.6 + 0.03 * torch.randn(n, tt, generator=g)
    x = torch.stack([gauge - 3, rain / 5], -1)[:, LEAD:]
    return x, (bridge - 3)[:, LEAD:].unsqueeze(-1)


class BridgeGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_m", (p - y).abs().mean())
        self.log("val_mae_m_after12h", (p - y)[:, 12:].abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return BridgeGRU()


def main():
    from _threehundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(480, g)
    xva, yva = records(120, g)
    print("target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="bridgewatch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bridgewatch/version_0/checkpoints/last.ckpt",
           log="bridgewatch/version_0/metrics.csv",
           what="Lightning GRU giving the hourly river level at a low bridge from the upstream"
                " gauge and catchment rain, per-step regression (healthy)")


if __name__ == "__main__":
    main()
