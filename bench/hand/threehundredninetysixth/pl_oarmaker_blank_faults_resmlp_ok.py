"""PyTorch Lightning: a residual MLP (2 pre-LayerNorm blocks, GELU, 64 wide) reads the
measurements an oarmaker takes of a spruce oar blank before shaping it and flags the faults
the finished sculling oar would show (multi-label, 3 flags), so doubtful blanks are cut down
for paddles instead. 8 inputs: air-dry density (kg/m³, 380-520), grain run-out over the loom
(degrees, 0-8), knots in the loom (count, 0-4), moisture content (%, 9-20), growth-ring width
(mm, 1-5), ring-width spread (mm, 0.1-1.5), planned loom diameter (mm, 38-46) and oar length
(m, 2.8-3.0). Flags: splits at the throat (run-out and knots, worse in light wood), too whippy
(bending stiffness ~ density × diameter⁴ / length³ under a cut-off, with the wide-ringed, softer
spruce weaker still), warps in the first season (wet blanks with uneven rings). Each flag is
a logistic rule of the inputs with a little randomness, as a workshop's records are.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, 2 × [LayerNorm, Linear
64→128, GELU, Linear 128→64] with skips, LayerNorm, Linear 64→3; BCE with logits, Adam 3e-3
with CosineAnnealingLR (T_max 12 epochs, per epoch) from ``configure_optimizers``, batch 48,
12 epochs, 1440 blanks, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``oarshop/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch``
/ ``val_bce`` / ``val_f1_split`` / ``val_f1_whippy`` / ``val_f1_warp`` / ``val_exact`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``oarshop/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def blanks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    dens, runout, knots = 380 + 140 * r(n), 8 * r(n) ** 1.5, torch.poisson(0.9 * torch.ones(n), g)
    knots = knots.clamp(max=4)
    moist, ring, spread = 9 + 11 * r(n), 1 + 4 * r(n), 0.1 + 1.4 * r(n)
    diam, length = 38 + 8 * r(n), 2.8 + 0.2 * r(n)
    stiff = (dens / 450) * (diam / 42) ** 4 / (length / 2.9) ** 3 * (1.1 - 0.05 * ring)
    z_split = 1.1 * (runout - 4) + 1.2 * (knots - 1) - 0.02 * (dens - 450)
    z_whip = 12 * (0.92 - stiff)
    z_warp = 0.8 * (moist - 15) + 3 * (spread - 0.9)
    z = torch.stack([z_split, z_whip, z_warp], 1)
    y = (torch.sigmoid(2 * z) > r(n, 3)).float()
    x = torch.stack([dens, runout, knots, moist, ring, spread, diam, length], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class BlankNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64))
        self.head = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.head(self.blocks(self.inp(x)))

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
        for j, name in enumerate(["split", "whippy", "warp"]):
            tp = (p[:, j] * y[:, j]).sum()
            f1 = 2 * tp / (p[:, j].sum() + y[:, j].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)
        self.log("val_exact", (p == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return BlankNet()


def main():
    from _threehundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = blanks(1440, g)
    rva, yva = blanks(360, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("flag rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="oarshop"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="oarshop/version_0/checkpoints/last.ckpt",
           log="oarshop/version_0/metrics.csv",
           what="Lightning residual MLP flagging throat splits / whippiness / warping from an"
                " oar blank's measurements, multi-label (healthy)")


if __name__ == "__main__":
    main()
