"""PyTorch Lightning: an autoencoder compresses a miso brewery's hourly cellar sensor sweep (16
numbers: temperature and humidity at 6 vat positions, CO2, ambient temperature, koji-room
temperature and humidity, standardised) to a 3-number code and rebuilds it. The sweep is
driven by 3 hidden factors (season heat, koji-room activity, how many vats are stirring) through
a fixed smooth map plus sensor noise (σ 0.1), so 3 numbers suffice up to the noise.
Linear(16→32)-Tanh-Linear(32→3) / Linear(3→32)-Tanh-Linear(32→16), MSE; AdamW 3e-3 with
``CosineAnnealingLR(T_max=16)`` from ``configure_optimizers``, batch 64, 16 epochs of 2048
sweeps. ``CSVLogger`` → ``metrics.csv`` (train MSE every 8 steps, val MSE per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy, with a long plateau: val MSE 0.295, 0.202, 0.180, 0.169, 0.164 in epochs 1–5, then
0.158 → 0.1464 over epochs 6–16 (the sensor noise and the 3-number code set the floor); the
per-step train MSE is noisy (0.13–0.36)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

D, Z = 16, 3


def sweeps(n, g):
    z = torch.randn(n, Z, generator=g)
    w = torch.randn(Z, D, generator=torch.Generator().manual_seed(5))
    b = torch.randn(D, generator=torch.Generator().manual_seed(6))
    x = torch.tanh(z @ w * 0.6 + b) + 0.3 * (z[:, :1] * z[:, 1:2]) * w[2]
    x = x + 0.1 * torch.randn(n, D, generator=g)
    return (x - x.mean(0)) / x.std(0)


class CellarAE(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.enc = nn.Sequential(nn.Linear(D, 32), nn.Tanh(), nn.Linear(32, Z))
        self.dec = nn.Sequential(nn.Linear(Z, 32), nn.Tanh(), nn.Linear(32, D))

    def forward(self, x):
        return self.dec(self.enc(x))

    def training_step(self, batch, _):
        (x,) = batch
        loss = F.mse_loss(self(x), x)
        self.log("train_recon_mse", loss)
        return loss

    def validation_step(self, batch, _):
        (x,) = batch
        self.log("val_recon_mse", F.mse_loss(self(x), x))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)]


def build():
    torch.manual_seed(0)
    return CellarAE()


def main():
    from _twohundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = sweeps(2560, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:2048]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[2048:]), batch_size=256)
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="cellar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[2048:2112], x[2048:2112]), causes=[],
           checkpoint="cellar/version_0/checkpoints/last.ckpt",
           log="cellar/version_0/metrics.csv",
           what="Lightning autoencoder compressing miso cellar sensor sweeps to 3 numbers"
                " (healthy)")


if __name__ == "__main__":
    main()
