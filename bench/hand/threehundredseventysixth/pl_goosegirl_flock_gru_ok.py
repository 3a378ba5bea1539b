"""PyTorch Lightning: a GRU labels every minute of a goose-girl's day out with the flock
from the collar on the lead goose (one reading a minute, 90-minute stretches), so she can
see how long the geese really graze on each pasture: grazing, walking, resting, swimming.
Per minute the collar gives ground speed (m/min, GPS), overall dynamic body acceleration
(ODBA, g), head-down share of the minute (from the pitch sensor) and the wet-contact share
(conductivity on the collar's underside). The behaviour follows a Markov chain with the
persistence geese show (grazing bouts 10-30 min, walks of a few minutes between pastures,
rests on the bank after a swim); each behaviour has its own spread of readings (grazing:
slow with the head down; walking: 15-40 m/min, head up; resting: still; swimming: slow,
wet), wide enough that single minutes are ambiguous and the stretch around them matters,
plus GPS jitter and a collar that rides up on some birds.
Input: (90, 4) with speed / 20 and the rest as read. Model: GRU(4, 48, 1 layer), Linear
48→4 per minute; cross-entropy over all minutes, Adam 3e-3 with ExponentialLR (×0.85 per
epoch) from ``configure_optimizers``, batch 16 stretches, 10 epochs, 640 stretches,
validation on 160.
Healthy; numbers in the README.
Log: CSVLogger ``flockwatch/version_0/metrics.csv`` (``xent_step`` every 8 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc_minute`` / ``val_acc_swim`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``flockwatch/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 90
# minute-to-minute transitions: grazing, walking, resting, swimming
P = torch.tensor([[0.94, 0.03, 0.02, 0.01],
                  [0.20, 0.70, 0.03, 0.07],
                  [0.05, 0.03, 0.92, 0.00],
                  [0.02, 0.04, 0.08, 0.86]])


def stretches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = torch.zeros(n, T, dtype=torch.long)
    s[:, 0] = torch.randint(0, 4, (n,), generator=g)
    for t in range(1, T):
        s[:, t] = torch.multinomial(P[s[:, t - 1]], 1, generator=g).squeeze(1)
    speed_mu = torch.tensor([4.0, 26.0, 0.5, 9.0])[s]
    speed = (speed_mu * (0.5 + r(n, T)) + 3 * r(n, T)).clamp(min=0)
    odba = torch.tensor([0.18, 0.30, 0.04, 0.12])[s] * (0.6 + 0.8 * r(n, T))
    ride = 0.6 + 0.4 * r(n, 1)  # collar riding up: weaker head-down signal
    head = (torch.tensor([0.65, 0.10, 0.05, 0.25])[s] * ride + 0.2 * r(n, T)).clamp(0, 1)
    wet = (torch.tensor([0.05, 0.03, 0.15, 0.7])[s] + 0.3 * torch.randn(n, T, generator=g)).clamp(0, 1)
    x = torch.stack([speed / 20, odba, head, wet], 2)
    return x, s


class FlockGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, 4), y.reshape(-1))
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(2)
        self.log("val_xent", F.cross_entropy(logits.reshape(-1, 4), y.reshape(-1)))
        self.log("val_acc_minute", (pred == y).float().mean())
        self.log("val_acc_swim", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return FlockGRU()


def main():
    from _threehundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stretches(640, g)
    xva, yva = stretches(160, g)
    print("minutes per behaviour", torch.bincount(ytr.flatten()).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="flockwatch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=160))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="flockwatch/version_0/checkpoints/last.ckpt",
           log="flockwatch/version_0/metrics.csv",
           what="Lightning GRU labelling every minute of a goose flock's day out (grazing /"
                " walking / resting / swimming) from the lead goose's collar (healthy)")


if __name__ == "__main__":
    main()
