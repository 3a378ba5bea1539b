"""PyTorch Lightning: a 1-D CNN with batch norm reads 1.28 s of a boiler burner's UV flame
scanner (100 Hz, 128 samples, two channels: the UV tube's pulse rate and the infrared
flicker cell) and names the flame the boilerman would see through the peep sight: steady,
lean (air-rich, the flicker weak and the signal dropping out in gaps), rich (fuel-rich,
slow smoky swirl, the IR level high) or pulsating (combustion rumble, a strong 4-9 Hz
swing). A steady flame flickers broadband at 10-30 Hz around a stable level; the firing
rate (30-100 %) sets the level of both channels and the scanner's sight-tube fouling
scales them down by up to a third.
Input: (2, 128), channels in scanner units. Model: Conv1d 2→16 (k7) + BN + ReLU +
MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global
average pool, Linear 32→4; cross-entropy, Adam 2e-3 with OneCycleLR (per step, from
``configure_optimizers``), batch 48, 8 epochs, 1440 windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``flamebook/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_lean`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``flamebook/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 100.0
N = 128


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(N).float() / FS
    fire = (0.3 + 0.7 * r(n, 1))
    foul = 1.0 - 0.33 * r(n, 1)
    # broadband flicker: a sum of a few 10-30 Hz tones with random phases
    f = 10 + 20 * r(n, 4)
    ph = 2 * math.pi * r(n, 4)
    flick = torch.sin(2 * math.pi * f.unsqueeze(2) * t + ph.unsqueeze(2)).sum(1) / 2
    uv = fire * (1.0 + 0.25 * flick)
    ir = fire * (0.6 + 0.15 * flick)
    lean, rich, puls = [(cls == k).float().unsqueeze(1) for k in (1, 2, 3)]
    # lean: weak flicker, gaps where the UV count drops out
    gate = (torch.sin(2 * math.pi * (1.5 + 2 * r(n, 1)) * t + 6.28 * r(n, 1)) > 0.3).float()
    uv = uv * (1 - lean) + lean * fire * (0.7 + 0.1 * flick) * (1 - 0.7 * gate)
    # rich: slow 1-3 Hz swirl, IR high, UV a little low
    swirl = torch.sin(2 * math.pi * (1 + 2 * r(n, 1)) * t + 6.28 * r(n, 1))
    uv = uv - rich * fire * (0.2 - 0.1 * swirl)
    ir = ir + rich * fire * (0.35 + 0.15 * swirl)
    # pulsating: strong 4-9 Hz swing on both
    pf = 4 + 5 * r(n, 1)
    swing = torch.sin(2 * math.pi * pf * t + 6.28 * r(n, 1))
    uv = uv + puls * fire * 0.45 * swing
    ir = ir + puls * fire * 0.25 * swing
    x = foul.unsqueeze(2) * torch.stack([uv, ir], 1)
    return x + 0.04 * rn(n, 2, N), cls


class FlameCNN(L.LightningModule):
    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.net = nn.Sequential(
            nn.Conv1d(2, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

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
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_lean", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=self.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return FlameCNN(steps=8 * 30)


def main():
    from _fourhundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1440, g)
    xva, yva = windows(360, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="flamebook"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="flamebook/version_0/checkpoints/last.ckpt",
           log="flamebook/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming a boiler burner's flame (steady /"
                " lean / rich / pulsating) from its flame scanner (healthy)")


if __name__ == "__main__":
    main()
