"""PyTorch Lightning: a beach lifeguard service puts a small current-meter buoy just outside the
break and wants a flag on the tower app when a rip current runs. A window is 128 samples
(2 Hz) of 3 channels (cross-shore velocity, alongshore velocity, surface elevation, each
standardised by the buoy's running statistics); classes 0 calm, 1 longshore current,
2 rip current (offshore-directed mean flow that pulses with the infragravity wave groups,
fed by alongshore flow converging). A 1-D CNN wrapped in a LightningModule (2 conv blocks,
global average pool, dropout 0.3, linear head), Adam 2e-3, batch 32, 8 epochs; CSVLogger →
``rip/version_0/metrics.csv``, ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy; dropout makes the epoch train loss sit above the validation loss all run long: val acc
0.98, 0.975, then 1.00; val loss 0.668 → 0.0044; epoch train loss 0.935 → 0.014."""
import sys

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 128


def windows(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(T) / 2.0
    x = torch.zeros(n, 3, T)
    period = 8 + 6 * torch.rand(n, generator=g)            # incident waves (s)
    group = 40 + 40 * torch.rand(n, generator=g)           # infragravity groups (s)
    phase = 6.28 * torch.rand(n, 2, generator=g)
    h = 0.6 + 0.6 * torch.rand(n, generator=g)
    for i in range(n):
        env = 1 + 0.5 * torch.sin(6.28 * t / group[i] + phase[i, 1])
        eta = h[i] * env * torch.sin(6.28 * t / period[i] + phase[i, 0])
        u = 0.8 * eta                                       # orbital velocity, cross-shore
        v = torch.zeros(T)
        c = int(y[i])
        if c == 1:
            v = v + (0.4 + 0.4 * torch.rand(1, generator=g)) * torch.sign(torch.randn(1, generator=g))
        elif c == 2:
            s = 0.3 + 0.3 * torch.rand(1, generator=g)
            u = u - s * env                                 # offshore, pulsing with the groups
            v = v + 0.15 * torch.sign(torch.randn(1, generator=g)) * env
        x[i, 0], x[i, 1], x[i, 2] = u, v, eta
    x = x + 0.35 * torch.randn(n, 3, T, generator=g)
    return x, y


class RipNet(L.LightningModule):
    def __init__(self, lr=2e-3, dropout=0.3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv1d(3, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(48, 3)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean(-1)))

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
    return RipNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1200, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:960], y[:960]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[960:], y[960:]), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="rip"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[960:1024], y[960:1024]), causes=[],
           checkpoint="rip/version_0/checkpoints/last.ckpt",
           log="rip/version_0/metrics.csv",
           what="Lightning 1-D CNN, rip-current flag from a lifeguard current-meter buoy (healthy)")


if __name__ == "__main__":
    main()
