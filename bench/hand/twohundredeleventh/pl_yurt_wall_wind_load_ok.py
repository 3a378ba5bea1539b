"""PyTorch Lightning: a 1-D CNN rates the wind load on a yurt's lattice wall from 64 samples
(4 Hz, 16 s) of three sensors on the wall: a strain gauge on the tension band, a roof-ring
accelerometer and an anemometer on the door frame. Three classes: calm (small strain, slow
drift), gusty (strain tracks intermittent gusts with a short lag), and overload (the strain
rises faster than the wind and the roof ring starts to rock at its own frequency). Levels,
gust timing and noise are random. Conv1d(3→16,k5)-BN-ReLU-pool, Conv1d(16→32,k5)-BN-ReLU-pool,
Conv1d(32→32,k3)-ReLU, global average pool, dropout 0.3, Linear(32→3); AdamW 3e-3 with
cosine annealing over 10 epochs, batch 32, 1024 windows, shuffled; 8 % of the training labels
are wrong (the person labelling the field recordings disagreed with themself).
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss and accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val accuracy 0.68 after epoch 1, 0.95 after epoch 2, 0.98–1.00 from epoch 3; val
loss 0.52 → 0.09, well below the train loss (≈ 0.4–0.56 at the end: the 8 % wrong labels and
dropout apply only to training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 64


def windows(n, g, flip=0.0):
    t = torch.arange(T).float() / 4
    y = torch.randint(0, 3, (n,), generator=g)
    base = 0.5 + torch.rand(n, 1, generator=g)
    gust_c = 16 * torch.rand(n, 3, generator=g)
    gusts = sum(torch.exp(-((t - gust_c[:, k:k + 1]) ** 2) / 0.8) for k in range(3))
    wind = base + (y[:, None] >= 1).float() * (0.8 + 0.4 * torch.rand(n, 1, generator=g)) * gusts
    wind = wind + 0.1 * torch.sin(0.3 * t + 6 * torch.rand(n, 1, generator=g))
    lag = torch.cat([wind[:, :2], wind[:, :-2]], 1)
    over = (y[:, None] == 2).float()
    strain = 0.4 * lag + over * 0.12 * t * (0.7 + 0.6 * torch.rand(n, 1, generator=g))
    ring = 0.2 * lag * torch.sin(2 * torch.pi * 0.9 * t) + over * 0.5 * torch.sin(
        2 * torch.pi * 0.35 * t + 6 * torch.rand(n, 1, generator=g)) * (t / 16)
    x = torch.stack([strain, ring, wind], 1) + 0.15 * torch.randn(n, 3, T, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class WallLoad(L.LightningModule):
    def __init__(self, lr=3e-3, epochs=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3),
                                 nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return [opt], [sched]


def build():
    torch.manual_seed(0)
    return WallLoad()


def main():
    from _twohundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g, flip=0.08)
    xva, yva = windows(256, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=256)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="wall"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False, deterministic=True)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wall/version_0/checkpoints/last.ckpt",
           log="wall/version_0/metrics.csv",
           what="Lightning 1-D CNN rating yurt wall wind load from strain/ring/wind sensors,"
                " 8 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
