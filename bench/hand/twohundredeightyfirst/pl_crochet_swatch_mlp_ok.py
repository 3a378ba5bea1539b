"""PyTorch Lightning: an MLP tells a crochet designer what a swatch will measure before she
hooks it, so a pattern can be graded for a different yarn: stitches per 10 cm and rows per
10 cm. Inputs: yarn weight as wraps per inch (8-20 WPI, thicker yarn fewer wraps), hook size
(2.5-8 mm), stitch (one-hot: single, half double, double, treble crochet), the crocheter's
tension (0.85-1.15, from her own reference swatch) and fibre (0 = cotton, 1 = wool; wool
blooms after blocking). Physics: a stitch is about as wide as the loop the hook makes, which
grows with hook size and yarn thickness; row height grows with the stitch's number of
wraps; both are scaled by tension; wool relaxes 4 % wider and 6 % taller after blocking;
2 % measuring scatter. Targets / 30.
Linear 9→48-SiLU-48→48-SiLU-48→2, MSE, AdamW 3e-3 (weight decay 1e-4) with MultiStepLR (x0.3 at
epoch 10 and 16), 18 epochs, batch 100, 2500 swatches, validation on 500 (val MSE, val MAE of
stitches and of rows per 10 cm).
Log: ``swatches/version_0/metrics.csv`` (CSVLogger, train loss every 10 steps, validation
per epoch); checkpoint ``swatches/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WRAPS = torch.tensor([1.0, 1.5, 2.0, 3.0])  # sc, hdc, dc, tr


def swatches(n, g):
    u = torch.rand(n, 4, generator=g)
    wpi, hook, tension = 8 + 12 * u[:, 0], 2.5 + 5.5 * u[:, 1], 0.85 + 0.3 * u[:, 2]
    wool = (u[:, 3] < 0.5).float()
    st = torch.randint(0, 4, (n,), generator=g)
    yarn_mm = 25.4 / wpi
    width = (0.75 * hook + 0.9 * yarn_mm) * tension * (1 + 0.04 * wool) * (1 + 0.05 * st)
    height = (0.55 * hook + 0.8 * yarn_mm) * WRAPS[st] ** 0.8 * tension * (1 + 0.06 * wool)
    y = torch.stack([100 / width, 100 / height], 1) * (1 + 0.02 * torch.randn(n, 2, generator=g))
    x = torch.cat([torch.stack([(wpi - 14) / 3.5, (hook - 5.25) / 1.6, (tension - 1) / 0.09,
                                wool], 1), F.one_hot(st, 4).float(),
                   ((wpi - 14) / 3.5 * (hook - 5.25) / 1.6)[:, None]], 1)
    return x, y / 30


class SwatchMLP(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(9, 48), nn.SiLU(), nn.Linear(48, 48), nn.SiLU(),
                                 nn.Linear(48, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_stitches", 30 * (p[:, 0] - y[:, 0]).abs().mean())
        self.log("val_mae_rows", 30 * (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 16], gamma=0.3)
        return [opt], [sched]


def build():
    torch.manual_seed(0)
    return SwatchMLP()


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = swatches(2500, g)
    xva, yva = swatches(500, g)
    print("stitches / rows per 10 cm:", (30 * ytr).min(0).values, (30 * ytr).max(0).values)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="swatches"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="swatches/version_0/checkpoints/last.ckpt",
           log="swatches/version_0/metrics.csv",
           what="Lightning MLP predicting a crochet swatch's stitches and rows per 10 cm"
                " (healthy)")


if __name__ == "__main__":
    main()
