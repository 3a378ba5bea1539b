"""PyTorch Lightning: a 1-D CNN without batch norm reads a vertical electrical sounding (VES)
that a dowser turned well-siting consultant runs on a farm before the driller is paid, and
flags what lies underneath (multi-label): a fresh-water aquifer (40-150 ohm·m, at least 6 m
thick), a clay layer (8-30 ohm·m), a saline layer (1-6 ohm·m), and shallow bedrock (top
above 40 m). Earth: topsoil (1-4 m, 50-600 ohm·m), two layers of 3-40 m each drawn from dry
sand, fresh aquifer, clay or saline water, then bedrock (granite 800-5000 or shale 25-80
ohm·m) from 15 to 90 m. Schlumberger apparent resistivity at 24 half-spacings AB/2 from 1.5
to 300 m (log-spaced), each layer weighted by how much of it the current reaches at that
spacing (depth of investigation about AB/2 / 3), so thin layers are muted as in the field;
3 % reading noise. Input: (1, 24) log10 apparent resistivity minus 2.
Model: Conv1d 1→16 (k5) + ReLU, Conv1d 16→32 (k5) + ReLU + MaxPool2, Conv1d 32→32 (k3) +
ReLU, flatten, Linear 384→64 + ReLU, Linear 64→4; BCE with logits, Adam 2e-3 with cosine
decay over 14 epochs from ``configure_optimizers``, batch 64, 1600 soundings, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``sounding/version_0/metrics.csv`` (``bce`` every 5 steps, ``val_bce`` /
``val_exact`` / ``val_f1_fresh`` / ``val_f1_saline`` per epoch); checkpoints
``ModelCheckpoint(monitor="val_bce", save_last=True)`` →
``sounding/version_0/checkpoints/last.ckpt`` and the best epoch beside it."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SPACINGS = torch.logspace(math.log10(1.5), math.log10(300.0), 24)
FLAGS = ["fresh_aquifer", "clay", "saline", "shallow_bedrock"]
# dry sand, fresh aquifer, clay, saline water: log10 ohm·m ranges
RANGES = torch.tensor([[2.5, 3.2], [1.6, 2.18], [0.9, 1.48], [0.0, 0.78]])


def soundings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 4, (n, 2), generator=g)
    lo, hi = RANGES[kind, 0], RANGES[kind, 1]
    rho_mid = lo + (hi - lo) * r(n, 2)
    h_top = 1 + 3 * r(n)
    h_mid = 3 + 37 * r(n, 2)
    z1 = h_top
    z2 = z1 + h_mid[:, 0]
    z3 = torch.maximum(z2 + h_mid[:, 1], 15 + 75 * r(n))
    granite = r(n) < 0.5
    rho_bed = torch.where(granite, 2.9 + 0.8 * r(n), 1.4 + 0.5 * r(n))
    rho_top = 1.7 + 1.08 * r(n)
    logs = torch.stack([rho_top, rho_mid[:, 0], rho_mid[:, 1], rho_bed], 1)
    tops = torch.stack([z1, z2, z3], 1).log()
    depth = (SPACINGS / 3).log()
    reach = torch.sigmoid((depth[None, None, :] - tops[:, :, None]) / 0.35)
    ones, zeros = torch.ones(n, 1, 24), torch.zeros(n, 1, 24)
    w = torch.cat([ones, reach], 1) - torch.cat([reach, zeros], 1)
    rho_a = (w * logs[:, :, None]).sum(1) + 0.013 * torch.randn(n, 24, generator=g)
    thick = h_mid >= 6
    y = torch.stack([((kind == 1) & thick).any(1), (kind == 2).any(1), (kind == 3).any(1),
                     z3 < 40], 1).float()
    return (rho_a - 2).unsqueeze(1), y


class SoundingCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                                      nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                                      nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 12, 64), nn.ReLU(),
                                  nn.Linear(64, len(FLAGS)))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        hit = (logits > 0).float()

        def f1(j):
            tp = (hit[:, j] * y[:, j]).sum()
            return 2 * tp / (hit[:, j].sum() + y[:, j].sum()).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (hit == y).all(1).float().mean())
        self.log("val_f1_fresh", f1(0))
        self.log("val_f1_saline", f1(2))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)}


def build():
    torch.manual_seed(0)
    return SoundingCNN()


def main():
    from _fourhundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = soundings(1600, g)
    xva, yva = soundings(400, g)
    print("flag rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(monitor="val_bce", save_top_k=1, save_last=True,
                           filename="best-{epoch:02d}")
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="sounding"),
                        callbacks=[ckpt], enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1,
                        log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="sounding/version_0/checkpoints/last.ckpt",
           log="sounding/version_0/metrics.csv",
           what="Lightning 1-D CNN without batch norm flagging fresh aquifer / clay / saline"
                " water / shallow bedrock from a resistivity sounding (healthy)")


if __name__ == "__main__":
    main()
