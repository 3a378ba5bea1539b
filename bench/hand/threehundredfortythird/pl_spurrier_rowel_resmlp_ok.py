"""PyTorch Lightning: a residual MLP reads a spurrier's end-of-bench gauge sheet for a pair
of hand-forged spurs and says which of four rework tags the pair gets (multi-label, any
number of tags): ``sharp`` (rowel points too fine for rodeo rules: tip width under 1.6 mm,
which is what the point count and the rowel diameter leave, less the file work), ``mismatch``
(the two shanks' drop angles differ by more than 3°), ``soft`` (the heel band's Rockwell C
after tempering under 40, from the quench oil temperature and the temper heat and time) and
``tight`` (the strap-button gap under the boot heel width minus 4 mm).
Input: 11 gauge and shop-book numbers (rowel diameter, point count, filing passes, left and
right shank drop, quench oil temperature, temper temperature, temper minutes, band
thickness, button gap, heel width), each read with gauge noise, standardised with the
training mean / std. Model: Linear 11→64, 3 pre-LayerNorm residual blocks (64→128→64,
GELU, dropout 0.1), LayerNorm, Linear 64→4 (one logit per tag); BCE with logits, AdamW 3e-3
(weight decay 1e-4) with CosineAnnealingLR over the 16 epochs from ``configure_optimizers``,
batch 48, 2400 pairs, validation on 600.
Healthy; numbers in the README.
Log: CSVLogger ``benchsheet/version_0/metrics.csv`` (``bce_step`` every 10 steps,
``bce_epoch`` / ``val_bce`` / ``val_exact`` / ``val_f1_soft`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``benchsheet/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def pairs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    diam = 30 + 40 * r(n)  # rowel diameter, mm
    pts = torch.randint(8, 25, (n,), generator=g).float()
    files = torch.randint(0, 5, (n,), generator=g).float()
    tip = 3.14159 * diam / pts * 0.45 - 0.35 * files  # mm left at the tip
    left = 15 + 20 * r(n)
    right = left + 5 * torch.randn(n, generator=g) * 0.8
    oil = 20 + 60 * r(n)
    ttemp = 180 + 200 * r(n)
    tmin = 30 + 90 * r(n)
    hrc = 62 - 0.1 * (oil - 20) - 0.12 * (ttemp - 180) - 0.08 * (tmin - 30)
    band = 3 + 3 * r(n)
    heel = 60 + 30 * r(n)
    gap = heel - 4 + 6 * torch.randn(n, generator=g) * 0.7 + 0.5 * (band - 4.5)
    tags = torch.stack([tip < 1.6, (left - right).abs() > 3, hrc < 40, gap < heel - 4], 1).float()
    noise = lambda v, s: v + s * torch.randn(n, generator=g)  # noqa: E731
    x = torch.stack([noise(diam, 0.2), pts, files, noise(left, 0.3), noise(right, 0.3),
                     noise(oil, 1.0), noise(ttemp, 3.0), noise(tmin, 1.0), noise(band, 0.05),
                     noise(gap, 0.4), noise(heel, 0.4)], 1)
    return x, tags


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(0.1),
                                nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.ln(x))


class BenchSheet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(11, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        tp = (p[:, 2] * y[:, 2]).sum()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        self.log("val_f1_soft", 2 * tp / (p[:, 2].sum() + y[:, 2].sum()).clamp(min=1))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)]


def build():
    torch.manual_seed(0)
    return BenchSheet()


def main():
    from _threehundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pairs(2400, g)
    xva, yva = pairs(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("tag shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="benchsheet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="benchsheet/version_0/checkpoints/last.ckpt",
           log="benchsheet/version_0/metrics.csv",
           what="Lightning residual MLP giving a spurrier's four rework tags (multi-label)"
                " from the gauge sheet of a pair of spurs (healthy)")


if __name__ == "__main__":
    main()
