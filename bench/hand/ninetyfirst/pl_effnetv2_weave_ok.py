"""PyTorch Lightning: an EfficientNetV2-lite classifies synthetic 32×32 RGB fabric weaves in 4
classes (plain weave checker, twill diagonals, horizontal rib, dotted pique), random period 4–8
px, phase, thread and ground colours (each channel 0.35–0.65 apart, modulo 1) and pixel
noise 0.2; 8 % of the training
labels are wrong (mislabelled bolts). Model as EfficientNetV2: a stem conv 3×3 stride 2 (16,
BN, SiLU), a Fused-MBConv stage (expand 2, 3×3, 16 → 16, residual), a Fused-MBConv stage with
stride 2 (→ 24), an MBConv stage (expand 4, 1×1, depthwise 3×3 stride 2, squeeze-excitation
0.25, 1×1 project → 32), a 1×1 head conv to 96, global pooling, dropout 0.3, linear. AdamW 3e-3
(weight decay 0.01), a OneCycle schedule stepped per batch, label smoothing 0.1, batch 32, 8
epochs; ``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val
accuracy 0.97 (0.95–0.98 from epoch 3 on), val loss 0.22 while the train loss ends at 0.46, twice
the val loss (wrong labels, label smoothing and dropout act in training only), the val loss flat
from epoch 3 while the train loss keeps falling."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def weaves(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    per = 4 + 4 * torch.rand(n, 1, 1, generator=g)
    ph = torch.rand(n, 2, 1, 1, generator=g) * 6.28
    w = 6.28 / per
    sx, sy = torch.sin(w * xx + ph[:, 0]), torch.sin(w * yy + ph[:, 1])
    pats = torch.stack([torch.sign(sx * sy), torch.sin(w * (xx + yy) / 1.41 + ph[:, 0]),
                        torch.sin(w * yy + ph[:, 1]), ((sx > 0.7) & (sy > 0.7)).float() * 2 - 1])
    p = pats[y, torch.arange(n)]
    c1 = torch.rand(n, 3, 1, 1, generator=g)
    c2 = (c1 + 0.35 + 0.3 * torch.rand(n, 3, 1, 1, generator=g)) % 1  # thread vs ground
    img = c1 + (c2 - c1) * (p[:, None] + 1) / 2 + 0.2 * torch.randn(n, 3, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.5) / 0.35, y


def cbs(cin, cout, k, s=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.SiLU()) if act else nn.Sequential(*layers)


class FusedMBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=2):
        super().__init__()
        self.expand = cbs(cin, cin * expand, 3, stride)
        self.project = cbs(cin * expand, cout, 1, act=False)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        out = self.project(self.expand(x))
        return x + out if self.residual else out


class MBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        mid = cin * expand
        self.expand = cbs(cin, mid, 1)
        self.dw = cbs(mid, mid, 3, stride, groups=mid)
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(mid, cin // 4, 1), nn.SiLU(),
                                nn.Conv2d(cin // 4, mid, 1), nn.Sigmoid())
        self.project = cbs(mid, cout, 1, act=False)

    def forward(self, x):
        h = self.dw(self.expand(x))
        return self.project(h * self.se(h))


class EffNetV2Lite(L.LightningModule):
    def __init__(self, lr=3e-3, epochs=8, steps_per_epoch=40):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(cbs(3, 16, 3, 2), FusedMBConv(16, 16, 1),
                                      FusedMBConv(16, 24, 2), MBConv(24, 32, 2), cbs(32, 96, 1))
        self.classifier = nn.Sequential(nn.Dropout(0.3), nn.Linear(96, 4))

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.1)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=self.hparams.lr, epochs=self.hparams.epochs,
            steps_per_epoch=self.hparams.steps_per_epoch)
        return [opt], [{"scheduler": sched, "interval": "step"}]


def build():
    torch.manual_seed(0)
    return EffNetV2Lite()


def main():
    from _ninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = weaves(1280, g, noise_labels=0.08)
    xva, yva = weaves(320, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=160)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="effv2"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="effv2/version_0/checkpoints/last.ckpt", log="effv2/version_0/metrics.csv",
           what="Lightning EfficientNetV2-lite on fabric weaves, 8 % label noise, OneCycle "
                "(healthy)")


if __name__ == "__main__":
    main()
