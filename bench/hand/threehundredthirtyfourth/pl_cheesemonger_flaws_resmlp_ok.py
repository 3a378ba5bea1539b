"""PyTorch Lightning: a cheesemonger buying young alpine-style wheels from small dairies reads
each batch's make sheet and wants to know which flaws to look for when it is opened at
8 months; a residual MLP gives three independent flags (multi-label): late blowing (slits
and cracks from butyric clostridia), bitterness, and a short, crumbly acid body. The rules
behind the flags, from cheesemaking practice: late blowing grows with the spore count of the
milk (log10 spores/L 1-4) and a warm cellar, and is held back by nitrate or lysozyme and by
salt-in-moisture above 2 %; bitterness comes with high moisture, low salt-in-moisture and
high rennet doses; an acid, crumbly body with a low pH at moulding (below 5.2) and fast
acidification of a high-moisture curd. Each flag is drawn from a logistic of its score, so
the sheets leave some doubt.
Input: 9 make-sheet numbers (spores, nitrate/lysozyme yes/no, cellar °C, moisture %,
salt-in-moisture %, rennet ml/100 L, pH at moulding, hours to pH 5.4, fat in dry matter %),
standardised. Model: Linear 9→64, 3 pre-LayerNorm residual blocks (Linear 64→128, GELU,
Linear 128→64), LayerNorm, Linear 64→3; BCEWithLogitsLoss, AdamW 2e-3 (weight decay 0.01)
with CosineAnnealingLR over the 12 epochs from ``configure_optimizers``, batch 48, 1800 make
sheets, validation on 450.
Healthy; numbers in the README.
Log: CSVLogger ``affinage/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``,
``val_bce``, ``val_f1_blowing``, ``val_f1_bitter``, ``val_f1_crumbly`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``affinage/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FLAWS = ["blowing", "bitter", "crumbly"]


def make_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    spores = 1 + 3 * r(n)
    nitrate = (r(n) < 0.35).float()
    cellar = 10 + 6 * r(n)
    moist = 33 + 7 * r(n)
    sim = 1.2 + 1.8 * r(n)
    rennet = 18 + 14 * r(n)
    ph = 5.05 + 0.35 * r(n)
    hours = 4 + 8 * r(n) - 4 * (5.25 - ph).clamp(min=0)
    fdm = 45 + 8 * r(n)
    s_blow = 1.8 * (spores - 2.5) + 0.45 * (cellar - 13) - 2.5 * nitrate - 2.2 * (sim - 2).clamp(min=0) - 0.5
    s_bitter = 0.6 * (moist - 36.5) - 2.0 * (sim - 2.0) + 0.12 * (rennet - 25) - 0.8
    s_crumb = 14 * (5.2 - ph) + 0.35 * (moist - 36.5) - 0.25 * (hours - 8) - 0.5
    score = torch.stack([s_blow, s_bitter, s_crumb], 1)
    y = (r(n, 3) < torch.sigmoid(1.6 * score)).float()
    x = torch.stack([spores, nitrate, cellar, moist, sim, rennet, ph, hours, fdm], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class FlawNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(9, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 3))

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
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        pred = (logits > 0).float()
        for k, name in enumerate(FLAWS):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=0.01)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return FlawNet()


def main():
    from _threehundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_sheets(1800, g)
    xva, yva = make_sheets(450, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    print("flaw rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="affinage"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=450))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="affinage/version_0/checkpoints/last.ckpt",
           log="affinage/version_0/metrics.csv",
           what="Lightning residual MLP giving late-blowing / bitterness / crumbly-body flags"
                " for a cheese batch from its make sheet (healthy)")


if __name__ == "__main__":
    main()
