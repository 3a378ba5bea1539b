"""PyTorch Lightning: a commercial laundry's tumble dryers estimate the minutes left in a cycle
from the last 2 minutes of exhaust sensors, so loads can be scheduled. Synthetic cycles: a load
of 8–25 kg with a starting moisture of 40–70 %, drying at a rate that depends on load, fabric
(towels / bed linen / workwear) and inlet temperature; the exhaust relative humidity falls and
the exhaust temperature rises as the load dries (a falling-rate period near the end), with
drum-reversal ripples every 30 s and sensor noise. A window is 60 samples (2 s apart) of
[exhaust RH %, exhaust °C, inlet °C] taken at a random point of a cycle, the target the minutes
left (0–55), scaled by 1/60. A 1-D CNN (Conv1d 3→16 k5, ReLU, Conv1d 16→32 k5 stride 2, ReLU,
global average, dropout 0.2, Linear 32→32, ReLU, Linear → 1), Huber loss (δ 0.05), AdamW 3e-3 with
a OneCycle schedule stepped per batch, batch 32, 10 epochs of 1536 windows; ``CSVLogger`` →
``metrics.csv`` (train loss every 8 steps and per epoch, val loss and val MAE in minutes per
epoch), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, with a modest-looking end: val MAE 6.06, 5.13, 4.87, 4.83, 4.80, 4.51, 4.54, 4.42,
4.46, 4.38 min (predicting the mean: 7.05 min) — early in a cycle the exhaust is flat at ~85 %
RH and the window cannot tell a heavy load from a light one (the time left is ambiguous there);
the val loss (0.0027) sits below the epoch train loss (0.0029) throughout (dropout in training
only)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

W = 60


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    load = 8 + 17 * r(n)
    moist = 0.4 + 0.3 * r(n)
    fabric = torch.randint(0, 3, (n,), generator=g)
    inlet = 70 + 20 * r(n)
    rate = (0.020 + 0.010 * (inlet - 70) / 20) * torch.tensor([0.8, 1.0, 1.25])[fabric] * 15 / load
    total = moist / rate  # minutes to dry at this rate
    left = total * r(n).clamp(0.02, 0.98)
    left = left.clamp(max=55.0)
    t = torch.arange(W).float() * 2 / 60  # minutes, window end = now
    rem = left[:, None] + (t[-1] - t)[None]  # minutes left at each sample
    wet = (rem * rate[:, None]).clamp(min=0)  # moisture still in the load
    falling = torch.exp(-wet / 0.06)
    rh = 85 * (1 - falling) + 20 * falling
    temp = 38 + (inlet[:, None] - 45) * falling * 0.9
    ripple = torch.sin(6.283 * (t[None] / 0.5) + 6.283 * r(n, 1))
    rh = rh + 1.5 * ripple + 1.0 * torch.randn(n, W, generator=g)
    temp = temp + 0.4 * ripple + 0.3 * torch.randn(n, W, generator=g)
    x = torch.stack([(rh - 60) / 25, (temp - 50) / 15,
                     ((inlet[:, None] - 80) / 10).expand(n, W)], 1)
    return x, left / 60


class DryerNet(L.LightningModule):
    def __init__(self, lr=3e-3, steps=480):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.conv(x).mean(-1)).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y, delta=0.05)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.huber_loss(p, y, delta=0.05))
        self.log("val_mae_min", (p - y).abs().mean() * 60)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr,
                                                    total_steps=self.hparams.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return DryerNet()


def main():
    from _hundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1920, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1536], y[:1536]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1536:], y[1536:]), batch_size=128)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="dryer"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1536:1600], y[1536:1600]), causes=[],
           checkpoint="dryer/version_0/checkpoints/last.ckpt",
           log="dryer/version_0/metrics.csv",
           what="Lightning 1-D CNN, minutes left in a tumble-dryer cycle from exhaust sensors "
                "(healthy)")


if __name__ == "__main__":
    main()
