"""PyTorch Lightning: a 1-D CNN (no normalisation layers) regresses how far south the aurora
oval's equatorward edge reaches over Scandinavia in the next half hour (magnetic latitude,
degrees), from the last 2 hours of 1-minute solar-wind data at L1 (120 steps, 4 channels: Bz,
By, flow speed, proton density). The edge moves south with the recent dayside coupling (speed
times southward Bz, weighted towards the last hour, with a ~40-minute response), a little with
|By| and the dynamic pressure; the recent coupling history matters, the old part hardly does.
Conv1d(4,16,7)-ReLU-Conv1d(16,32,5,stride 2)-ReLU-Conv1d(32,32,5,stride 2)-ReLU-avg pool to 6
positions-Linear(192,1), MSE on the standardised latitude, Adam 2e-3 with a StepLR (x0.3 after
epoch 6) from ``configure_optimizers``, batch 64, 9 epochs of 1536 windows, shuffled.
``CSVLogger`` → ``oval/version_0/metrics.csv`` (train_loss every 6 steps, val_loss and val_mae_deg
per epoch), ``ModelCheckpoint(save_last=True)``.
The edge lies at 60.5 ± 7.3 degrees; the target is (edge - 60) / 7.
Healthy: val loss 0.092 after epoch 1, 0.067, 0.034, 0.018, 0.0088, 0.0068, then 0.0055, 0.0052,
0.0051 after the learning-rate drop; val MAE 1.75 → 1.07 → 0.51 → 0.40 degrees (the edge's own
noise is 0.3 degrees); the train loss (every 6 steps) 1.16 at step 5 (a noisy start), 0.06 at
step 23, 0.016 at 95, 0.005 from step 185 on, level with the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 120


def solar_wind(n, g):
    t = torch.arange(T).float()
    turn = torch.randint(0, T, (n, 1), generator=g).float()
    bz = (3 * torch.randn(n, 1, generator=g) - 6 * torch.rand(n, 1, generator=g)
          * (t >= turn).float() + 1.0 * torch.randn(n, T, generator=g))
    by = 4 * torch.randn(n, 1, generator=g) + 1.0 * torch.randn(n, T, generator=g)
    v = 350 + 300 * torch.rand(n, 1, generator=g) + 15 * torch.randn(n, T, generator=g)
    dens = 2 + 10 * torch.rand(n, 1, generator=g) + 0.5 * torch.randn(n, T, generator=g)
    coupling = v / 400 * (-bz).clamp(min=0)
    w = torch.exp((t - T) / 40)
    drive = (coupling * w).sum(1) / w.sum()
    pdyn = dens.mean(1) * (v.mean(1) / 400) ** 2
    edge = (70 - 2.2 * drive - 0.15 * by.mean(1).abs() - 0.1 * pdyn
            + 0.3 * torch.randn(n, generator=g))
    x = torch.stack([bz / 5, by / 5, (v - 500) / 100, (dens - 7) / 4], 1)
    return x, edge


class OvalCNN(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv1d(4, 16, 7, padding=3), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ReLU(),
            nn.AdaptiveAvgPool1d(6), nn.Flatten(), nn.Linear(192, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae_deg", (pred - y).abs().mean() * 7)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)]


def build():
    torch.manual_seed(0)
    return OvalCNN()


def main():
    from _twohundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, edge = solar_wind(1792, g)
    print("edge mean/std (deg)", edge.mean().item(), edge.std().item())
    y = (edge - 60) / 7
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1536], y[:1536]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1536:], y[1536:]), batch_size=256)
    trainer = L.Trainer(max_epochs=9, logger=CSVLogger(str(out), name="oval"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1536:1600], y[1536:1600]), causes=[],
           checkpoint="oval/version_0/checkpoints/last.ckpt",
           log="oval/version_0/metrics.csv",
           what="Lightning 1-D CNN regressing the aurora oval's equatorward edge from 2 h of"
                " solar-wind data (healthy)")


if __name__ == "__main__":
    main()
