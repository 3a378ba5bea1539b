"""PyTorch Lightning: a GRU follows the moisture of the hop cones on an oast house kiln
floor hour by hour (per-step regression), from what the kiln-man can read without pulling a
sample: the air temperature under the floor, the exhaust air's relative humidity, the fan
setting, plus the bed depth and the green cones' moisture at loading. 24 quarter-hours of a
drying run (6 h). Drying follows a falling-rate curve: the cones lose water at a rate
proportional to (moisture - equilibrium) with a constant that rises with air temperature and
fan speed and falls with bed depth; the exhaust is wet while the bed gives water and dries as
the cones do; a fire-door check now and then knocks the temperature down a few degrees.
Input: (24, 5) standardised readings. Target: (24, 1) cone moisture % / 100, per step.
Model: GRU(5→48, 1 layer) + Linear 48→1 on every step; MSE, AdamW 3e-3 (weight decay 1e-4)
with CosineAnnealingLR over 14 epochs from ``configure_optimizers``, batch 40, 960 runs,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``kilnlog/version_0/metrics.csv`` (``mse_step`` every 8 steps, ``mse_epoch``,
``val_mse`` / ``val_mae_pct`` / ``val_mae_pct_end`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``kilnlog/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 24


def drying_runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth, m0 = 30 + 40 * r(n, 1), 0.74 + 0.08 * r(n, 1)
    fan = 0.6 + 0.4 * r(n, 1)
    temp = 55 + 8 * r(n, 1) + torch.linspace(0, 10, T) * r(n, 1)
    temp = temp - 4 * (r(n, T) < 0.08).float()
    m, ms, rhs = m0.squeeze(1), [], []
    for t in range(T):
        k = 0.05 * 2 ** ((temp[:, t] - 60) / 10) * fan.squeeze(1) * 50 / depth.squeeze(1)
        m = 0.08 + (m - 0.08) * torch.exp(-k)
        ms.append(m)
        rhs.append(30 + 60 * (m - 0.08) / 0.74 * (depth.squeeze(1) / 50) ** 0.3)
    moist, rh = torch.stack(ms, 1), torch.stack(rhs, 1) + 2 * torch.randn(n, T, generator=g)
    x = torch.stack([temp, rh, fan.expand(n, T), depth.expand(n, T), m0.expand(n, T)], 2)
    return x, (moist + 0.005 * torch.randn(n, T, generator=g)).unsqueeze(2)


class ConeGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        return self.out(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", 100 * (p - y).abs().mean())
        self.log("val_mae_pct_end", 100 * (p[:, -1] - y[:, -1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return ConeGRU()


def main():
    from _fourhundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = drying_runs(960, g)
    rva, yva = drying_runs(240, g)
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("end moisture", ytr[:, -1].min().item(), ytr[:, -1].max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="kilnlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 6) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="kilnlog/version_0/checkpoints/last.ckpt",
           log="kilnlog/version_0/metrics.csv",
           what="Lightning GRU following hop cone moisture hour by hour on an oast kiln floor"
                " (healthy)")


if __name__ == "__main__":
    main()
