"""PyTorch Lightning: a GRU reads 48 hours of a sow's or gilt's electronic-feeder and ear-tag
record and names her state, so the swineherdess knows whom to look at on her morning round:
well, fever starting, lame, in heat. Per hour: feed taken (kg), feeder visits, water (L),
activity (ear-tag accelerometer counts) and ear-skin temperature (°C). All follow a day
rhythm (two meal peaks, quiet nights) with pig-to-pig differences in appetite and activity.
Fever: from an onset hour in the record, skin temperature climbs 1-2 °C over ~8 h, feed falls
by half, water rises, activity drops. Lameness: activity a third lower all through, fewer but
longer feeder visits, feed slightly down. Heat (oestrus): from an onset hour, restless
(activity up 60-100 %, night activity too), feed down a fifth, visits up.
Input: (48, 5) standardised with the training mean / std. Model: GRU 5→32 (1 layer), last
hidden state, Linear 32→4; cross-entropy, Adam 3e-3 with CosineAnnealingLR (T_max 12) from
``configure_optimizers``, batch 48, 12 epochs, 1440 pig-records, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``pens/version_0/metrics.csv`` (``loss_step`` every 5 steps, ``loss_epoch``,
``val_loss`` / ``val_acc`` / ``val_recall_fever`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``pens/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(H).float().unsqueeze(0)
    h0 = 24 * r(n, 1)
    hod = (t + h0) % 24
    meals = torch.exp(-((hod - 7) / 1.5) ** 2) + torch.exp(-((hod - 16) / 1.5) ** 2)
    awake = ((hod > 6) & (hod < 20)).float()
    appetite = 0.8 + 0.4 * r(n, 1)
    act0 = 0.7 + 0.6 * r(n, 1)
    feed = appetite * (0.05 + 0.45 * meals)
    visits = appetite * (0.3 + 2.0 * meals)
    water = 0.6 * feed * 3 + 0.2
    act = act0 * (0.2 + 0.8 * awake + 0.5 * meals)
    temp = 37.6 + 0.3 * r(n, 1) + 0.2 * torch.sin(2 * math.pi * (hod - 14) / 24)
    onset = 4 + 30 * r(n, 1)
    ramp = torch.sigmoid((t - onset - 4) / 2)
    fever, lame, heat = [(cls == k).float().unsqueeze(1) for k in (1, 2, 3)]
    temp = temp + fever * (1 + r(n, 1)) * ramp
    feed = feed * (1 - 0.5 * fever * ramp) * (1 - 0.15 * lame) * (1 - 0.2 * heat * ramp)
    water = water * (1 + 0.5 * fever * ramp)
    act = act * (1 - 0.4 * fever * ramp) * (1 - 0.33 * lame)
    act = act + heat * ramp * act0 * (0.6 + 0.4 * r(n, 1)) * (0.6 + 0.4 * awake)
    visits = visits * (1 - 0.4 * lame) * (1 + 0.3 * heat * ramp)
    x = torch.stack([feed, visits, water, act, temp], 2)
    noise = torch.tensor([0.04, 0.3, 0.1, 0.12, 0.15])
    return x + noise * torch.randn(n, H, 5, generator=g), cls


class PenGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.gru(x)[1][-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_fever", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)}


def build():
    torch.manual_seed(0)
    return PenGRU()


def main():
    from _threehundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(1440, g)
    xva, yva = records(360, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="pens"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pens/version_0/checkpoints/last.ckpt",
           log="pens/version_0/metrics.csv",
           what="Lightning GRU naming a pig's state (well / fever / lame / in heat) from 48 h"
                " of feeder and ear-tag records (healthy)")


if __name__ == "__main__":
    main()
