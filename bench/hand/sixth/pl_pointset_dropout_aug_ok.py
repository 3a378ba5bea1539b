"""Lightning: the PointNet/DeepSets classifier for 2-D point clouds (circle, square, cross,
two blobs), now with dropout 0.3 in the head and train-time augmentation (random rotation and
point jitter), Adam 2e-3, 16 epochs, CSVLogger + ModelCheckpoint. Val loss sits below the train
loss for most of the run -- dropout and augmentation act only in training -- and both end near
0.24 with val accuracy ~0.88 and flat (healthy)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

P = 64


def clouds(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.rand(n, P, generator=g) * 6.2832
    circle = torch.stack([t.cos(), t.sin()], -1)
    s = torch.rand(n, P, generator=g) * 2 - 1
    side = torch.randint(0, 4, (n, P), generator=g)
    square = torch.stack([torch.where(side < 2, s, (side - 2.5).sign()),
                          torch.where(side < 2, (side - 0.5).sign(), s)], -1)
    arm = torch.rand(n, P, generator=g) < 0.5
    cross = torch.stack([torch.where(arm, s, 0 * s), torch.where(arm, 0 * s, s)], -1)
    blobs = 0.25 * torch.randn(n, P, 2, generator=g)
    blobs[..., 0] += torch.where(arm, -0.6, 0.6)
    pts = torch.stack([circle, square, cross, blobs], 1)[torch.arange(n), y]
    scale = 0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)
    return pts * scale + 0.05 * torch.randn(n, P, 2, generator=g), y


class PointSetModule(L.LightningModule):
    def __init__(self, h=64, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.phi = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Dropout(0.3), nn.Linear(h, 4))

    def forward(self, pts):
        return self.rho(self.phi(pts).max(dim=1).values)

    def training_step(self, batch, batch_idx):
        pts, y = batch
        a = torch.rand(len(pts), device=pts.device) * 6.2832
        rot = torch.stack([torch.stack([a.cos(), -a.sin()], -1),
                           torch.stack([a.sin(), a.cos()], -1)], -2)
        pts = pts @ rot + 0.08 * torch.randn_like(pts)
        loss = F.cross_entropy(self(pts), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        pts, y = batch
        logits = self(pts)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return PointSetModule()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = clouds(2000, g), clouds(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="pointset"),
                        callbacks=[ModelCheckpoint(monitor="val_acc", mode="max",
                                                   save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=20)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=[],
           checkpoint="pointset/version_0/checkpoints/last.ckpt",
           log="pointset/version_0/metrics.csv",
           what="point-set net with dropout + augmentation: val better than train (healthy)")


if __name__ == "__main__":
    main()
