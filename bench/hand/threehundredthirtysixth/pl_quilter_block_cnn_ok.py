"""PyTorch Lightning: a 2-D CNN with batch norm names the pieced block in a photo crop of a
quilt top, for a quilter's pattern catalogue: nine-patch, four-patch, half-square triangle,
log cabin. Each crop is 24×24 RGB: two fabrics (random light and dark colours, the darker one
at least 0.25 below the lighter), laid out by the block's piecing rule (nine-patch 3×3
checker, four-patch 2×2 checker, half-square triangle split on a diagonal, log cabin strips
of 4 px added round a centre square, alternating light and dark sides), turned by a multiple
of 90°, seam lines a little darker, a print texture on each fabric and camera noise.
Input: (3, 24, 24) in [0, 1] minus 0.5. Model: Conv2d 3→16 (k3) + BN + ReLU + MaxPool2,
Conv2d 16→32 (k3) + BN + ReLU + MaxPool2, Conv2d 32→32 (k3) + BN + ReLU, global average pool,
Linear 32→4; cross-entropy, Adam 2e-3 with cosine decay over 8 epochs from
``configure_optimizers``, batch 48, 8 epochs, 960 crops, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``blockcat/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch``
/ ``val_xent`` / ``val_top1`` / ``val_top1_hst`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``blockcat/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 24


def crops(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    i = torch.arange(S).view(S, 1).expand(S, S)
    j = torch.arange(S).view(1, S).expand(S, S)
    nine = ((i // 8 + j // 8) % 2).float()
    four = ((i // 12 + j // 12) % 2).float()
    hst = (i > j).float()
    ring = torch.maximum((i - 11.5).abs(), (j - 11.5).abs()).floor()
    cabin = torch.where(ring < 4, torch.zeros_like(ring),
                        ((((ring - 4) // 4) + (i > j).float()) % 2))
    masks = torch.stack([nine, four, hst, cabin])[cls]
    rot = torch.randint(0, 4, (n,), generator=g)
    masks = torch.stack([torch.rot90(m, int(k), (0, 1)) for m, k in zip(masks, rot, strict=True)])
    light = 0.55 + 0.4 * r(n, 3)
    dark = (light - 0.25 - 0.4 * r(n, 3)).clamp(0.02, 1)
    m = masks.unsqueeze(1)
    img = light.view(n, 3, 1, 1) * (1 - m) + dark.view(n, 3, 1, 1) * m
    img = img * (1 + 0.08 * torch.sin(j * (0.8 + r(n, 1, 1, 1)) + i * r(n, 1, 1, 1) * 0.5))
    seam = ((m[:, :, 1:, :] - m[:, :, :-1, :]).abs())
    img[:, :, 1:, :] = img[:, :, 1:, :] - 0.1 * seam
    img = img + 0.04 * torch.randn(n, 3, S, S, generator=g)
    return img.clamp(0, 1) - 0.5, cls


class BlockCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

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
        self.log("val_top1", (pred == y).float().mean())
        self.log("val_top1_hst", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return BlockCNN()


def main():
    from _threehundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(960, g)
    xva, yva = crops(240, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="blockcat"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="blockcat/version_0/checkpoints/last.ckpt",
           log="blockcat/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm naming the pieced block (nine-patch /"
                " four-patch / half-square triangle / log cabin) in a quilt-top crop (healthy)")


if __name__ == "__main__":
    main()
