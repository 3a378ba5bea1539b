"""PyTorch Lightning: SwAV-style self-supervised encoder on synthetic 16×16 texture images
(8 kinds: gratings at 8 orientations 22.5° apart, random frequency, phase and contrast, strong
pixel noise σ 0.9). Two augmented views per image (random shift of up to 3 pixels with
wrap-around, brightness and contrast jitter, fresh noise); a 3-layer conv encoder with
BatchNorm and global average pooling (64-d), a projector to 32-d, L2-normalised, scored
against 24 prototypes (a bias-free linear layer re-normalised every step, frozen for the
first 30 steps); assignments by Sinkhorn-Knopp (ε 0.05, 3 iterations) on each view,
swapped prediction with temperature 0.1.
Adam 2e-3, batch 128, 10 epochs over 2048 unlabelled images; ``CSVLogger`` → ``metrics.csv``
(train loss every 5 steps, per epoch the val SwAV loss and a linear-probe accuracy: a logistic
regression fitted on the frozen 64-d features of 400 labelled val images, scored on the other
400), ``ModelCheckpoint(save_last=True)``. Healthy: the val SwAV loss falls from 3.25 (log 24
= 3.18) to 1.31 and is still falling (it stays high in absolute terms: the swapped codes are
soft), while the probe accuracy climbs from 0.63 after the first epoch to 0.97 (chance 0.125)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, KINDS, PROTOS = 16, 8, 24


def textures(n, g):
    kind = torch.randint(0, KINDS, (n,), generator=g)
    theta = kind.float() * math.pi / KINDS
    freq = 0.5 + 0.6 * torch.rand(n, generator=g)
    phase = torch.rand(n, generator=g) * 2 * math.pi
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    arg = (xx[None] * theta.cos()[:, None, None] + yy[None] * theta.sin()[:, None, None])
    img = torch.sin(arg * freq[:, None, None] + phase[:, None, None])
    img = img * (0.5 + torch.rand(n, 1, 1, generator=g))
    img = img + 0.9 * torch.randn(n, S, S, generator=g)
    return img[:, None], kind


def augment(x):
    n = len(x)
    dx, dy = torch.randint(-3, 4, (2,)).tolist()
    x = torch.roll(x, (dy, dx), (2, 3))
    x = x * (0.7 + 0.6 * torch.rand(n, 1, 1, 1)) + 0.3 * torch.randn(n, 1, 1, 1)
    return x + 0.2 * torch.randn_like(x)


@torch.no_grad()
def sinkhorn(scores, eps=0.05, iters=3):
    q = torch.exp(scores / eps).T
    q /= q.sum()
    k, b = q.shape
    for _ in range(iters):
        q /= q.sum(1, keepdim=True) * k
        q /= q.sum(0, keepdim=True) * b
    return (q * b).T


class SwAV(L.LightningModule):
    def __init__(self, lr=2e-3, temperature=0.1, freeze_steps=30):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.projector = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
        self.prototypes = nn.Linear(32, PROTOS, bias=False)
        self.feats = []

    def forward(self, x):
        return self.encoder(x)

    def training_step(self, batch, _):
        x, _ = batch
        with torch.no_grad():
            self.prototypes.weight.copy_(F.normalize(self.prototypes.weight, dim=1))
        loss = self.swav_loss(x)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def swav_loss(self, x):
        z1 = F.normalize(self.projector(self(augment(x))), dim=1)
        z2 = F.normalize(self.projector(self(augment(x))), dim=1)
        s1, s2 = self.prototypes(z1), self.prototypes(z2)
        q1, q2 = sinkhorn(s1.detach()), sinkhorn(s2.detach())
        t = self.hparams.temperature
        return -0.5 * ((q1 * F.log_softmax(s2 / t, 1)).sum(1).mean()
                       + (q2 * F.log_softmax(s1 / t, 1)).sum(1).mean())

    def on_after_backward(self):
        if self.global_step < self.hparams.freeze_steps:
            self.prototypes.weight.grad = None

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_swav_loss", self.swav_loss(x))
        self.feats.append((self(x).detach(), y))

    def on_validation_epoch_end(self):
        f = torch.cat([a for a, _ in self.feats])
        y = torch.cat([b for _, b in self.feats])
        self.feats = []
        f = (f - f.mean(0)) / (f.std(0) + 1e-6)
        half = len(f) // 2
        with torch.enable_grad(), torch.inference_mode(False):
            probe = nn.Linear(f.shape[1], KINDS)
            opt = torch.optim.Adam(probe.parameters(), lr=0.05)
            ftr, ytr = f[:half].clone(), y[:half].clone()
            for _ in range(150):
                loss = F.cross_entropy(probe(ftr), ytr) + 1e-3 * probe.weight.pow(2).sum()
                opt.zero_grad()
                loss.backward()
                opt.step()
            acc = (probe(f[half:].clone()).argmax(1) == y[half:]).float().mean()
        self.log("probe_acc", acc)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return SwAV()


def main():
    from _fiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, kind = textures(2048 + 800, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:2048], kind[:2048]), batch_size=128,
                                        shuffle=True, drop_last=True)
    val = torch.utils.data.DataLoader(ds(x[2048:], kind[2048:]), batch_size=800)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="swav"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False, num_sanity_val_steps=0)
    trainer.fit(build(), train, val)
    finish(out, __file__, (x[2048:2176], kind[2048:2176]), causes=[],
           checkpoint="swav/version_0/checkpoints/last.ckpt", log="swav/version_0/metrics.csv",
           what="Lightning SwAV on synthetic textures, Sinkhorn codes, linear probe (healthy)")


if __name__ == "__main__":
    main()
