"""PyTorch Lightning: a 1-D CNN with BatchNorm names the rock in a 64-sample window (10 cm a
sample) of a borehole log drilled ahead of a halite mine's workings: halite, anhydrite or
potash-bearing salt (sylvinite), from two logged channels, natural gamma ray and sonic
slowness. Halite: low gamma, slowness ~67 µs/ft; anhydrite: low gamma, ~50 µs/ft; sylvinite:
high, patchy gamma (⁴⁰K) with halite-like slowness. Every window also has thin clay seams
(gamma spikes and slow sonic) at random depths, a slow drift of both tools and noise, and the
window's label is the rock of the bed making up most of it (a second bed can cut in at one
end). Channels standardised. Conv1d(2→16, 7)-BN-ReLU-pool, Conv1d(16→32, 5)-BN-ReLU-pool,
Conv1d(32→32, 3)-BN-ReLU, global average pool, Linear(32→3); Adam 1e-3 with weight decay 1e-4
from ``configure_optimizers``, batch 32, 8 epochs of 1024 windows, shuffled. ``CSVLogger`` →
``metrics.csv`` (train loss every 8 steps, val loss / accuracy per epoch),
``ModelCheckpoint(save_last=True, save_top_k=0)``.
Healthy: val accuracy 0.965 after epoch 1, then 0.98, 0.973, 0.984, 0.988, 0.988, 0.988,
0.977; val loss 0.39 → 0.092 (falling every epoch while the accuracy wobbles); the per-step
train loss is noisy."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

N = 64
GAMMA = torch.tensor([15.0, 22.0, 40.0])   # API
SONIC = torch.tensor([67.0, 59.0, 68.0])   # µs/ft


def windows(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    other = (y + torch.randint(1, 3, (n,), generator=g)) % 3
    cut = torch.randint(0, 28, (n,), generator=g)               # other bed's thickness
    top = torch.rand(n, generator=g) < 0.5
    d = torch.arange(N)
    in_other = torch.where(top[:, None], d[None] < cut[:, None], d[None] >= N - cut[:, None])
    rock = torch.where(in_other, other[:, None], y[:, None])
    gam = GAMMA[rock] * (1 + 0.5 * (rock == 2) * torch.rand(n, N, generator=g))
    son = SONIC[rock].clone()
    seam = torch.rand(n, N, generator=g) < 0.04
    seam = seam | seam.roll(1, 1)
    gam = gam + seam * 60
    son = son + seam * 25
    drift = torch.randn(n, 2, 1, generator=g) * torch.linspace(-1, 1, N)
    gam = gam + 8 * drift[:, 0] + 18 * torch.randn(n, N, generator=g)
    son = son + 3 * drift[:, 1] + 9 * torch.randn(n, N, generator=g)
    x = torch.stack([(gam - 45) / 35, (son - 62) / 9], 1)
    return x, y


class LithologyCNN(L.LightningModule):
    def __init__(self, lr=1e-3, weight_decay=1e-4):
        super().__init__()
        self.save_hyperparameters()

        def block(i, o, k):
            return [nn.Conv1d(i, o, k, padding=k // 2), nn.BatchNorm1d(o), nn.ReLU()]
        self.net = nn.Sequential(*block(2, 16, 7), nn.MaxPool1d(2), *block(16, 32, 5),
                                 nn.MaxPool1d(2), *block(32, 32, 3), nn.AdaptiveAvgPool1d(1),
                                 nn.Flatten(), nn.Linear(32, 3))

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)


def build():
    torch.manual_seed(0)
    return LithologyCNN()


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="lithology"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="lithology/version_0/checkpoints/last.ckpt",
           log="lithology/version_0/metrics.csv",
           what="Lightning 1-D CNN (BatchNorm) naming halite / anhydrite / sylvinite from"
                " borehole gamma and sonic logs (healthy)")


if __name__ == "__main__":
    main()
