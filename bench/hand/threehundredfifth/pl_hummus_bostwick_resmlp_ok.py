"""PyTorch Lightning: a residual MLP predicts how far a hummus batch flows in a Bostwick
consistometer (cm in 30 s) from the kettle and blender log, so a hummus plant can correct the
water before filling tubs that customers would find runny or stiff. Inputs (8): chickpea dry
matter after cooking (%), tahini (%), ice water (%), lemon juice (%), oil (%), paste
temperature at the end of the blend (°C), blend energy (kJ/kg) and hold time before the test
(min). Flow rises with free water (water + lemon over the dry matter that binds it, a power
law), falls with tahini (emulsified sesame thickens) and with blend energy (finer particles,
saturating), rises with temperature (thinner oil phase) and falls slowly while the paste
sets during the hold; ±0.4 cm reading noise. Target: (cm - 10) / 2.5. Inputs standardised.
Model: linear 8→64, 3 residual blocks (LayerNorm → linear 64→64 → GELU → linear 64→64, added
back), linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with CosineAnnealingLR over 12
epochs from ``configure_optimizers``, batch 64, 1800 batches, validation on 450.
Healthy; numbers in the README.
Log: CSVLogger ``bostwick/version_0/metrics.csv`` (``train_mse`` per step every 4 steps,
``val_mse`` and ``val_mae_cm`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``bostwick/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def batches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    dry = 34 + 8 * r(n)
    tahini = 15 + 20 * r(n)
    water = 5 + 15 * r(n)
    lemon = 3 + 5 * r(n)
    oil = 2 * r(n)
    temp = 18 + 22 * r(n)
    energy = 20 + 100 * r(n)
    hold = 5 + 55 * r(n)
    free = (water + lemon + 40) / dry
    cm = (6 * free ** 1.8 - 0.12 * (tahini - 15) - 3 * (1 - torch.exp(-energy / 40))
          + 0.08 * (temp - 18) + 0.6 * oil - 1.2 * torch.log1p(hold / 20)
          + 0.4 * torch.randn(n, generator=g))
    x = torch.stack([dry, tahini, water, lemon, oil, temp, energy, hold], 1)
    return x, ((cm - 10) / 2.5).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class BostwickNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), Block(64), Block(64), Block(64),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_cm", 2.5 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return BostwickNet()


def main():
    from _threehundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = batches(1800, g)
    xva, yva = batches(450, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bostwick"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=450))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bostwick/version_0/checkpoints/last.ckpt",
           log="bostwick/version_0/metrics.csv",
           what="Lightning residual MLP predicting a hummus batch's Bostwick flow from the"
                " kettle and blender log (healthy)")


if __name__ == "__main__":
    main()
