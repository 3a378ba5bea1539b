"""PyTorch Lightning: a GRU names what is emptying a gamekeeper's pheasant feeder from two
days of its hopper load cell (48 hourly readings of grams taken, from midnight), so the keeper
knows whether to set rat traps, raise the feeder above deer or leave it: pheasants, rats,
deer, grey squirrels. Feeding habits: pheasants feed at first light (06-09) and before roosting
(15-18), 15-40 g an hour; rats at night (21-05), small steady takes of 5-15 g an hour; deer
at night too but in one or two visits of 150-400 g; squirrels by day (09-15) in bursts of
30-80 g on half the hours. On top: a rained-in day that halves the daytime takes for pheasants
and squirrels, a wren or two (0-4 g any hour) and load cell noise (3 g, drift).
Input: (48, 3) = grams / 100 and the hour as sin / cos. Model: GRU 3→32 (1 layer), last
hidden state → Linear 32→4; cross-entropy, Adam 3e-3 with ExponentialLR (×0.85 per epoch)
from ``configure_optimizers``, batch 48, 12 epochs, 960 feeders-days, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``feeder_watch/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_accuracy`` / ``val_recall_rats`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``feeder_watch/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48
VISITORS = ["pheasant", "rat", "deer", "squirrel"]


def feeder_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    hour = torch.arange(H) % 24
    dawn_dusk = (((hour >= 6) & (hour < 9)) | ((hour >= 15) & (hour < 18))).float()
    night = ((hour >= 21) | (hour < 5)).float()
    day = ((hour >= 9) & (hour < 15)).float()
    rain = torch.where(r(n, 1) < 0.3, 0.5, 1.0) * torch.ones(n, H)
    grams = torch.zeros(n, H)
    ph = dawn_dusk * (15 + 25 * r(n, H)) * rain
    rat = night * (5 + 10 * r(n, H))
    deer = torch.zeros(n, H)
    visits = (night * r(n, H)).topk(2, dim=1).indices
    big = 150 + 250 * r(n, 2)
    big[:, 1] *= (r(n) < 0.5).float()
    deer.scatter_(1, visits, big)
    sq = day * (30 + 50 * r(n, H)) * (r(n, H) < 0.5).float() * rain
    for k, src in enumerate([ph, rat, deer, sq]):
        grams += (cls == k).float().unsqueeze(1) * src
    grams += 4 * r(n, H) * (r(n, H) < 0.2).float()  # wrens
    grams += 3 * torch.randn(n, H, generator=g) + 2 * torch.randn(n, 1, generator=g)
    w = 2 * math.pi * hour.float() / 24
    x = torch.stack([grams / 100, torch.sin(w).expand(n, H), torch.cos(w).expand(n, H)], 2)
    return x, cls


class FeederGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_accuracy", (pred == y).float().mean())
        self.log("val_recall_rats", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return FeederGRU()


def main():
    from _threehundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = feeder_days(960, g)
    xva, yva = feeder_days(240, g)
    print("visitors", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="feeder_watch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="feeder_watch/version_0/checkpoints/last.ckpt",
           log="feeder_watch/version_0/metrics.csv",
           what="Lightning GRU naming pheasants / rats / deer / squirrels from two days of a"
                " pheasant feeder's hourly load cell readings (healthy)")


if __name__ == "__main__":
    main()
