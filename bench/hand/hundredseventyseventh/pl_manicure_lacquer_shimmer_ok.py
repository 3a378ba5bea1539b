"""PyTorch Lightning: a small CNN with BatchNorm tells the finish of a freshly painted nail
(cream, shimmer, glitter, matte top coat) from a 16×16 macro patch a manicure station's
inspection camera takes in two channels: plain light and cross-polarised light (the second
removes the specular shine). Cream is glossy and smooth, shimmer glossy with fine sparkle
grain, glitter has a few large bright flakes, matte has no shine; lacquer colour, lighting
gradient, nail curvature and camera noise vary. Conv(2→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-
pool, Conv(32→32)-BN-ReLU, global average pool, dropout 0.2, Linear(32→4); SGD momentum 0.9,
lr 0.02, weight decay 5e-4 from ``configure_optimizers``, batch 32, 8 epochs of 1024 patches.
``CSVLogger`` → ``metrics.csv`` (train loss every 4 steps, val loss / accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy, with a jumpy validation curve (256 patches, BatchNorm, SGD with momentum): val accuracy
0.82, 0.80, 0.96, 0.87, 0.875, 0.90, 0.89, 0.98 over the 8 epochs, val loss 0.45, 0.37, 0.21,
0.23, 0.24, 0.32, 0.32, 0.10; the per-step train loss falls from 1.17 to 0.03–0.39 (noisy)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 16


def patches(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    colour = 0.2 + 0.6 * torch.rand(n, 1, 1, generator=g)
    tx, ty = (torch.randn(n, 2, 1, 1, generator=g) * 0.15).unbind(1)
    base = colour + tx * xx + ty * yy - 0.15 * xx ** 2  # lighting gradient, curvature falloff
    cy, cx = (torch.rand(n, 2, 1, 1, generator=g) - 0.5).unbind(1)
    spot = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2 * 0.3) / 0.08)  # highlight along the nail
    gloss = torch.tensor([1.0, 0.8, 0.5, 0.08])[y][:, None, None] * (0.6 + 0.6 * torch.rand(n, 1, 1, generator=g))
    grain = torch.tensor([0.0, 0.4, 0.0, 0.0])[y][:, None, None] * torch.rand(n, S, S, generator=g)
    flakes = (torch.rand(n, S, S, generator=g) < 0.04) * (y == 2)[:, None, None] * 1.2
    diffuse = base + 0.5 * grain + 0.6 * flakes
    plain = diffuse + gloss * spot + grain * spot + 0.6 * flakes
    cross = diffuse
    x = torch.stack([plain, cross], 1) + 0.08 * torch.randn(n, 2, S, S, generator=g)
    return (x - 0.6) / 0.4, y


class FinishCNN(L.LightningModule):
    def __init__(self, lr=0.02):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(2, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(32, 4))

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
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9,
                               weight_decay=5e-4)


def build():
    torch.manual_seed(0)
    return FinishCNN()


def main():
    from _hundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="finish"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="finish/version_0/checkpoints/last.ckpt",
           log="finish/version_0/metrics.csv",
           what="Lightning BN CNN telling nail lacquer finish from plain + cross-polarised"
                " macro patches (healthy)")


if __name__ == "__main__":
    main()
