"""PyTorch Lightning: a 1-D conv classifier of synthetic seismic waveforms — earthquake, noise
or quarry blast. 10-second traces at 40 Hz (400 samples): an earthquake is a P arrival then a
stronger, lower-frequency S arrival 1–3 s later with a slow coda; a quarry blast one sharp
impulsive arrival with a short ringing coda and a weak surface wave; noise is coloured noise
with occasional spikes. Every trace gets background noise at a random level and is scaled to
unit peak. 3 conv blocks (16·32·32 channels, kernel 7, BatchNorm, ReLU, max-pool) → global
average → dropout 0.3 → linear; Adam 2e-3, batch 32, 12 epochs, 6 % wrong labels (analyst
disagreement). ``CSVLogger`` → ``metrics.csv`` (``train_loss`` per step and epoch, ``val_loss``,
``val_acc``), ``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy levels near the label-noise ceiling, val loss above the train loss."""
import math

import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

N, RATE = 400, 40.0


def traces(n, g):
    t = torch.arange(N) / RATE
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.zeros(n, N)
    for i in range(n):
        u = torch.rand(6, generator=g)
        t0 = 1.0 + 5.0 * float(u[0])
        if y[i] == 0:
            ts = t0 + 1.0 + 2.0 * float(u[1])
            on_p, on_s = (t >= t0).float(), (t >= ts).float()
            x[i] = (on_p * torch.exp(-(t - t0).clamp(min=0) / 2.0) * torch.sin(2 * math.pi * 8 * t)
                    + 2.0 * on_s * torch.exp(-(t - ts).clamp(min=0) / 3.0)
                    * torch.sin(2 * math.pi * 3 * t + float(u[2]) * 6))
        elif y[i] == 2:
            on = (t >= t0).float()
            x[i] = (2.0 * on * torch.exp(-(t - t0).clamp(min=0) / 0.4)
                    * torch.sin(2 * math.pi * 6 * t)
                    + 0.4 * on * torch.exp(-(t - t0).clamp(min=0) / 3.0)
                    * torch.sin(2 * math.pi * 1.0 * t))
        else:
            spikes = (torch.rand(N, generator=g) < 0.01).float() * torch.randn(N, generator=g) * 2
            x[i] = torch.cumsum(torch.randn(N, generator=g), 0) * 0.05 + spikes
        x[i] += (0.2 + 0.8 * float(u[3])) * torch.randn(N, generator=g)
        x[i] /= x[i].abs().max()
    wrong = torch.rand(n, generator=g) < 0.06
    return x[:, None], torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)


class SeismicNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        blocks, c_in = [], 1
        for c in (16, 32, 32):
            blocks += [nn.Conv1d(c_in, c, 7, padding=3), nn.BatchNorm1d(c), nn.ReLU(),
                       nn.MaxPool1d(2)]
            c_in = c
        self.features = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(32, 3))

    def forward(self, x):
        return self.head(self.features(x).mean(-1))

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", nn.functional.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return SeismicNet()


def main():
    from _fiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = traces(900, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:750], y[:750]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[750:], y[750:]), batch_size=150)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="seismic"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    finish(out, __file__, (x[750:814], y[750:814]), causes=[],
           checkpoint="seismic/version_0/checkpoints/last.ckpt",
           log="seismic/version_0/metrics.csv",
           what="Lightning 1-D conv seismic event classifier, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
