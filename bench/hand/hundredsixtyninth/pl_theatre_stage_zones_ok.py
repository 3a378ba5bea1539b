"""PyTorch Lightning: a small CNN with BatchNorm tells the stage manager which of the six
stage areas (upstage left / centre / right, downstage left / centre / right) hold at least
one actor, from a 12×24 overhead thermal frame of the stage (multi-label: 6 independent
yes/no outputs). Each area is occupied with probability 0.4 by one or two actors (warm
Gaussian blobs, some standing near an area border); the frame also has a warm set piece (a
bar of random length and place, not an actor), a footlight row at the downstage edge,
a smooth heat gradient and sensor noise.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool → 32×3×6 → Linear(576→64)-ReLU →
Linear(64→6), ``BCEWithLogitsLoss``; Adam lr 1e-3 from ``configure_optimizers``, batch 32,
8 epochs of 1280 frames. ``CSVLogger`` → ``metrics.csv`` (train loss every 10 steps, val loss,
per-area accuracy and exact-match accuracy per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy: val loss 0.285 after epoch 1, then 0.108, 0.068, 0.039, 0.029, 0.023, 0.020, 0.020;
per-area val accuracy 0.928 → 0.995, exact-match (all six areas right) 0.63 → 0.97; the
train loss ends at 0.008–0.012, a little under the val loss."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

H, W = 12, 24


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    occ = (r(n, 6) < 0.4).float()
    img = 0.3 * (yy / H)[None].expand(n, H, W) * r(n, 1, 1) + 0.2 * r(n, 1, 1)
    img = img.clone()
    img[:, -1] += 0.6  # footlights
    for i in range(n):
        for a in range(6):
            if occ[i, a]:
                row, col = divmod(a, 3)
                for _ in range(1 + int(r(1) < 0.3)):
                    cy = row * 6 + 0.5 + 5 * float(r(1))
                    cx = col * 8 + 0.5 + 7 * float(r(1))
                    img[i] += 1.2 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0)
        sy, sx, ln = int(r(1) * 10), int(r(1) * 16), 3 + int(r(1) * 6)
        img[i, sy, sx:sx + ln] += 0.8  # set piece
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return ((img - 0.4) / 0.4)[:, None], occ


class StageAreas(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                                  nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 3 * 6, 64), nn.ReLU(),
                                  nn.Linear(64, 6))

    def forward(self, x):
        return self.head(self.conv(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        hit = (logits > 0).float() == y
        self.log("val_loss", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_area_acc", hit.float().mean())
        self.log("val_exact", hit.all(1).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return StageAreas()


def main():
    from _hundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = frames(1536, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1280], y[:1280]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1280:], y[1280:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="stage_areas"),
                        callbacks=[ModelCheckpoint(save_last=True)], accelerator="cpu",
                        enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1280:1344], y[1280:1344]), causes=[],
           checkpoint="stage_areas/version_0/checkpoints/last.ckpt",
           log="stage_areas/version_0/metrics.csv",
           what="Lightning CNN+BN, multi-label: which of 6 stage areas hold an actor (healthy)")


if __name__ == "__main__":
    main()
