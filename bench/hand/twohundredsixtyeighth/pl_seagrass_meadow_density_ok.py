"""PyTorch Lightning: an MLP predicts seagrass shoot density (shoots per m²) in a meadow quadrat
from 7 numbers a survey diver records: depth (m), light at the canopy (% of surface), water
temperature (°C), sediment mud fraction, distance to the meadow edge (m), plus two that do not
matter (diver id hash, quadrat number parity). Density follows a light-saturation curve, drops
above 27 °C and in muddy sediment, thins toward the edge, with 8 % multiplicative noise;
standardised with the training mean/std. Linear 7→64-SiLU-64-SiLU→1, Smooth L1, AdamW 2e-3
with CosineAnnealingLR(20) from ``configure_optimizers``, batch 48, 20 epochs of 1200
quadrats, validation on 300 quadrats each epoch (val Smooth L1, val MAE in shoots/m²).
Log: ``meadow/version_0/metrics.csv`` (CSVLogger); checkpoint
``meadow/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def quadrats(n, g):
    depth = 0.5 + 5 * torch.rand(n, generator=g)
    light = 100 * torch.exp(-0.35 * depth) * (0.6 + 0.4 * torch.rand(n, generator=g))
    temp = 18 + 12 * torch.rand(n, generator=g)
    mud = torch.rand(n, generator=g)
    edge = 40 * torch.rand(n, generator=g)
    junk = torch.randn(n, 2, generator=g)
    dens = 900 * light / (light + 20) * torch.sigmoid(-(temp - 27) * 1.5)
    dens = dens * (1 - 0.6 * mud ** 2) * (1 - torch.exp(-edge / 6))
    dens = dens * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.cat([torch.stack([depth, light, temp, mud, edge], 1), junk], 1)
    return x, dens


class Meadow(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(7, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.smooth_l1_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_sl1", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_sl1", nn.functional.smooth_l1_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_shoots", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, 20)}


def stats():
    x, y = quadrats(1200, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return Meadow(xm, xs, ym, ys)


def main():
    from _twohundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = quadrats(300, torch.Generator().manual_seed(1))
    print("density mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="meadow"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="meadow/version_0/checkpoints/last.ckpt",
           log="meadow/version_0/metrics.csv",
           what="Lightning MLP regressing seagrass shoot density per quadrat (healthy)")


if __name__ == "__main__":
    main()
