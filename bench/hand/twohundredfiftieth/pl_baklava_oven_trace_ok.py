"""PyTorch Lightning: a 1-D CNN (no BatchNorm) predicts the crispness score a baklava kitchen's
head pastry cook gives a tray (regression, standardised) from the oven's temperature trace
during the bake: 48 readings, one every minute, as (°C − 170) / 15. Crispness rises with the
heat taken in the last third of the bake, falls when the door is opened (a sharp dip that
recovers over a few minutes) and when the preheat was short (a slow ramp at the start); the
cook's score adds noise (σ 0.3). Conv1d(1→16, 5)-ReLU-pool, Conv1d(16→32, 5)-ReLU-pool,
Conv1d(32→32, 3)-ReLU, global average + max pool, Linear(64→1), MSE; Adam 2e-3 with
``StepLR(step_size=6, gamma=0.5)`` from ``configure_optimizers``, batch 32, 14 epochs of 1024
trays, shuffled. ``CSVLogger`` → ``metrics.csv`` (train MSE every 8 steps, val MSE and MAE per
epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, with a plateau: val MSE 0.221, 0.148, 0.106, 0.091, 0.083 in epochs 1–5, then
0.074–0.084 for the rest (0.079 at epoch 14; the cook's noise sets the floor), val MAE 0.36 →
0.22; the per-step train MSE is noisy (0.05–0.12) around the val MSE."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 48


def bakes(n, g):
    t = torch.arange(T).float()
    ramp = 4 + 10 * torch.rand(n, 1, generator=g)
    level = 165 + 20 * torch.rand(n, 1, generator=g)
    temp = level * (1 - torch.exp(-(t + 1) / ramp))
    opened = torch.rand(n, generator=g) < 0.5
    when = torch.randint(10, 44, (n, 1), generator=g)
    dip = 25 * torch.exp(-(t - when).clamp(min=0) / 3) * (t >= when)
    temp = temp - dip * opened[:, None]
    temp = temp + 1.5 * torch.randn(n, T, generator=g)
    late = temp[:, 32:].mean(1)
    crisp = (0.12 * (late - 170) - 0.15 * (ramp.squeeze(1) - 9) - 0.5 * opened.float()
             + 0.3 * torch.randn(n, generator=g))
    return ((temp - 170) / 15).unsqueeze(1), crisp.unsqueeze(1)


class OvenCNN(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                                      nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                                      nn.ReLU())
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        f = self.features(x)
        return self.head(torch.cat([f.mean(2), f.amax(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae", (pred - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return OvenCNN()


def main():
    from _twohundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bakes(1280, g)
    mu, sd = y[:1024].mean(), y[:1024].std()
    y = (y - mu) / sd
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="oven"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="oven/version_0/checkpoints/last.ckpt",
           log="oven/version_0/metrics.csv",
           what="Lightning 1-D CNN scoring baklava crispness from the oven temperature trace"
                " (healthy)")


if __name__ == "__main__":
    main()
