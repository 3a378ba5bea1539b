"""PyTorch Lightning: a GRU reads a pumpmaker's 12 s run-in test of a new end-suction pump on
the test bench (5 Hz: discharge pressure, motor current, vibration velocity on the bearing
housing) and flags what the inspector must look at, any of three at once (multi-label):
cavitation (the bench's suction valve throttled below the pump's NPSH: pressure dips and
jitters, vibration gets broadband bursts, current sags a little), misalignment of the
coupling (vibration raised steadily and the current rippling at the running speed's beat),
a leaking mechanical seal (discharge pressure bleeding away over the run, 35-60 % by the
end, current falling with it). Healthy pumps settle to a pressure of 2-6 bar and a current
of 8-30 A after the start-up transient, with bench noise; each fault comes on with its own
probability (0.3, 0.25, 0.25), so many pumps are clean and a few have two faults.
Input: (60, 3), pressure / 4 bar, current / 20 A, vibration / 3 mm/s. Model: GRU 3→32 (1
layer), the mean of its outputs and its last state → Linear 64→3 logits; BCE with logits,
Adam 5e-3 with OneCycleLR (per step, 420 steps) from ``configure_optimizers``, batch 32, 14
epochs, 960 runs, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``runin/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact_match`` / ``val_f1_cavitation`` / ``val_f1_seal`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``runin/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 60
FAULTS = ["cavitation", "misalignment", "seal_leak"]


def runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < torch.tensor([0.3, 0.25, 0.25])).float()
    cav, mis, seal = (y[:, k:k + 1] for k in range(3))
    t = torch.arange(T).float() / 5
    settle = 1 - torch.exp(-t / (0.4 + 0.4 * r(n, 1)))
    p0, i0 = 2 + 4 * r(n, 1), 8 + 22 * r(n, 1)
    p = p0 * settle + 0.05 * p0 * torch.randn(n, T, generator=g)
    cur = i0 * (0.6 + 0.4 * settle) + 0.02 * i0 * torch.randn(n, T, generator=g)
    vib = 1.5 + 0.8 * r(n, 1) + 0.3 * torch.randn(n, T, generator=g)
    onset = 3 + 5 * r(n, 1)
    on = (t > onset).float()
    burst = (r(n, T) < 0.25).float() * 3 * r(n, T)
    p = p - cav * on * p0 * (0.12 + 0.1 * r(n, T))
    vib = vib + cav * on * burst
    cur = cur - cav * on * 0.04 * i0
    beat = torch.sin(2 * math.pi * (0.8 + 0.6 * r(n, 1)) * t + 6.3 * r(n, 1))
    vib = vib + mis * (2.0 + 1.5 * r(n, 1)) * (1 + 0.3 * beat)
    cur = cur + mis * 0.05 * i0 * beat
    bleed = torch.clamp(t - 2, min=0) / 10 * (0.35 + 0.25 * r(n, 1))
    p = p * (1 - seal * bleed)
    cur = cur * (1 - seal * 0.5 * bleed)
    x = torch.stack([p / 4, cur / 20, vib / 3], 2)
    return x, y


class RunInGRU(L.LightningModule):
    def __init__(self, total_steps=420):
        super().__init__()
        self.total_steps = total_steps
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        seq, h = self.gru(x)
        return self.out(torch.cat([seq.mean(1), h[-1]], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact_match", (pred == y).all(1).float().mean())
        for k, name in ((0, "cavitation"), (2, "seal")):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3,
                                                    total_steps=self.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return RunInGRU()


def main():
    from _fourhundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(960, g)
    xva, yva = runs(240, g)
    print("fault shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="runin"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="runin/version_0/checkpoints/last.ckpt",
           log="runin/version_0/metrics.csv",
           what="Lightning GRU flagging cavitation / misalignment / seal leak (multi-label) from"
                " a pump's run-in test on the bench (healthy)")


if __name__ == "__main__":
    main()
