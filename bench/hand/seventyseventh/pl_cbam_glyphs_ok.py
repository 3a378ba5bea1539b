"""PyTorch Lightning: a small ResNet with CBAM (convolutional block attention module, Woo et al.
2018) classifying synthetic 32×32 grey scenes: one small target glyph (plus sign, ring, filled
square or triangle, 7–11 px, at a random place) among 6 clutter strokes (random short lines) on
a noisy, unevenly lit background; 4 classes; 8 % of the training labels are wrong. Stem conv 16
(stride 2) + BN + ReLU, then 2 residual basic blocks (16 → 32 channels, the second with stride 2), each
followed by CBAM: channel attention (avg- and max-pooled descriptors through a shared 2-layer
MLP, reduction 4, sigmoid) then spatial attention (7×7 conv over the channel-wise mean and max,
sigmoid); global average pooling, linear head. AdamW 3e-3, weight decay 5e-2, one-cycle
schedule stepped per batch, batch 64, 8 epochs of 1024 images; ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.94; the val loss sits on a
plateau at ln 4 for the first 4 epochs (1.39, 1.39, 1.41, 1.49: the net first learns the
lighting and the clutter, not the glyph) before it drops to 0.29, and the train loss (0.37 at
the end) stays above the val loss (the wrong labels only act in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def scenes(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 32, 32)
    for i in range(n):
        s = 3.5 + 2 * float(torch.rand(1, generator=g))
        cy, cx = (6 + 20 * torch.rand(2, generator=g)).tolist()
        dy, dx = yy - cy, xx - cx
        k = int(y[i])
        if k == 0:
            m = ((dy.abs() <= 1) & (dx.abs() <= s)) | ((dx.abs() <= 1) & (dy.abs() <= s))
        elif k == 1:
            r = (dy ** 2 + dx ** 2).sqrt()
            m = (r <= s) & (r >= s - 1.8)
        elif k == 2:
            m = (dy.abs() <= s * 0.8) & (dx.abs() <= s * 0.8)
        else:
            m = (dy <= s * 0.7) & (dy >= -s * 0.7) & (dx.abs() <= (dy + s * 0.7) * 0.6)
        img[i] = m.float()
        for _ in range(6):
            p = torch.rand(4, generator=g) * 32
            t = torch.linspace(0, 1, 12)
            ly = (p[0] + (p[2] - p[0]) * 0.3 * t).long().clamp(0, 31)
            lx = (p[1] + (p[3] - p[1]) * 0.3 * t).long().clamp(0, 31)
            img[i, ly, lx] = 1.0
    light = (torch.rand(n, 1, 1, generator=g) - 0.5) * (xx / 32)[None] * 2
    img = img + light + 0.25 * torch.randn(n, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return img[:, None], y


class CBAM(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.mlp = nn.Sequential(nn.Conv2d(c, c // r, 1), nn.ReLU(), nn.Conv2d(c // r, c, 1))
        self.spatial = nn.Conv2d(2, 1, 7, padding=3)

    def forward(self, x):
        ca = torch.sigmoid(self.mlp(x.mean((2, 3), keepdim=True)) +
                           self.mlp(x.amax((2, 3), keepdim=True)))
        x = x * ca
        sa = torch.sigmoid(self.spatial(torch.cat([x.mean(1, keepdim=True),
                                                   x.amax(1, keepdim=True)], 1)))
        return x * sa


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.cbam = CBAM(cout)
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                    nn.BatchNorm2d(cout)) if stride > 1 or cin != cout
                      else nn.Identity())

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.cbam(self.bn2(self.conv2(h)))
        return F.relu(h + self.short(x))


class CBAMResNet(L.LightningModule):
    def __init__(self, lr=3e-3, weight_decay=5e-2, steps=8 * 16):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.layer2(self.layer1(self.stem(x))).mean((2, 3)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr,
                                                    total_steps=self.hparams.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return CBAMResNet()


def main():
    from _seventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scenes(1024, g, noise_labels=0.08)
    xva, yva = scenes(256, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=256)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="cbam"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cbam/version_0/checkpoints/last.ckpt", log="cbam/version_0/metrics.csv",
           what="Lightning ResNet + CBAM on cluttered glyph scenes, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
