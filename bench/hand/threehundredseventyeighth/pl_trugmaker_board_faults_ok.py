"""PyTorch Lightning: a residual MLP tells a Sussex trug-maker which faults a cleft willow
board is likely to show once it is steamed, bent into the chestnut rim and nailed, so bad
boards go to the firewood pile before the work goes into them. Multi-label, 3 faults:
splits at the nails, cups as it dries, cracks in the steam bend. 8 measurements taken at the
shaving horse: thickness (mm, 3-7), moisture content (%, 12-40), grain slope (°, 0-12),
knots per board (0-4), ring width (mm, 2-9), density (kg/m³, 350-520), steaming time
(min, 10-45), width (mm, 40-110). The faults follow the trade's rules of thumb: thin,
dry boards with sloping grain split; wide, wet boards with wide rings cup; dense boards with
knots that were not steamed long enough crack; each through a logistic with some spread.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, 3 residual blocks
(LayerNorm, Linear 64→64, ReLU, Linear 64→64, added back), LayerNorm, Linear 64→3;
``BCEWithLogitsLoss``, Adam 3e-3 with OneCycleLR (per step) from ``configure_optimizers``,
batch 48, 12 epochs, 1440 boards, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``trugshop/version_0/metrics.csv`` (``bce_step`` every 10 steps,
``bce_epoch`` / ``val_bce`` / ``val_exact`` (all three faults right) / ``val_f1_split`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``trugshop/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def boards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick, moist, slope = 3 + 4 * r(n), 12 + 28 * r(n), 12 * r(n)
    knots = torch.randint(0, 5, (n,), generator=g).float()
    ring, dens = 2 + 7 * r(n), 350 + 170 * r(n)
    steam, width = 10 + 35 * r(n), 40 + 70 * r(n)
    z_split = 1.2 * (4.8 - thick) + 0.15 * (20 - moist) + 0.45 * (slope - 6)
    z_cup = 0.06 * (width - 80) + 0.12 * (moist - 25) + 0.5 * (ring - 5.5)
    z_crack = 0.03 * (dens - 440) + 0.6 * (knots - 2) - 0.15 * (steam - 27)
    z = torch.stack([z_split, z_cup, z_crack], 1)
    y = (torch.sigmoid(1.5 * z) > r(n, 3)).float()
    x = torch.stack([thick, moist, slope, knots, ring, dens, steam, width], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(self.norm(x))))


class BoardFaults(L.LightningModule):
    def __init__(self, steps=360):
        super().__init__()
        self.steps = steps
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 0] * y[:, 0]).sum()
        f1 = 2 * tp / (pred[:, 0].sum() + y[:, 0].sum()).clamp_min(1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_split", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=self.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return BoardFaults()


def main():
    from _threehundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = boards(1440, g)
    rva, yva = boards(360, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="trugshop"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="trugshop/version_0/checkpoints/last.ckpt",
           log="trugshop/version_0/metrics.csv",
           what="Lightning residual MLP, multi-label: split / cup / steam-crack faults of a"
                " trug-maker's cleft willow board from shaving-horse measurements (healthy)")


if __name__ == "__main__":
    main()
