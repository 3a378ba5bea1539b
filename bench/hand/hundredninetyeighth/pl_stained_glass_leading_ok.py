"""PyTorch Lightning: a small CNN with batch norm names the lead-came layout of a
stained-glass window from a 1×24×24 grey photo of its lead lines: square grid, diamond
(quarry) glazing, fan (lines from a corner) or roundels (circles). Line positions, spacing,
angle and thickness vary; glass texture is smooth random shading plus noise, and 6 % of the
photos are labelled wrong (a glazier's quick catalogue). Conv(1→16)-BN-ReLU-pool,
Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global average pool, Linear(32→4); SGD momentum
0.9, lr 0.05 with StepLR (×0.3 at epoch 6), batch 32, 9 epochs of 1024 photos, shuffled.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss and accuracy per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy but noisy: val accuracy 0.75, 0.80, 0.95, 0.90, 0.97, 0.95, 0.93, 0.90, 0.99 (epochs
1–9), val loss 0.54 → 0.08; the per-step train loss jumps between 0.06 and 0.49 and stays above
the val loss (the 6 % wrong labels)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 24


def windows(n, g, flip=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(S, S), mode="bilinear")
    for i in range(n):
        sp = 5 + 3 * float(torch.rand(1, generator=g))
        off = sp * float(torch.rand(1, generator=g))
        th = 0.6 + 0.5 * float(torch.rand(1, generator=g))
        c = int(y[i])
        if c == 0:
            d = torch.minimum(((xx + off) % sp - sp / 2).abs(), ((yy + off) % sp - sp / 2).abs())
        elif c == 1:
            a, b = xx + yy + off, xx - yy + off + S
            d = torch.minimum((a % sp - sp / 2).abs(), (b % sp - sp / 2).abs()) / 1.4
        elif c == 2:
            ang = torch.atan2(yy + 1, xx + 1) * 180 / 3.1416
            step = 12 + 8 * float(torch.rand(1, generator=g))
            d = ((ang + off) % step - step / 2).abs() * (xx ** 2 + yy ** 2).sqrt() / 60
        else:
            d = ((((xx + off) % sp - sp / 2) ** 2 + ((yy + off) % sp - sp / 2) ** 2).sqrt()
                 - sp / 3).abs()
        img[i, 0] = img[i, 0] - 1.2 * (d < th).float()
    img = img + 0.15 * torch.randn(img.shape, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.2) / 0.6, y


class Leading(L.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                 nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                 nn.MaxPool2d(2),
                                 nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))

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
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)]


def build():
    torch.manual_seed(0)
    return Leading()


def main():
    from _hundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(1280, g, flip=0.06)
    xv, yv = windows(256, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xv, yv), batch_size=256)
    trainer = L.Trainer(max_epochs=9, logger=CSVLogger(str(out), name="leading"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xv[:64], yv[:64]), causes=[],
           checkpoint="leading/version_0/checkpoints/last.ckpt",
           log="leading/version_0/metrics.csv",
           what="Lightning CNN (BN) naming the lead-came layout of a stained-glass window"
                " (healthy)")


if __name__ == "__main__":
    main()
