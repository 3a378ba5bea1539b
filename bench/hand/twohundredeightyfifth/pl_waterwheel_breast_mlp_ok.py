"""PyTorch Lightning: an MLP estimates what a breastshot water wheel will give before the
millwright commits to a design: from the head (0.8-3 m), the height of the water's entry on
the wheel as a share of the head (0.3-0.9), the flow over the breast (0.1-0.8 m³/s), wheel
diameter (3-7 m), number of float boards (24-48) and speed (4-10 rpm) it gives the shaft power
(log10 kW) and the efficiency. Efficiency: a potential part (0.72 at low entry, less as the
water comes in higher and falls free), an impulse part (best when the rim runs at about half
the speed of the incoming water), a loss through the gap at the breast (more float boards, less
leakage) and a penalty for spilling when the float boards are overloaded; 2 % scatter on the
measured power.
Inputs standardised inside the module. MLP 6→128-GELU-128→64-GELU-64→2, MSE on (log10 kW,
efficiency), RAdam 5e-3 with a per-epoch cosine schedule to 1e-4 over 24 epochs, batch 96,
2400 designs, validation on 500 (val MSE, power error in %, efficiency MAE).
Log: ``breast/version_0/metrics.csv`` (CSVLogger: ``train_mse`` every 10 steps and per epoch,
val per epoch); checkpoint ``breast/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def designs(n, g):
    u = torch.rand(n, 6, generator=g)
    head = 0.8 + 2.2 * u[:, 0]
    entry = 0.3 + 0.6 * u[:, 1]
    q = 0.1 + 0.7 * u[:, 2]
    diam = 3 + 4 * u[:, 3]
    floats = (24 + 24 * u[:, 4]).round()
    rpm = 4 + 6 * u[:, 5]
    v_in = torch.sqrt(2 * 9.81 * head * entry * 0.5)
    rim = math.pi * diam * rpm / 60
    pot = 0.72 - 0.25 * (entry - 0.3)
    imp = 0.15 * (1 - ((rim / v_in - 0.5) / 0.5) ** 2).clamp_min(0)
    gap = 0.06 * 36 / floats
    spill = 0.3 * (q / (floats / 36) - 0.5).clamp_min(0)
    eff = (pot + imp - gap - spill).clamp(0.1, 0.9)
    kw = 9.81 * q * head * eff * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.stack([head, entry, q, diam, floats, rpm], 1)
    return x, torch.stack([kw.log10(), eff], 1)


class BreastMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(6, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU(),
                                 nn.Linear(64, 2))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_power_err_pct", ((10 ** (p[:, 0] - y[:, 0]) - 1).abs() * 100).mean())
        self.log("val_eff_mae", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RAdam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=24, eta_min=1e-4)]


MEAN = torch.tensor([1.9, 0.6, 0.45, 5.0, 36.0, 7.0])
STD = torch.tensor([0.64, 0.17, 0.2, 1.15, 7.0, 1.73])


def build():
    torch.manual_seed(0)
    return BreastMLP(MEAN, STD)


def main():
    from _twohundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = designs(2400, g)
    xva, yva = designs(500, g)
    print("targets", ytr.mean(0), ytr.std(0), ytr.min(0).values, ytr.max(0).values)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="breast"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="breast/version_0/checkpoints/last.ckpt",
           log="breast/version_0/metrics.csv",
           what="Lightning MLP estimating a breastshot water wheel's shaft power and efficiency"
                " (healthy)")


if __name__ == "__main__":
    main()
