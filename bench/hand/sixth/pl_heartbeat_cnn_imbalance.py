"""Lightning: single heartbeats (1 lead, 128 samples) -> normal / premature ventricular beat,
a 1-D CNN with BatchNorm, SGD + momentum 0.9, lr 0.01. The recording has 1 PVC for every 49
normal beats and the loader is the plain shuffled one with an unweighted cross-entropy (bug:
class imbalance -- the net learns "always normal": val accuracy 0.98 while PVC recall is 0;
the same beats sampled half/half reach recall 0.96, so the PVCs are learnable). The checkpoint
monitors val_acc, so it looks great. CSVLogger with val_acc and val_pvc_recall."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def beats(n, g, pvc_rate=0.02):
    y = (torch.rand(n, generator=g) < pvc_rate).long()
    t = torch.linspace(-1, 1, 128)
    width = torch.where(y == 1, 0.075, 0.05)[:, None]
    shift = 0.05 * torch.randn(n, 1, generator=g)
    qrs = torch.exp(-((t - shift) / width) ** 2)
    twave = 0.25 * torch.exp(-((t - 0.45 - shift) / 0.12) ** 2)
    twave = torch.where(y[:, None] == 1, 0.6 * twave, twave)
    x = qrs + twave + 0.3 * torch.randn(n, 128, generator=g)
    return x[:, None], y


class BeatNet(L.LightningModule):
    def __init__(self, lr=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_pvc_recall", ((pred == 1) & (y == 1)).sum() / (y == 1).sum().clamp(min=1))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def build():
    torch.manual_seed(0)
    return BeatNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = beats(3000, g), beats(1000, g)
    print("PVC share", y.float().mean().item())
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="beats"),
                        callbacks=[ModelCheckpoint(monitor="val_acc", mode="max",
                                                   save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=500))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:256], vy[:256]), causes=["class_imbalance"],
           checkpoint="beats/version_0/checkpoints/last.ckpt", log="beats/version_0/metrics.csv",
           what="2 % PVC beats, unweighted cross-entropy: the net predicts 'normal' always",
           complaint="98% accuracy but it never detects a single PVC beat")


if __name__ == "__main__":
    main()
