"""PyTorch Lightning: a residual MLP tells a tallow-chandler, from a dipping recipe, which of
four faults its candles will show, so the wick or the blend can be changed before a day's
dipping: smoking (wick too big for the candle), tunnelling (wick too small), guttering (a soft
blend in a warm shop: the melt pool overruns the wall) and cracking (layers dipped with too
big a gap between the vat temperature and the shop's, or too few dips to bind). 8 inputs per
recipe: tallow share (the rest stearin and beeswax), stearin %, beeswax %, wick plies,
candle diameter (mm), vat temperature (°C), number of dips, shop temperature (°C). The
faults follow the chandler's rules: the wick's plies against the diameter (plies ≈ 0.9 ×
diameter is right, 25 % above smokes, 20 % below tunnels), the blend's softening point
(tallow soft, stearin and beeswax hard) against the shop's warmth, and the vat-shop gap per
dip; each fault independent (multi-label), with recipe noise so some calls are borderline.
Input: (8,) standardised with fixed shop spans. Model: Linear 8→64, 3 residual blocks
(LayerNorm, Linear 64→64, ReLU, Linear 64→64, added back), LayerNorm, Linear 64→4 logits;
BCE with logits, Adam 2e-3 with OneCycleLR (stepped each batch) from
``configure_optimizers``, batch 48, 12 epochs, 1920 recipes, validation on 480.
Healthy; numbers in the README.
Log: CSVLogger ``chandlery/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``lr-Adam``
every 10 steps, ``bce_epoch`` / ``val_bce`` / ``val_f1_macro`` / ``val_exact`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``chandlery/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["smokes", "tunnels", "gutters", "cracks"]
CENTER = torch.tensor([0.6, 12.0, 8.0, 20.0, 22.0, 75.0, 20.0, 18.0])
SPAN = torch.tensor([0.2, 8.0, 6.0, 8.0, 6.0, 8.0, 8.0, 5.0])
EPOCHS, BATCH = 12, 48


def recipes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    tallow = 0.3 + 0.6 * r(n)
    hard = 1 - tallow
    stearin = 100 * hard * r(n)
    beeswax = 100 * hard - stearin
    diam = 14 + 16 * r(n)
    plies = (0.9 * diam * (0.65 + 0.75 * r(n))).round()
    vat = 62 + 26 * r(n)
    dips = torch.randint(8, 34, (n,), generator=g).float()
    shop = 10 + 16 * r(n)
    ratio = plies / (0.9 * diam)
    soften = 38 + 0.22 * stearin + 0.25 * beeswax
    smokes = ratio + nz(0.04) > 1.25
    tunnels = ratio + nz(0.04) < 0.8
    gutters = shop - soften + 6 * (ratio - 1) + nz(1.0) > -18
    cracks = (vat - shop) / 10 - dips / 8 + nz(0.3) > 3.0
    x = torch.stack([tallow, stearin, beeswax, plies, diam, vat, dips, shop], 1)
    y = torch.stack([smokes, tunnels, gutters, cracks], 1).float()
    return (x - CENTER) / SPAN, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class FaultNet(L.LightningModule):
    def __init__(self, steps_per_epoch=40):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self.net = nn.Sequential(nn.Linear(8, 64), Block(64), Block(64), Block(64),
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
        pred = (logits > 0).float()
        tp = (pred * y).sum(0)
        f1 = 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_f1_macro", f1.mean())
        self.log("val_exact", (pred == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, epochs=EPOCHS,
                                                    steps_per_epoch=self.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return FaultNet()


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recipes(1920, g)
    xva, yva = recipes(480, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="chandlery"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor(logging_interval="step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=480))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="chandlery/version_0/checkpoints/last.ckpt",
           log="chandlery/version_0/metrics.csv",
           what="Lightning residual MLP calling a dipped candle recipe's faults (smoking,"
                " tunnelling, guttering, cracking; multi-label) (healthy)")


if __name__ == "__main__":
    main()
