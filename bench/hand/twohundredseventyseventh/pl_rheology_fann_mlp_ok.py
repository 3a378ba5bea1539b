"""PyTorch Lightning: an MLP predicts the six Fann 35 dial readings (600/300/200/100/6/3 rpm) of
a water-based drilling fluid from its lab recipe: bentonite (5-30 lb/bbl), xanthan polymer
(0-2 lb/bbl), barite-weighted density (9-16 ppg), deflocculant (0-4 lb/bbl) and the cup
temperature (80-180 F). The fluid follows Herschel-Bulkley, tau = tau0 + K * gamma^n: the
yield stress tau0 grows with bentonite squared and with solids (density) and falls with
deflocculant, K grows with polymer and density, n falls with polymer (shear thinning), and
everything thins with temperature; dial reading = tau / 1.066, 2 % reading scatter plus
0.5 dial of operator noise. Inputs standardised, targets divided by 100.
Linear 5→96-SiLU-96→96-SiLU-96→6, MSE, Adam 3e-3 with cosine annealing over 25 epochs,
batch 128, 4000 recipes, validation on 800 (val MSE, val MAE in dial units, val MAE of the
3-rpm reading).
Log: ``fann/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``fann/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

RPM = torch.tensor([600.0, 300.0, 200.0, 100.0, 6.0, 3.0])


def recipes(n, g):
    u = torch.rand(n, 5, generator=g)
    bent, poly, dens, defl, temp = (5 + 25 * u[:, 0], 2 * u[:, 1], 9 + 7 * u[:, 2], 4 * u[:, 3],
                                    80 + 100 * u[:, 4])
    thin = torch.exp(-(temp - 120) / 150)
    tau0 = (0.012 * bent ** 2 + 0.8 * (dens - 9)) / (1 + 0.5 * defl) * thin
    k = (0.05 + 0.35 * poly + 0.02 * (dens - 9) + 0.004 * bent) * thin
    nn_ = 0.85 - 0.18 * poly
    gamma = 1.703 * RPM
    tau = tau0[:, None] + k[:, None] * gamma[None] ** nn_[:, None]
    dial = tau / 1.066
    dial = dial * (1 + 0.02 * torch.randn(n, 6, generator=g)) + 0.5 * torch.randn(n, 6, generator=g)
    x = torch.stack([bent, poly, dens, defl, temp], 1)
    return x, dial.clamp(min=0)


class FannMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(5, 96), nn.SiLU(), nn.Linear(96, 96), nn.SiLU(),
                                 nn.Linear(96, 6))

    def forward(self, x):
        return self.net((x - self.mean) / self.std) * 100

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x) / 100, y / 100)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p / 100, y / 100))
        self.log("val_mae_dial", (p - y).abs().mean())
        self.log("val_mae_3rpm", (p[:, 5] - y[:, 5]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)}


MEAN = torch.tensor([17.5, 1.0, 12.5, 2.0, 130.0])
STD = torch.tensor([7.2, 0.58, 2.0, 1.15, 29.0])


def build():
    torch.manual_seed(0)
    return FannMLP(MEAN, STD)


def main():
    from _twohundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = recipes(4000, g)
    xva, yva = recipes(800, g)
    print("dial ranges", ytr.min(0).values, ytr.max(0).values)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=25, logger=CSVLogger(str(out), name="fann"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=800))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fann/version_0/checkpoints/last.ckpt",
           log="fann/version_0/metrics.csv",
           what="Lightning MLP predicting Fann 35 dial readings of a drilling fluid from its"
                " recipe (healthy)")


if __name__ == "__main__":
    main()
