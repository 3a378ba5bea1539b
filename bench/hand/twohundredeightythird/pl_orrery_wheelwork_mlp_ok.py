"""PyTorch Lightning: an MLP checks a proposed wheel train for one planet of a brass orrery
before the wheels are cut: from the tooth counts of a two-stage compound train (driver z1 on
the crank arbor, z2/z3 on the intermediate arbor, z4 on the planet's tube; 12-96 teeth) and
the module of the teeth (0.3-0.8 mm) it gives the pointer's period in crank turns (log10 of
z2·z4 / (z1·z3), one crank turn a day) and the play at the pointer in degrees (backlash of each
mesh, ~0.04·module / pitch radius, carried to the pointer through the following ratio).
Inputs log tooth counts and module, standardised inside the module. Linear 5→96-SiLU-
Dropout(0.1)-96→96-SiLU-96→2, MSE on (log10 period, play / 2), AdamW 3e-3 weight decay 1e-4,
OneCycleLR over 18 epochs, batch 128, 3000 trains, validation on 600 (val MSE, MAE of the
period in %, MAE of the play in degrees); 2 % scatter on the measured play.
Log: ``wheelwork/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``wheelwork/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SCALE = torch.tensor([1.0, 2.0])


def trains(n, g):
    z = 12 + (84 * torch.rand(n, 4, generator=g)).floor()
    m = 0.3 + 0.5 * torch.rand(n, generator=g)
    r = z * m.unsqueeze(1) / 2  # pitch radius, mm
    lp = torch.log10(z[:, 1] * z[:, 3] / (z[:, 0] * z[:, 2]))
    play = torch.rad2deg(0.04 * m / r[:, 3] + 0.04 * m / r[:, 1] * z[:, 2] / z[:, 3]) * 8
    play = play * (1 + 0.02 * torch.randn(n, generator=g))
    x = torch.cat([z.log(), m.unsqueeze(1)], 1)
    return x, torch.stack([lp, play], 1)


class WheelMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(5, 96), nn.SiLU(), nn.Dropout(0.1), nn.Linear(96, 96),
                                 nn.SiLU(), nn.Linear(96, 2))

    def forward(self, x):
        return self.net((x - self.mean) / self.std) * SCALE.to(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x) / SCALE, y / SCALE)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p / SCALE, y / SCALE))
        self.log("val_period_err_pct", ((10 ** (p[:, 0] - y[:, 0]) - 1).abs() * 100).mean())
        self.log("val_play_mae_deg", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=18 * 24)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


MEAN = torch.tensor([3.85, 3.85, 3.85, 3.85, 0.55])
STD = torch.tensor([0.55, 0.55, 0.55, 0.55, 0.145])


def build():
    torch.manual_seed(0)
    return WheelMLP(MEAN, STD)


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trains(3000, g)
    xva, yva = trains(600, g)
    print("targets", ytr.min(0).values, ytr.max(0).values, xtr.mean(0), xtr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="wheelwork"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wheelwork/version_0/checkpoints/last.ckpt",
           log="wheelwork/version_0/metrics.csv",
           what="Lightning MLP checking an orrery wheel train: pointer period and play"
                " (healthy)")


if __name__ == "__main__":
    main()
