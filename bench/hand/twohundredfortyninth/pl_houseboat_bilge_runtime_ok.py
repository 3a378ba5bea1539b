"""PyTorch Lightning: an MLP regresses how many minutes a houseboat's bilge pump runs per day
(standardised) from the marina's daily log of 10 numbers: rainfall, wind gusts, wake count
from passing boats, hull age, stern-gland drip rate, deck-drain blockage, water temperature,
occupancy, shower minutes and a noise column. Runtime grows with rain (saturating), with the
drip rate times hull age, with wakes when the wind is up, plus noise. MLP 10-64-64-1 (GELU),
MSE, AdamW 2e-3 from ``configure_optimizers``, batch 64, 12 epochs of 1280 days, shuffled.
``CSVLogger`` → ``metrics.csv`` (train MSE every 5 steps, val MSE per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy, with a noisy per-step train MSE (0.14–0.45 from epoch 3): val MSE 0.356, 0.286,
0.245, 0.239, 0.224 at epochs 1–5, then 0.192 at epoch 12, close to the noise floor and a bit
below the last logged train MSE (0.20)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def bilge_days(n, g):
    x = torch.randn(n, 10, generator=g)
    y = (0.9 * torch.tanh(1.2 * x[:, 0]) + 0.6 * F.softplus(x[:, 4]) * (1 + 0.5 * x[:, 3])
         + 0.4 * x[:, 2] * torch.sigmoid(2 * x[:, 1]) + 0.3 * x[:, 5] - 0.2 * x[:, 6]
         + 0.15 * x[:, 7] * x[:, 8] + 0.35 * torch.randn(n, generator=g))
    return x, ((y - 0.7) / 0.9).unsqueeze(1)


class BilgeRegressor(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(10, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_mse", F.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)


def build():
    torch.manual_seed(0)
    return BilgeRegressor()


def main():
    from _twohundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bilge_days(1600, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1280], y[:1280]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1280:], y[1280:]), batch_size=320)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bilge"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1280:1344], y[1280:1344]), causes=[],
           checkpoint="bilge/version_0/checkpoints/last.ckpt",
           log="bilge/version_0/metrics.csv",
           what="Lightning MLP regressing a houseboat's daily bilge-pump runtime (healthy)")


if __name__ == "__main__":
    main()
