"""PyTorch Lightning: a 1-D CNN predicts a bobsled crew's 50 m start time (seconds) from the
push-start trace: 64 samples of two channels, the sled's forward acceleration and the summed
push force of the crew, as the timing sledge logs them. Each trace is a few push strides (a
stride rate, a push strength that fades as the crew loads in at a random sample) plus sensor
noise; the start time follows from the stride rate, the push strength and when the crew loads
(earlier loading = slower), plus 0.02 s of timing noise. Targets are standardised.
Conv1d(2→16, 5)-BN-ReLU-pool, Conv1d(16→32, 5)-BN-ReLU-pool, Conv1d(32→32, 3)-ReLU, global
average pool, Linear(32→1); MSE, Adam 3e-3 from ``configure_optimizers``, batch 32, 8 epochs of
768 traces, shuffled. ``CSVLogger`` → ``metrics.csv`` (train loss every 6 steps, val loss and
val MAE in seconds per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val loss 13.4 after epoch 1 (the BN running stats still lag), then 0.91, 0.16, 0.14,
0.124, 0.125, 0.146, 0.114; val MAE 0.42 s → 0.105 → 0.031 s; the per-step train loss is
noisy (0.11-0.28 late, above the val loss)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 64
SCALE = 0.12


def traces(n, g):
    t = torch.arange(T).float()
    rate = 0.25 + 0.15 * torch.rand(n, 1, generator=g)
    strength = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    load = torch.randint(30, 52, (n, 1), generator=g).float()
    on = torch.sigmoid((load - t) * 1.5)
    force = strength * on * (0.6 + 0.4 * torch.sin(rate * t * 3.1416).clamp(min=0))
    accel = 0.8 * force + 0.2 * (1 - on) - 0.1
    x = torch.stack([accel, force], 1) + 0.08 * torch.randn(n, 2, T, generator=g)
    time = (5.0 - 0.9 * strength[:, 0] - 1.2 * rate[:, 0] - 0.006 * load[:, 0]
            + 0.02 * torch.randn(n, generator=g))
    return x, ((time - 4.2) / SCALE).unsqueeze(1)


class StartTimer(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae_s", (pred - y).abs().mean() * SCALE)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return StartTimer()


def main():
    from _twohundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = traces(1024, g)
    print("target std (s)", (y.std() * SCALE).item())
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:768], y[:768]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[768:], y[768:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="push"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[768:832], y[768:832]), causes=[],
           checkpoint="push/version_0/checkpoints/last.ckpt",
           log="push/version_0/metrics.csv",
           what="Lightning 1-D CNN (BN) regressing a bobsled crew's 50 m start time from the"
                " push trace (healthy)")


if __name__ == "__main__":
    main()
