"""PyTorch Lightning: a RegNetX-lite (Radosavovic et al. 2020: a stem, then stages of X blocks —
1×1 conv, 3×3 group conv with a fixed group width, 1×1 conv, each with batch norm, ReLU after the
first two and after the residual sum, a 1×1 strided projection on the shortcut when the shape
changes; widths from the quantised linear rule, here 16 and 32, group width 8, one block per
stage) sorting grey 24×24 photos of pills on a tray into 4 shapes: round tablet, oval tablet,
capsule (an oval with a seam across it), and ring (a tablet with a hole). Random size, position,
rotation, brightness, a soft shadow and pixel noise 0.15; 7 % of the training labels are wrong
(the tray photos were sorted by hand). AdamW lr 3e-3, weight decay 0.05, a per-epoch cosine decay
from ``configure_optimizers``, batch 50, 8 epochs of 1000 photos, 400 validation photos;
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val accuracy
0.84 at the end, a dip in the middle (0.805
at epoch 2, 0.665 at epoch 3, batch-norm statistics catching up), the train loss 0.58 above the
val loss 0.49 (the wrong labels only exist in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 24


def pills(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    cy, cx = (6 + 12 * torch.rand(n, 1, 1, generator=g) for _ in range(2))
    r = 3.5 + 3 * torch.rand(n, 1, 1, generator=g)
    th = 3.14 * torch.rand(n, 1, 1, generator=g)
    u = (xx - cx) * torch.cos(th) + (yy - cy) * torch.sin(th)
    v = -(xx - cx) * torch.sin(th) + (yy - cy) * torch.cos(th)
    elong = torch.where(y[:, None, None] == 0, 1.0, torch.where(y[:, None, None] == 3, 1.0, 1.8))
    d = (u / (r * elong)) ** 2 + (v / r) ** 2
    body = torch.sigmoid((1 - d) * 8)
    seam = (u.abs() < 0.7).float() * (y[:, None, None] == 2).float()
    hole = torch.sigmoid((0.18 - d) * 30) * (y[:, None, None] == 3).float()
    bright = 0.6 + 0.4 * torch.rand(n, 1, 1, generator=g)
    shadow = 0.25 * torch.sigmoid((1 - ((u - 1.5) / (r * elong)) ** 2 - ((v - 1.5) / r) ** 2) * 4)
    img = bright * body * (1 - 0.7 * seam) * (1 - hole) - shadow * (1 - body)
    img = img + 0.15 * torch.randn(n, S, S, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ((img - 0.2) / 0.35)[:, None], y


def cbr(cin, cout, k, stride=1, groups=1, relu=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.ReLU()) if relu else nn.Sequential(*layers)


class XBlock(nn.Module):
    def __init__(self, cin, cout, stride, group_width=8):
        super().__init__()
        self.f = nn.Sequential(cbr(cin, cout, 1), cbr(cout, cout, 3, stride, cout // group_width),
                               cbr(cout, cout, 1, relu=False))
        self.proj = cbr(cin, cout, 1, stride, relu=False) if (cin != cout or stride > 1) else None

    def forward(self, x):
        return F.relu(self.f(x) + (self.proj(x) if self.proj is not None else x))


class RegNetLite(L.LightningModule):
    def __init__(self, lr=3e-3, weight_decay=0.05, widths=(16, 32), depths=(1, 1)):
        super().__init__()
        self.save_hyperparameters()
        self.stem = cbr(1, 16, 3, 2)
        blocks, cin = [], 16
        for i, (w, d) in enumerate(zip(widths, depths, strict=False)):
            for j in range(d):
                blocks.append(XBlock(cin, w, 2 if (j == 0 and i > 0) else 1))
                cin = w
        self.trunk = nn.Sequential(*blocks)
        self.head = nn.Linear(cin, 4)

    def forward(self, x):
        return self.head(self.trunk(self.stem(x)).mean((2, 3)))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return RegNetLite()


def main():
    from _seventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pills(1000, g, noise_labels=0.07)
    xva, yva = pills(400, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=50, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=400)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="regnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="regnet/version_0/checkpoints/last.ckpt",
           log="regnet/version_0/metrics.csv",
           what="Lightning RegNetX-lite on pill shapes, 7 % label noise (healthy)")


if __name__ == "__main__":
    main()
