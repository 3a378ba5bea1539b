"""PyTorch Lightning: a residual MLP predicts which faults a globemaker's finishing room will
find on a globe after it is gored, glued and varnished, from the batch card filled in at the
pasting bench, so the foreman can hold a batch back before varnish: gaps between gores,
wrinkled gores, varnish bloom (a milky cast), and gores out of register at the poles
(multi-label, any number of the four). 8 inputs: paper weight (g/m²), paste water share (%),
room humidity (%), room temperature (°C), minutes the gores soaked, pasting minutes per
globe, varnish coats, drying hours between coats. The faults follow the workshop's rules
of thumb with noise: wet paper stretches (long soak and a watery paste give gaps when it
dries back, too short a soak gives wrinkles, heavy paper more so), humid rooms and short
drying give bloom, hurried pasting on a wet gore shifts the poles. Input: (8,) standardised
with the train mean / std. Model: Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→64,
SiLU, Linear 64→64, plus the input), LayerNorm, Linear 64→4; ``BCEWithLogitsLoss``, Adam
2e-3 with CosineAnnealingLR (over 12 epochs) from ``configure_optimizers``, batch 40, 12
epochs, 2400 batch cards, validation on 600.
Healthy; numbers in the README.
Log: CSVLogger ``finishing/version_0/metrics.csv`` (``bce_step`` every 10 steps,
``bce_epoch`` / ``val_bce`` / ``val_exact`` / ``val_f1_bloom`` per epoch, ``lr-Adam`` from
a ``LearningRateMonitor``); checkpoint ``ModelCheckpoint(save_last=True)`` →
``finishing/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["gaps", "wrinkles", "bloom", "pole_shift"]


def cards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    paper = 70 + 60 * r(n)
    water = 55 + 25 * r(n)
    humid = 35 + 50 * r(n)
    temp = 14 + 12 * r(n)
    soak = 0.5 + 6 * r(n)
    paste_min = 8 + 30 * r(n)
    coats = torch.randint(1, 5, (n,), generator=g).float()
    dry_h = 2 + 22 * r(n)
    stretch = 0.25 * soak + 0.06 * (water - 55) - 0.01 * (paper - 70)
    gaps = stretch + z(0.2) > 1.4
    wrinkles = 0.35 * soak + z(0.2) < 0.3 + 0.008 * (paper - 70)
    bloom = 0.05 * (humid - 35) - 0.12 * dry_h + 0.3 * coats - 0.05 * (temp - 14) + z(0.3) > 0.9
    pole = stretch - 0.05 * (paste_min - 8) + z(0.25) > 0.9
    x = torch.stack([paper, water, humid, temp, soak, paste_min, coats, dry_h], 1)
    return x, torch.stack([gaps, wrinkles, bloom, pole], 1).float()


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class GoreFaults(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 4))
        self.crit = nn.BCEWithLogitsLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = self.crit(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 2] * y[:, 2]).sum()
        f1 = 2 * tp / (pred[:, 2].sum() + y[:, 2].sum()).clamp(min=1)
        self.log("val_bce", self.crit(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_bloom", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return GoreFaults()


def main():
    from _fourhundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = cards(2400, g)
    rva, yva = cards(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="finishing"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor(logging_interval="epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="finishing/version_0/checkpoints/last.ckpt",
           log="finishing/version_0/metrics.csv",
           what="Lightning residual MLP predicting a globe's finishing faults (multi-label) from"
                " the pasting bench's batch card (healthy)")


if __name__ == "__main__":
    main()
