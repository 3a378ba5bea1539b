"""PyTorch Lightning: a residual MLP sorts carbon arrow shafts into the fletcher's spine groups
before they are cut and fletched, from the spec-sheet numbers of each shaft, so the static
spine test on the bench is only needed for spot checks: groups 300 / 400 / 500 / 600+
(deflection under 0.35 / 0.35-0.45 / 0.45-0.60 / over 0.60 in). The rule behind the labels is
the ATA static spine test: an 880 g (1.94 lbf) weight hung at the middle of a 28 in span, the
deflection F L³ / (48 E I) with I = π/64 (OD⁴ - ID⁴), measured on the bench with about 4 %
scatter. Inputs (6): outer diameter (5.5-8 mm), wall (0.5-1.1 mm), the carbon grade's modulus
from the sheet (60-140 GPa, ±5 % between lots), grains per inch, the uncut length (26-32 in,
not part of the test) and the straightness class (±.001-.006 in, not part of the test);
standardised with the train mean / std.
Model: Linear 6→64, 3 residual blocks (LayerNorm, Linear 64→128, GELU, Linear 128→64), LayerNorm,
Linear 64→4; cross-entropy, Adam 2e-3 with CosineAnnealingLR over 12 epochs from
``configure_optimizers``, batch 64, 2400 shafts, validation on 600.
Healthy; numbers in the README.
Log: CSVLogger ``spinebench/version_0/metrics.csv`` (``xent_step`` every 10 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_600`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``spinebench/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

GROUPS = ["300", "400", "500", "600+"]


def shafts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    od = 5.5 + 2.5 * r(n)
    wall = 0.5 + 0.6 * r(n)
    e_sheet = 60 + 80 * r(n)
    e_true = e_sheet * (1 + 0.05 * torch.randn(n, generator=g))
    inner = od - 2 * wall
    area = math.pi / 4 * (od ** 2 - inner ** 2)  # mm²
    gpi = area * 1.55e-3 * 25.4 * 15.432 * (1 + 0.03 * torch.randn(n, generator=g))
    length = 26 + 6 * r(n)
    straight = torch.randint(1, 7, (n,), generator=g).float()
    moment = math.pi / 64 * ((od * 1e-3) ** 4 - (inner * 1e-3) ** 4)
    defl = 8.63 * 0.7112 ** 3 / (48 * e_true * 1e9 * moment) / 0.0254
    defl = defl * (1 + 0.04 * torch.randn(n, generator=g))
    group = torch.bucketize(defl, torch.tensor([0.35, 0.45, 0.60]))
    return torch.stack([od, wall, e_sheet, gpi, length, straight], 1), group


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.f(x)


class SpineSorter(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 4))

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
        self.log("val_acc_600", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return SpineSorter()


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = shafts(2400, g)
    rva, yva = shafts(600, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("groups", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="spinebench"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="spinebench/version_0/checkpoints/last.ckpt",
           log="spinebench/version_0/metrics.csv",
           what="Lightning residual MLP sorting carbon arrow shafts into spine groups from"
                " their spec sheet (healthy)")


if __name__ == "__main__":
    main()
