"""PyTorch Lightning: an MLP predicts the sugar content (%) of a draw-off from the finishing pan
of a wood-fired evaporator, from 9 readings the sugarmaker's logger takes at the draw-off valve:
degrees above the boiling point of water at the pan thermometer, sweet-water sugar % coming in,
feed rate, pan depth, flue temperature, barometric pressure, plus three that do not matter
(bucket count, shift code, stack-damper position). The target follows the boiling-point
elevation curve (concentration rises steeply with degrees above boiling and flattens near 67 %)
with a small lag term for a deep, fast-fed pan, plus 0.4 % reading noise; it is standardised with
the training mean/std. MLP 9-48-48-1 with GELU, Huber loss, Adam 3e-3 with StepLR (x0.5 every
8 epochs) from ``configure_optimizers``, batch 32, 24 epochs of 960 draw-offs, validation on
240 draw-offs each epoch (val Huber and MAE in sugar %).
Healthy: val MAE 2.65 → 0.42 sugar % (the 0.4 % reading noise puts the floor near 0.32), val
Huber 0.0548 → 0.0017; val sits below the epoch-mean train Huber for the first epochs and a
little above it from epoch 8 on."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def drawoffs(n, g):
    dt = 1 + 7 * torch.rand(n, generator=g)          # deg F above boiling water
    sweet = 1.5 + 2 * torch.rand(n, generator=g)      # incoming sugar %
    feed = 20 + 40 * torch.rand(n, generator=g)       # gallons/hour
    depth = 0.75 + 1.0 * torch.rand(n, generator=g)   # inches
    flue = 900 + 400 * torch.rand(n, generator=g)     # deg F
    baro = 29.2 + 1.2 * torch.rand(n, generator=g)    # inHg
    junk = torch.randn(n, 3, generator=g)
    conc = 67 - 60 * torch.exp(-0.48 * dt) - 0.9 * (baro - 29.8)
    lag = 0.04 * (feed - 40) * depth - 0.3 * (sweet - 2.5) + 0.002 * (flue - 1100)
    y = conc - lag + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([dt, sweet, feed, depth, flue, baro], 1)
    return torch.cat([x, junk], 1), y


class DrawOff(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(9, 48), nn.GELU(), nn.Linear(48, 48), nn.GELU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.huber_loss(self(x), (y - self.y_mean) / self.y_std, delta=0.5)
        self.log("train_huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_huber", nn.functional.huber_loss(pred, (y - self.y_mean) / self.y_std,
                                                       delta=0.5))
        self.log("val_mae_pct", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, 8, 0.5)}


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = drawoffs(960, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return DrawOff(xm, xs, ym, ys)


def main():
    from _twohundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = drawoffs(240, torch.Generator().manual_seed(1))
    print("sugar % mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="drawoff"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="drawoff/version_0/checkpoints/last.ckpt",
           log="drawoff/version_0/metrics.csv",
           what="Lightning MLP regressing evaporator draw-off sugar % from pan readings"
                " (healthy)")


if __name__ == "__main__":
    main()
