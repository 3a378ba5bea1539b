"""PyTorch Lightning: a GRU tells a koi keeper what the total ammonia in a garden koi pond will
be 12 hours after the last reading if feeding stops now (the question before a heatwave or a
holiday), from the last 48 hourly readings of a cheap probe. Nitrogen budget: each feed
releases ammonia over the next hours (0.04 mg/l per gram per 1000 l, gill excretion peaking
~3 h after the meal), the biofilter removes a share k(T) = 0.05·1.07^(T-20) of the ammonia
per hour (nitrifiers speed up with water temperature), and the pond sits at 14-26 °C with a
daily swing. So the target, A(48)·exp(-12·k), needs the net to read both how much is there
now and how fast this pond's filter is clearing it. Probe scatter 0.02 mg/l.
Input: (48, 3) hourly feed grams / 50, (temperature - 20) / 4, ammonia mg/l; target mg/l × 4.
GRU 3→48, 2 layers, last state → linear 48→32-SiLU-32→1; MSE, RMSprop 2e-3 with
ExponentialLR(0.93) per epoch from ``configure_optimizers``, batch 64, 14 epochs, 1600 ponds
(windows), validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``pond/version_0/metrics.csv`` (``train_mse`` per epoch, ``val_mse``,
``val_mae_mgl``); checkpoint ``ModelCheckpoint(save_last=True)`` →
``pond/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48


def ponds(n, g):
    t = torch.arange(H + 6).float()
    tmean = 14 + 12 * torch.rand(n, 1, generator=g)
    temp = tmean + 1.5 * torch.sin(2 * torch.pi * (t - 14) / 24)
    k = 0.05 * 1.07 ** (temp - 20) * (0.6 + 0.8 * torch.rand(n, 1, generator=g))
    feed = torch.zeros(n, H + 6)
    for hour in (8, 13, 18):
        for day in range(3):
            h = hour + 24 * day - 12
            if 0 <= h < H + 6:
                feed[:, h] = (20 + 60 * torch.rand(n, generator=g)) * (
                    torch.rand(n, generator=g) < 0.85).float()
    release = torch.tensor([0.2, 0.35, 0.25, 0.12, 0.08])
    amm = 0.1 + 0.4 * torch.rand(n, generator=g)
    vol = 2 + 8 * torch.rand(n, 1, generator=g)
    seq = []
    for h in range(H + 6):
        inp = sum(release[j] * feed[:, h - j] for j in range(5) if h - j >= 0)
        amm = amm + 0.04 * inp / vol[:, 0] - k[:, h] * amm
        seq.append(amm)
    amm = torch.stack(seq, 1)[:, 6:]
    kk, tt, ff = k[:, 6:], temp[:, 6:], feed[:, 6:]
    target = amm[:, -1] * torch.exp(-12 * kk[:, -1])
    obs = amm + 0.02 * torch.randn(n, H, generator=g)
    x = torch.stack([ff / 50, (tt - 20) / 4, obs], 2)
    return x, (4 * target).unsqueeze(1)


class AmmoniaGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, num_layers=2, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 32), nn.SiLU(), nn.Linear(32, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_mgl", (p - y).abs().mean() / 4)

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)]


def build():
    torch.manual_seed(0)
    return AmmoniaGRU()


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ponds(1600, g)
    xva, yva = ponds(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="pond"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pond/version_0/checkpoints/last.ckpt",
           log="pond/version_0/metrics.csv",
           what="Lightning GRU forecasting a koi pond's ammonia 12 h after feeding stops"
                " (healthy)")


if __name__ == "__main__":
    main()
