"""PyTorch Lightning: a residual MLP does a travelling tinker's bench triage of a copper kettle
brought to the cart and ticks which of four repairs it needs (multi-label): resolder the seam,
re-rivet the handle, re-tin the lining, or a new bottom. The tinker measures nine things: the
leak-test drop over a minute (kPa, a seam leak drops fast), handle play (mm), share of bare
copper showing in the lining (%), bottom thickness at the thinnest point by calliper (mm),
the kettle's age (years), its volume (l), the number of pits in the bottom, whether the
rivets are iron (rust) and how often it has been on the fire (times a day).
The rules behind the labels use the true state, the measurements carry gauge noise: seam if
the true drop is over 4 kPa; handle if the play is over 1.5 mm or an iron rivet over 15 years
old; re-tin if more than 20 % copper shows (acid food in bare copper poisons); new bottom if
it is thinner than 0.55 mm, or thinner than 0.7 mm with more than 6 pits.
Input: (9,) standardised. Model: Linear 9→64, then 3 residual blocks (LayerNorm, Linear
64→64, SiLU, Linear 64→64, added back), LayerNorm, Linear 64→4; BCE with logits, AdamW 3e-3
(weight decay 1e-4) with CosineAnnealingLR over 12 epochs from ``configure_optimizers``,
batch 64, 1600 kettles, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``bench_triage/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_exact`` / ``val_f1_seam`` / ``val_f1_bottom`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``bench_triage/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

REPAIRS = ["seam", "handle", "retin", "bottom"]


def kettles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    age = 1 + 39 * r(n)
    volume = 1 + 4 * r(n)
    fires = 1 + torch.randint(0, 6, (n,), generator=g).float()
    wear = age * fires / 40  # use over the years
    drop = torch.where(r(n) < 0.1 + 0.3 * wear.clamp(max=1), 3 + 10 * r(n), 2.5 * r(n))
    play = 0.2 + 0.06 * age * r(n) + 0.5 * r(n)
    iron = (r(n) < 0.4).float()
    bare = (5 * wear + 15 * r(n) * wear.clamp(max=2)).clamp(0, 100) + 3 * r(n)
    bottom = (1.1 - 0.12 * wear - 0.2 * r(n)).clamp(min=0.3)
    pits = torch.poisson(2 + 3 * wear, generator=g)
    y = torch.stack([drop > 4, (play > 1.5) | ((iron > 0) & (age > 15)), bare > 20,
                     (bottom < 0.55) | ((bottom < 0.7) & (pits > 6))], 1).float()
    x = torch.stack([drop + nz(0.3), play + nz(0.1), bare + nz(2.0), bottom + nz(0.03), age,
                     volume, pits, iron, fires], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class Triage(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(9, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        for j, name in ((0, "seam"), (3, "bottom")):
            tp = (p[:, j] * y[:, j]).sum()
            self.log(f"val_f1_{name}", 2 * tp / (p[:, j].sum() + y[:, j].sum()).clamp(min=1))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return Triage()


def main():
    from _threehundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = kettles(1600, g)
    xva, yva = kettles(400, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bench_triage"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bench_triage/version_0/checkpoints/last.ckpt",
           log="bench_triage/version_0/metrics.csv",
           what="Lightning residual MLP ticking a tinker's four kettle repairs (multi-label)"
                " from bench measurements (healthy)")


if __name__ == "__main__":
    main()
