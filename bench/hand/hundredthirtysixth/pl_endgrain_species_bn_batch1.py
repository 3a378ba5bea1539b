"""PyTorch Lightning: a furniture maker's timber intake sorts reclaimed boards by species from a
macro photo of the planed end grain (hand lens view, 10×), before they go to the joinery
bench. Classes: 0 oak (ring-porous: a band of large earlywood pores at the start of each
growth ring, rays), 1 maple (diffuse-porous: small even pores, faint rings), 2 pine (no pores,
dark latewood bands, a few resin canals), 3 walnut (medium pores scattered through the
ring). Rings run across the photo with curvature and spacing that vary by board;
the workshop light varies from photo to photo (gain 0.4–1.6, offset ±0.6), and the photos are
full-resolution crops the author keeps large (40 × 40 here, grey). A BatchNorm CNN (3
conv–BN–ReLU blocks 16/32/32, max pools, global average pool, linear head) in a
LightningModule, Adam 3e-3, ``max_steps=1440`` (3 epochs of 480 photos at batch 1); CSVLogger →
``grain/version_0/metrics.csv`` (train loss / acc per epoch, val loss / acc per epoch),
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Bug: "the photos are big, one at a time or my laptop swaps": ``DataLoader(..., batch_size=1)``
under BatchNorm. Each training step normalises one photo by its own channel statistics (an
instance norm, which also wipes out the lighting); the running averages the model is evaluated
with are a different normalisation. Train accuracy 0.33 → 0.64 → 0.86, train loss 1.33 → 0.65,
but val accuracy (eval mode) 0.18, 0.30, 0.25 (chance 0.25) with val loss 1.64 → 1.84 → 4.44;
the same validation photos through the final model with BN on batch statistics, one photo at a
time: accuracy 0.94. The control (``batch_size=32``, the same 1440 steps) reaches val accuracy
0.95 after 120 steps and 0.9875 at the end, val loss 0.024. A first draft (batch 2, 56 px,
BatchNorm1d in the head, 5 epochs) did not learn even in train mode (train acc 0.33) and its
batch-32 control reached only 0.64, so the head lost its BatchNorm1d, the photos were made
simpler and the run became batch 1 (see the README)."""
import copy
import sys

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 40
SPECIES = ["oak", "maple", "pine", "walnut"]


def photos(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    r = torch.arange(S).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    out = torch.zeros(n, 1, S, S)
    for i in range(n):
        k = int(y[i])
        u = torch.rand(6, generator=g)
        spacing = 10 + 8 * float(u[0])
        bend = (0.003 + 0.006 * float(u[1])) * (xx - S * float(u[2])) ** 2
        pos = ((yy + bend + spacing * float(u[3])) % spacing) / spacing   # 0..1 across a ring
        img = 0.65 - 0.1 * pos                                    # earlywood light, latewood darker
        if k == 2:
            img = img - 0.4 * (pos > 0.7).float()                 # dark pine latewood band
        npores, rad = {0: 70, 1: 160, 2: 3, 3: 45}[k], {0: 1.6, 1: 0.6, 2: 1.0, 3: 1.3}[k]
        py, px = torch.rand(npores, generator=g) * (S - 1), torch.rand(npores, generator=g) * (S - 1)
        keep = torch.ones(npores, dtype=torch.bool)
        if k == 0:                                                # oak: pores only in earlywood
            keep = pos[py.long(), px.long()] < 0.25
        py, px = py[keep], px[keep]
        d2 = (yy[None] - py[:, None, None]) ** 2 + (xx[None] - px[:, None, None]) ** 2
        img = img - 0.5 * torch.exp(-d2 / (2 * rad ** 2)).sum(0).clamp(max=1.0)
        if k == 0:                                                # oak rays, across the rings
            c = torch.rand(3, generator=g) * S
            img = img + 0.15 * torch.exp(-((xx[None] - c[:, None, None]) / 0.8) ** 2).sum(0)
        gain = 0.4 + 1.2 * float(u[4])                            # workshop light
        offset = 0.6 * (2 * float(u[5]) - 1)
        out[i, 0] = gain * img + offset + 0.05 * torch.randn(S, S, generator=g)
    return out, y


class GrainNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())
        self.features = nn.Sequential(block(1, 16), nn.MaxPool2d(2), block(16, 32), nn.MaxPool2d(2),
                                      block(32, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return GrainNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = photos(640, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:480], y[:480]), batch_size=1, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[480:], y[480:]), batch_size=160)
    L.seed_everything(0)
    trainer = L.Trainer(max_steps=1440, logger=CSVLogger(str(out), name="grain"),
                        callbacks=[ModelCheckpoint(save_last=True)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=20,
                        enable_model_summary=False)
    model = build()
    trainer.fit(model, train, val)
    print(trainer.callback_metrics)
    probe = copy.deepcopy(model).train()   # the same val photos, BN on batch statistics
    with torch.no_grad():
        acc = [(probe(x[i:i + 1]).argmax(1) == y[i:i + 1]).float().mean() for i in range(480, 640)]
    print("val acc, BN on batch statistics, one photo at a time:", torch.stack(acc).mean().item())
    finish(out, __file__, (x[480:512], y[480:512]), causes=["bn_small_batch"],
           checkpoint="grain/version_0/checkpoints/last.ckpt",
           log="grain/version_0/metrics.csv",
           what="Lightning BatchNorm CNN, timber species from end-grain photos, trained with batch 2",
           complaint="Training accuracy of my end-grain species classifier climbs to 0.86 in 3 "
                     "epochs, but validation accuracy is 0.18, 0.30, 0.25: pure chance for 4 "
                     "species, and the validation loss shot up to 4.4. I can only fit one photo per "
                     "batch (batch_size=1) because the images are big. It is the same kind of photos "
                     "in train and validation, taken at the same bench.")


if __name__ == "__main__":
    main()
