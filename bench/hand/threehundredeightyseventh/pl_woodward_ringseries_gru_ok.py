"""PyTorch Lightning: a GRU reads the last 40 annual rings of an oak, measured from an
increment core the woodward of an estate forest takes at breast height, and tags what the
tree went through (multi-label): a drought year, a release (its neighbours thinned or felled)
and a defoliation (oak moth / winter moth caterpillars stripping the crown). Ring width follows
a negative-exponential age trend times an AR(1) climate signal; a drought cuts one ring to
30-50 % and the next to 80 %; a release raises every ring after it by 1.5-2.2× over a two-year
ramp; a defoliation cuts 3-5 rings to 55-70 % with a slow recovery. Each event happens to
about a third of the trees, independently.
Input: (40, 2) per ring: log width minus the core's mean log width, × 2, and its change
from the ring before. Model: GRU 2→32 (one layer, batch first), last hidden
state, Linear 32→3 (three logits); BCE with logits, AdamW 6e-3 (weight decay 1e-4) with
CosineAnnealingLR over 20 epochs from ``configure_optimizers``, batch 48, 1500 cores,
validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``ringlab/version_0/metrics.csv`` (``bce_step`` every 8 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_acc_drought`` / ``val_acc_release`` / ``val_acc_defol``
per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``ringlab/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

YEARS = 40


def cores(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(YEARS).float()
    age0 = 20 + 60 * r(n, 1)  # age of the tree at the first ring read
    trend = 1.2 + 2.5 * torch.exp(-(age0 + t) / 35)
    clim = torch.zeros(n, YEARS)
    e = 0.12 * torch.randn(n, YEARS, generator=g)
    for k in range(1, YEARS):
        clim[:, k] = 0.5 * clim[:, k - 1] + e[:, k]
    w = trend * torch.exp(clim)
    ev = r(n, 3) < 0.35
    mult = torch.ones(n, YEARS)
    yd = torch.randint(2, YEARS - 2, (n,), generator=g)
    dcut = 0.3 + 0.2 * r(n)
    rows = torch.arange(n)
    mult[rows, yd] = torch.where(ev[:, 0], dcut, torch.ones(n))
    mult[rows, yd + 1] = torch.where(ev[:, 0], torch.full((n,), 0.8), torch.ones(n))
    yr = torch.randint(8, YEARS - 6, (n, 1), generator=g)
    gain = 1.5 + 0.7 * r(n, 1)
    ramp = ((t - yr + 1) / 2).clamp(0, 1)
    mult = mult * torch.where(ev[:, 1:2], 1 + (gain - 1) * ramp, torch.ones(n, YEARS))
    yf = torch.randint(3, YEARS - 8, (n, 1), generator=g)
    dur = torch.randint(3, 6, (n, 1), generator=g)
    depth = 0.3 + 0.15 * r(n, 1)
    since = t - yf
    hit = torch.where(since < 0, torch.zeros_like(since),
                      torch.where(since < dur, depth.expand(n, YEARS),
                                  depth * torch.exp(-(since - dur + 1) / 2)))
    mult = mult * torch.where(ev[:, 2:3], 1 - hit, torch.ones(n, YEARS))
    w = w * mult * (1 + 0.04 * torch.randn(n, YEARS, generator=g))
    lw = torch.log(w)  # ring-width index on a log scale, centred per core
    lw = 2 * (lw - lw.mean(1, keepdim=True))
    dlw = torch.cat([torch.zeros(n, 1), lw[:, 1:] - lw[:, :-1]], 1)  # change from last ring
    return torch.stack([lw, dlw], 2), ev.float()


class RingGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

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
        self.log("val_exact", (pred == y).all(1).float().mean())
        for j, name in enumerate(["drought", "release", "defol"]):
            self.log(f"val_acc_{name}", (pred[:, j] == y[:, j]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=6e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)]


def build():
    torch.manual_seed(0)
    return RingGRU()


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cores(1500, g)
    xva, yva = cores(400, g)
    print("event shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="ringlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ringlab/version_0/checkpoints/last.ckpt",
           log="ringlab/version_0/metrics.csv",
           what="Lightning GRU tagging drought / release / defoliation (multi-label) in an"
                " oak's increment-core ring widths (healthy)")


if __name__ == "__main__":
    main()
