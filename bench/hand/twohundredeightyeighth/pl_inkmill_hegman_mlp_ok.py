"""PyTorch Lightning: an MLP gives the fineness of grind (Hegman gauge reading in µm) of a
letterpress ink base after the three-roll mill, so the ink maker knows before drawing down a
gauge whether another pass is needed. Inputs: pigment load (10-35 % of the base), passes
through the mill (1-6), gap at the apron roll (5-30 µm), speed ratio between the rolls
(1-3), varnish body (5-50 Pa·s) and mill-room temperature (18-38 °C).
Rule: the agglomerates start at 45 µm · (1 + load / 35); each pass breaks them down by a share
that grows with the speed ratio and the square root of the varnish body (a stiffer varnish
carries more shear into the pigment) and falls 1.2 % per °C above 18 °C (the varnish thins
on warm rolls); the reading is that agglomerate size · e^(−k · passes) plus 0.6 · the gap, with
5 % scatter from drawing the gauge.
Linear 6→64-SiLU-64→64-SiLU-64→1 on inputs standardised inside the module, MSE on µm / 10,
Adam 3e-3 with ExponentialLR γ 0.9 per epoch, batch 50, 18 epochs, 2000 batches of base,
validation on 400 (val MSE, MAE in µm).
Log: ``mill/version_0/metrics.csv`` (CSVLogger, train loss every 10 steps, validation per
epoch); checkpoint ``mill/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def bases(n, g):
    load = 10 + 25 * torch.rand(n, generator=g)
    passes = (1 + 6 * torch.rand(n, generator=g)).floor()
    gap = 5 + 25 * torch.rand(n, generator=g)
    ratio = 1 + 2 * torch.rand(n, generator=g)
    body = 5 + 45 * torch.rand(n, generator=g)
    temp = 18 + 20 * torch.rand(n, generator=g)
    agg = 45 * (1 + load / 35)
    k = 0.22 * ratio * (body / 25).sqrt() * (1 - 0.012 * (temp - 18))
    um = (agg * torch.exp(-k * passes) + 0.6 * gap) * (1 + 0.05 * torch.randn(n, generator=g))
    x = torch.stack([load, passes, gap, ratio, body, temp], 1)
    return x, (um / 10).unsqueeze(1)


class HegmanMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("loss", loss, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_um", (p - y).abs().mean() * 10)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]


MEAN = torch.tensor([22.5, 3.5, 17.5, 2.0, 27.5, 28.0])
STD = torch.tensor([7.2, 1.7, 7.2, 0.58, 13.0, 5.8])


def build():
    torch.manual_seed(0)
    return HegmanMLP(MEAN, STD)


def main():
    from _twohundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bases(2000, g)
    xva, yva = bases(400, g)
    print("um/10", ytr.min().item(), ytr.mean().item(), ytr.max().item(), xtr.mean(0), xtr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="mill"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="mill/version_0/checkpoints/last.ckpt",
           log="mill/version_0/metrics.csv",
           what="Lightning MLP giving an ink base's fineness of grind after the three-roll mill"
                " (healthy)")


if __name__ == "__main__":
    main()
