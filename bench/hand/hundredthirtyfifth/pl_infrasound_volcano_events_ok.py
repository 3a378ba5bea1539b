"""PyTorch Lightning: an infrasound station 6 km from a stratovolcano (volcanology). The
observatory wants each 12.8-s window (256 samples at 20 Hz, one microphone, band-passed and
scaled to unit RMS) flagged as 0 explosion (impulsive N-wave: compression then rarefaction),
1 lahar (emergent, long-lasting 3–8 Hz roar with a growing envelope), 2 microbarom (narrow-band
~0.2 Hz ocean-wave background) or 3 wind noise (red, gusty). A 1-D CNN wrapped in a
LightningModule (3 conv blocks, global max + average pool, dropout 0.25, linear head), Adam 1e-3,
batch 32, 8 epochs; CSVLogger → ``infrasound/version_0/metrics.csv``,
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, still improving at the end, with a val accuracy that wobbles between epochs: val acc
0.60, 0.72, 0.73, 0.89, 0.87, 0.96, 0.89, 0.925; val loss 0.915 → 0.211 (falling but for one
epoch); epoch train loss 1.20 → 0.25, a little above the val loss (dropout)."""
import sys

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T, FS = 256, 20.0
EVENTS = ["explosion", "lahar", "microbarom", "wind"]


def red(n, g, alpha=0.95):
    w = torch.randn(n, T, generator=g)
    out = torch.zeros(n, T)
    for k in range(1, T):
        out[:, k] = alpha * out[:, k - 1] + w[:, k]
    return out / out.std(1, keepdim=True)


def windows(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T) / FS
    x = 0.5 * red(n, g) + 0.3 * torch.randn(n, T, generator=g)
    for i in range(n):
        c = int(y[i])
        t0 = 1.5 + 8 * float(torch.rand(1, generator=g))
        if c == 0:       # N-wave, ~1 s, then a short coda
            d = 0.5 + 0.5 * float(torch.rand(1, generator=g))
            s = (t - t0) / d
            nw = torch.where((s > 0) & (s < 2), torch.sin(3.1416 * s), torch.zeros(T))
            x[i] += (2.5 + 2 * float(torch.rand(1, generator=g))) * nw
        elif c == 1:     # emergent high-frequency roar
            env = torch.clamp((t - t0 + 4) / 8, 0, 1)
            f = 3 + 5 * torch.rand(1, generator=g)
            x[i] += 1.2 * env * torch.sin(6.283 * f * t + torch.randn(T, generator=g).cumsum(0) * 0.3)
        elif c == 2:     # microbarom
            f = 0.16 + 0.08 * float(torch.rand(1, generator=g))
            x[i] += 1.3 * torch.sin(6.283 * f * t + 6.283 * float(torch.rand(1, generator=g)))
        else:            # wind: stronger red noise, gusts
            x[i] += 1.2 * red(1, g, alpha=0.98)[0]
    x = x / x.pow(2).mean(1, keepdim=True).sqrt()
    return x.unsqueeze(1), y


class InfraNet(L.LightningModule):
    def __init__(self, lr=1e-3, dropout=0.25):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        h = self.features(x)
        return self.head(self.drop(torch.cat([h.amax(-1), h.mean(-1)], 1)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
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
    return InfraNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="infrasound"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="infrasound/version_0/checkpoints/last.ckpt",
           log="infrasound/version_0/metrics.csv",
           what="Lightning 1-D CNN, volcano infrasound event type (explosion / lahar / microbarom / "
                "wind), healthy")


if __name__ == "__main__":
    main()
