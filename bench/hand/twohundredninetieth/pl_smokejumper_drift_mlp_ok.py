"""PyTorch Lightning: an MLP gives a smokejumper spotter the expected drift (m) of a jumper from
the exit point to the landing, so the spotter can pick the exit point upwind of the jump spot.
Physics: the jumper falls under canopy from the exit altitude (900-1200 m above the spot) at a
descent rate that grows with the square root of suspended weight (round canopy 5.2 m/s at
90 kg, square ram-air 4.0 m/s); the wind drifts the canopy by the mean of the exit-altitude wind
(0-12 m/s) and the ground wind (0-8 m/s) for the whole descent, and a square canopy holds into
the wind for 55 % of that drift; streamer readings carry ±8 % scatter.
Inputs: exit altitude / 1000, wind at exit, ground wind, weight / 100, round / square one-hot;
target drift / 1000 m.
Linear 6→64-SiLU-64→64-SiLU-64→1; MSE, AdamW 2e-3 (weight decay 1e-4), ExponentialLR γ 0.9 per
epoch, batch 64, 15 epochs, 2500 jumps, validation on 500 (val MSE, MAE in metres).
Log: ``spotter/version_0/metrics.csv`` (CSVLogger, train MSE per epoch, val per epoch);
checkpoint ``spotter/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def jumps(n, g):
    h = 900 + 300 * torch.rand(n, generator=g)
    w_exit = 12 * torch.rand(n, generator=g)
    w_gnd = 8 * torch.rand(n, generator=g)
    kg = 70 + 40 * torch.rand(n, generator=g)
    square = (torch.rand(n, generator=g) < 0.5).float()
    v = (5.2 - 1.2 * square) * torch.sqrt(kg / 90)
    drift = h / v * (w_exit + w_gnd) / 2 * (1 - 0.55 * square)
    drift = drift * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([h / 1000, w_exit, w_gnd, kg / 100, 1 - square, square], 1)
    return x, (drift / 1000).unsqueeze(1)


class DriftNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_m", (p - y).abs().mean() * 1000)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]


def build():
    torch.manual_seed(0)
    return DriftNet()


def main():
    from _twohundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jumps(2500, g)
    xva, yva = jumps(500, g)
    print("drift km", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="spotter"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="spotter/version_0/checkpoints/last.ckpt",
           log="spotter/version_0/metrics.csv",
           what="Lightning MLP giving a smokejumper's canopy drift from exit point to spot"
                " (healthy)")


if __name__ == "__main__":
    main()
