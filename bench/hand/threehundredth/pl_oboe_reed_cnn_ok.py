"""PyTorch Lightning: a 1-D CNN with batch norm reads the scrape profile of a finished oboe
reed (the cane thickness in 48 points from the tip to the thread, measured with a dial
gauge) and predicts how far the reed's crow sits from the C the maker aims for, in cents.
The tip, the heart and the back of the scrape work differently: a thick tip or a heavy
heart raise the crow and make the reed hard to blow, thin rails let it drop, a long tip
lowers it; the gouge of the cane (its hardness, one number per piece of cane) shifts the
whole profile, and the gauge adds 0.01 mm of scatter. Target: cents / 50.
Input: (2, 48) thickness minus 0.4 mm, × 5, and its point-to-point slope × 20.
CNN: Conv1d 2→16 k5-BN-ReLU, 16→32 k5-BN-ReLU-MaxPool2, 32→32 k3-BN-ReLU, global average
pool, Linear 32→1; MSE, AdamW 3e-3 (weight decay 1e-3) with OneCycleLR stepped per batch from
``configure_optimizers``, batch 64, 10 epochs, 1280 reeds, validation on 320.
Healthy; numbers in the README.
Log: CSVLogger ``reeds/version_0/metrics.csv`` (``train_loss`` every 4 steps, ``val_loss`` and
``val_mae_cents`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``reeds/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

P = 48  # gauge points, tip (0) to thread (47)
EPOCHS = 10


def reeds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = torch.linspace(0, 1, P)
    tip_len = 0.12 + 0.12 * r(n, 1)
    tip = 0.08 + 0.06 * r(n, 1)
    heart = 0.45 + 0.2 * r(n, 1)
    back = 0.55 + 0.15 * r(n, 1)
    rails = 0.9 + 0.2 * r(n, 1)
    hard = r(n, 1) - 0.5
    thick = torch.where(z < tip_len, tip + 0.02 * z / tip_len,
                        heart + (back - heart) * ((z - tip_len) / (1 - tip_len)) ** 1.5)
    thick = thick * (0.5 * rails + 0.5 + 0.5 * (rails - 1) * torch.cos(3.14 * z)) * (1 + 0.05 * hard)
    cents = (900 * (tip - 0.11) + 180 * (heart - 0.55) - 250 * (tip_len - 0.18)
             + 120 * (rails - 1) + 30 * hard)
    thick = thick + 0.01 * torch.randn(n, P, generator=g)
    x = (thick - 0.4) * 5
    slope = torch.diff(x, dim=1, prepend=x[:, :1]) * 20
    return torch.stack([x, slope], 1), cents / 50


class ReedCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.net(x).mean(2))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_cents", 50 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * 20)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return ReedCNN()


def main():
    from _threehundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = reeds(1280, g)
    xva, yva = reeds(320, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="reeds"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=320))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="reeds/version_0/checkpoints/last.ckpt",
           log="reeds/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm predicting an oboe reed's crow pitch (cents)"
                " from its scrape profile (healthy)")


if __name__ == "__main__":
    main()
