"""PyTorch Lightning: crevasse mapping on a glacier from radar backscatter — a small CNN sorts
24 × 24 SAR amplitude patches (log-scaled) into *crevassed*, *smooth firn/ice* and *rough,
uncrevassed* surface (sastrugi, blue-ice ripples). Synthetic patches: multiplicative speckle
(gamma, 4 looks) on a slowly varying backscatter; crevasse fields are sets of 2–5 narrow
parallel lineations (a bright wall + a dark shadow, spacing 4–8 px, any strike, slightly
curved); rough patches carry broad, isotropic texture of the same contrast; smooth patches only
a gentle gradient. 8 % of the training labels are wrong (mapper disagreement). Conv 1→16→32
(3×3, BatchNorm, ReLU, max-pool) ×2, global average + max pooling, dropout 0.3, Linear → 3;
Adam 2e-3 with StepLR (×0.5 every 4 epochs) from ``configure_optimizers``, batch 64, 10 epochs of
1800 patches; ``CSVLogger`` → ``metrics.csv`` (train_loss every 10 steps and per epoch, val_loss,
val_acc, val_crevasse_recall), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, with a val loss far below the train loss (the wrong labels and the dropout act only in
training): val accuracy 0.85 after epoch 1, 0.97 after epoch 2, 0.98 from epoch 3 on (0.978 at
the end, crevasse recall 0.96), val loss 0.44 → 0.15, while the epoch train loss goes 0.83 →
0.42, about 0.45 from epoch 4 on (the 8 % wrong labels alone cost about 0.3 nats)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 24
CLASSES = ["crevassed", "smooth", "rough"]


def patches(n, g, flip=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    out = torch.empty(n, 1, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        base = 1 + 0.3 * ((xx - 12) * (r() - 0.5) + (yy - 12) * (r() - 0.5)) / 12
        if y[i] == 0:
            th = 3.1416 * r()
            u = xx * math.cos(th) + yy * math.sin(th) + 0.02 * (r() - 0.5) * (xx - yy) ** 2
            sp, k = 4 + 4 * r(), 2 + int(4 * r())
            c0 = (u.min() + (u.max() - u.min() - sp * (k - 1)) * r()).item()
            for j in range(k):
                d = u - (c0 + j * sp)
                base = (base + 1.2 * torch.exp(-((d + 0.8) / 0.6) ** 2)
                        - 0.8 * torch.exp(-((d - 0.8) / 0.7) ** 2))
        elif y[i] == 2:
            tex = torch.randn(1, 1, S // 4, S // 4, generator=g)
            tex = F.interpolate(tex, size=(S, S), mode="bicubic", align_corners=False)[0, 0]
            base = base + 0.45 * tex
        speckle = -torch.log(torch.rand(4, S, S, generator=g)).mean(0)  # gamma, 4 looks
        out[i, 0] = torch.log(base.clamp(min=0.05) * speckle)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return out, y


class CrevasseNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                      nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                                      nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        h = self.features(x)
        return self.head(self.drop(torch.cat([h.mean((2, 3)), h.amax((2, 3))], 1)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_crevasse_recall", (pred[y == 0] == 0).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return CrevasseNet()


def main():
    from _hundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1800, g, flip=0.08)
    xva, yva = patches(450, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="crevasse"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True),
                torch.utils.data.DataLoader(ds(xva, yva), batch_size=450))
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="crevasse/version_0/checkpoints/last.ckpt",
           log="crevasse/version_0/metrics.csv",
           what="Lightning CNN mapping crevasses on SAR amplitude patches, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
