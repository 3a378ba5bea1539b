"""PyTorch Lightning: a 1-D CNN tells a sled husky's gait (walk, trot, lope, gallop) from 2 s of
a harness-mounted accelerometer (vertical and fore-aft axes, 40 Hz → 80 samples). Each gait has
its own stride rate (±12 % per dog) and its own phase between the two axes and a gallop a strong
second harmonic; random amplitude, offsets, sled-runner vibration noise. Conv(2→16, k7)-ReLU-
pool, Conv(16→32, k5)-ReLU, global average pool, dropout 0.1, Linear(32→4); Adam 3e-3 from
``configure_optimizers``, batch 32, 8 epochs of 1024 windows.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss/accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.871 after epoch 1, then 0.984, 0.992, 0.996, 0.996, 0.992, 0.992,
0.992; val loss 0.87 → 0.22 → 0.030–0.051 from epoch 4 (a small wobble, not a rise); the
per-step train loss ends at 0.004–0.022, below the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

N = 80


def windows(n, g):
    t = torch.arange(N).float() / 40
    y = torch.randint(0, 4, (n,), generator=g)
    f = torch.tensor([1.0, 1.6, 2.1, 2.6])[y] * (1 + 0.24 * (torch.rand(n, generator=g) - 0.5))
    shift = torch.tensor([0.0, 3.14, 1.57, 0.6])[y]
    harm = torch.tensor([0.1, 0.2, 0.3, 0.9])[y]
    ph = torch.rand(n, 1, generator=g) * 6.283
    w = 6.283 * f[:, None] * t[None] + ph
    x = torch.stack([torch.sin(w) + harm[:, None] * torch.sin(2 * w),
                     torch.sin(w + shift[:, None])], 1)
    x = x * (0.6 + 0.8 * torch.rand(n, 2, 1, generator=g)) + 0.3 * torch.randn(n, 2, 1, generator=g)
    return x + 0.25 * torch.randn(x.shape, generator=g), y


class GaitNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.1),
                                 nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return GaitNet()


def main():
    from _twohundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(4)
    x, y = windows(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="gait"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="gait/version_0/checkpoints/last.ckpt",
           log="gait/version_0/metrics.csv",
           what="Lightning 1-D CNN husky gait from harness accelerometer (healthy)")


if __name__ == "__main__":
    main()
