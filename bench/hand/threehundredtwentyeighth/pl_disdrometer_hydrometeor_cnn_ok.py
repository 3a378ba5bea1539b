"""PyTorch Lightning: a 2-D CNN with batch norm names the precipitation type of one minute of
an optical disdrometer's record (the Parsivel-style size x fall-speed matrix): rain, snow,
graupel, hail. Each particle's fall speed follows its type's rule: rain the Gunn-Kinzer
terminal velocity v = 9.65 - 10.3 exp(-0.6 D) (Marshall-Palmer exponential sizes), snow a
near-constant 0.7-1.4 m/s for aggregates of 1-10 mm, graupel v = 1.3 D^0.66, hail
v = 3.6 sqrt(D) for 5-12 mm stones (with a few rain drops melted off), each with about 10 %
speed scatter, and 8-25 % of the particles of a minute drawn as another type (mixed phase,
splashes). The matrix is 12 size bins (1 mm) x 12 speed bins (1 m/s) of log1p counts.
Input: (1, 12, 12). Model: Conv2d 1->16 (k3) + BN + ReLU, Conv2d 16->32 (k3) + BN + ReLU +
MaxPool2, Conv2d 32->32 (k3) + BN + ReLU, global average pool, Linear 32->4; cross-entropy,
Adam 2e-3 with CosineAnnealingLR over the 8 epochs from ``configure_optimizers``, batch 48,
1440 minutes, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``parsivel/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_graupel`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` -> ``parsivel/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

TYPES = ["rain", "snow", "graupel", "hail"]
P = 160  # particles drawn per minute (a count mask keeps 40-160)


def speeds(kind, n, g):
    r = torch.rand(n, P, generator=g)
    lam = (1.2 + 2.0 * torch.rand(n, 1, generator=g))
    d_rain = (-torch.log(1 - 0.98 * r) / lam).clamp(0.3, 6.0)
    v_rain = 9.65 - 10.3 * torch.exp(-0.6 * d_rain)
    d_snow = 1 + 9 * r ** 1.5
    v_snow = 0.7 + 0.7 * torch.rand(n, 1, generator=g) + 0.0 * d_snow
    d_grau = 0.5 + 4.5 * r
    v_grau = 1.3 * d_grau ** 0.66
    d_hail = 5 + 7 * r ** 2
    v_hail = 3.6 * d_hail ** 0.5
    d = torch.stack([d_rain, d_snow, d_grau, d_hail], 0)
    v = torch.stack([v_rain, v_snow, v_grau, v_hail], 0)
    idx = kind.view(1, n, 1).expand(1, n, P)
    return d.gather(0, idx)[0], v.gather(0, idx)[0]


def minutes(n, g):
    cls = torch.randint(0, 4, (n,), generator=g)
    other = (cls + torch.randint(1, 4, (n,), generator=g)) % 4
    share = 0.08 + 0.17 * torch.rand(n, 1, generator=g)
    mixed = torch.rand(n, P, generator=g) < share
    kind = torch.where(mixed, other.unsqueeze(1), cls.unsqueeze(1))
    d = torch.zeros(n, P)
    v = torch.zeros(n, P)
    for k in range(4):
        dk, vk = speeds(torch.full((n,), k), n, g)
        d = torch.where(kind == k, dk, d)
        v = torch.where(kind == k, vk, v)
    v = v * (1 + 0.1 * torch.randn(n, P, generator=g))
    count = torch.randint(40, P + 1, (n, 1), generator=g)
    keep = (torch.arange(P).unsqueeze(0) < count).float()
    db = d.floor().clamp(0, 11).long()
    vb = v.floor().clamp(0, 11).long()
    m = torch.zeros(n, 144).scatter_add_(1, db * 12 + vb, keep)
    return torch.log1p(m).view(n, 1, 12, 12), cls


class HydroCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_graupel", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return HydroCNN()


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = minutes(1440, g)
    xva, yva = minutes(360, g)
    print("types", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="parsivel"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="parsivel/version_0/checkpoints/last.ckpt",
           log="parsivel/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm naming rain / snow / graupel / hail from a"
                " disdrometer's size x fall-speed matrix (healthy)")


if __name__ == "__main__":
    main()
