"""PyTorch Lightning: a small ResMLP image classifier on synthetic 32×32 RGB images. The class
(4) is the orientation of a sinusoidal grating (0°, 45°, 90°, 135°) with a random frequency,
phase and colour tint, under a random smooth illumination gradient and pixel noise σ 1.4; 6 %
of the labels, training and validation alike, are wrong (a careless annotator).
8×8 patches → 16 patches embedded to 64; 2 ResMLP blocks, each an Affine (per-channel α, β)
→ cross-patch linear (16 × 16) → layer-scale residual, then Affine → per-patch MLP
(64 → 128 → 64, GELU) → layer-scale residual; a final Affine, mean over patches, linear head.
AdamW 2e-3, weight decay 0.05, batch 64, 5 epochs of 3600 images, 600 for validation;
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val accuracy
sits at 0.937–0.940 from the first epoch on (the 6 % wrong labels are the ceiling) and the val
loss flat at 0.33–0.37, the label-noise floor (≈ 0.29 nats for a calibrated model); the train
loss falls 0.97 → 0.30 to meet it."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SIZE, PATCH, DIM, CLASSES = 32, 8, 64, 4
TOKENS = (SIZE // PATCH) ** 2


def gratings(n, g, flip=0.0):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    angle = y.float() * torch.pi / 4
    freq = 0.5 + 0.4 * torch.rand(n, generator=g)
    phase = 2 * torch.pi * torch.rand(n, generator=g)
    r = torch.arange(SIZE).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    proj = xx[None] * torch.cos(angle)[:, None, None] + yy[None] * torch.sin(angle)[:, None, None]
    wave = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    tint = 0.5 + torch.rand(n, 3, 1, 1, generator=g)
    light = (torch.rand(n, 1, 1, 1, generator=g) - 0.5) * (xx + yy)[None, None] / SIZE
    x = wave[:, None] * tint + light + 1.4 * torch.randn(n, 3, SIZE, SIZE, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return x, y


class Affine(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.alpha, self.beta = nn.Parameter(torch.ones(dim)), nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        return self.alpha * x + self.beta


class ResMLPBlock(nn.Module):
    def __init__(self, dim, tokens, scale=0.1):
        super().__init__()
        self.aff1, self.aff2 = Affine(dim), Affine(dim)
        self.cross_patch = nn.Linear(tokens, tokens)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.ls1 = nn.Parameter(torch.full((dim,), scale))
        self.ls2 = nn.Parameter(torch.full((dim,), scale))

    def forward(self, x):
        x = x + self.ls1 * self.cross_patch(self.aff1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.ls2 * self.mlp(self.aff2(x))


class ResMLP(L.LightningModule):
    def __init__(self, lr=2e-3, weight_decay=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.embed = nn.Conv2d(3, DIM, PATCH, stride=PATCH)
        self.blocks = nn.Sequential(*[ResMLPBlock(DIM, TOKENS) for _ in range(2)])
        self.norm = Affine(DIM)
        self.head = nn.Linear(DIM, CLASSES)

    def forward(self, x):
        tokens = self.embed(x).flatten(2).transpose(1, 2)
        return self.head(self.norm(self.blocks(tokens)).mean(1))

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", nn.functional.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                 weight_decay=self.hparams.weight_decay)


def build():
    torch.manual_seed(0)
    return ResMLP()


def main():
    from _fiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xt, yt = gratings(3600, g, flip=0.06)
    xv, yv = gratings(600, g, flip=0.06)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xt, yt), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xv, yv), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=5, logger=CSVLogger(str(out), name="resmlp"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xv[:128], yv[:128]), causes=[],
           checkpoint="resmlp/version_0/checkpoints/last.ckpt",
           log="resmlp/version_0/metrics.csv",
           what="Lightning ResMLP (affine norm, cross-patch + cross-channel), synthetic gratings, "
                "6 % wrong labels (healthy)")


if __name__ == "__main__":
    main()
