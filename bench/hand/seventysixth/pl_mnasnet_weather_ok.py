"""PyTorch Lightning: a MnasNet-lite (Tan et al., 2019) classifies synthetic 32×32 RGB sky crops
into 4 weather classes (clear, cloudy, rain, snow): a vertical sky gradient, soft cloud blobs,
slanted rain streaks or bright snow dots, random brightness, haze and sensor noise; 6 % of the
training labels are wrong (cloudy/rain is hard to tell for annotators). MnasNet-lite: stem conv 16
(stride 2) + BN + ReLU, a depthwise-separable block, then MBConv blocks (expand 3 or 6, 3×3 or 5×5
depthwise, squeeze-and-excitation on the 5×5 ones, linear bottleneck, residual when shapes match):
16 → 24 (stride 2) → 24 → 40 (5×5, SE, stride 2), 1×1 conv to 96, global pooling, dropout 0.3, a
linear head. Adam 3e-3 with a OneCycle schedule per step, batch 32, 5 epochs; ``CSVLogger`` →
``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.997, val loss 0.065,
the train epoch loss 0.21 well
above it (wrong labels and dropout only in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def skies(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    top = torch.tensor([0.3, 0.5, 0.9])[None, :, None, None] * (0.6 + 0.4 * torch.rand(n, 1, 1, 1, generator=g))
    img = top * (1 - yy / 64)[None, None] + 0.1
    clouds = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=32, mode="bicubic").clamp(0, 1)
    cover = torch.tensor([0.1, 0.8, 0.9, 0.7])[y][:, None, None, None]
    img = img * (1 - cover * clouds) + cover * clouds * 0.75
    slope = 0.3 + 0.4 * torch.rand(n, 1, 1, generator=g)
    streak = (torch.sin((xx[None] + slope * yy[None]) * 2.1 + 6.28 * torch.rand(n, 1, 1, generator=g)) > 0.8).float()
    dots = (torch.rand(n, 32, 32, generator=g) < 0.06).float()
    img = img - 0.25 * streak[:, None] * (y == 2).float()[:, None, None, None]
    img = img + 0.5 * dots[:, None] * (y == 3).float()[:, None, None, None]
    img = img * (0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g)) + 0.08 * torch.randn(n, 3, 32, 32, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (img - 0.45) / 0.25, y


class SE(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, c // r, 1), nn.Conv2d(c // r, c, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean((2, 3), keepdim=True)))))


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, k, stride, se=False):
        super().__init__()
        mid = cin * expand
        self.body = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
            nn.Conv2d(mid, mid, k, stride, k // 2, groups=mid, bias=False), nn.BatchNorm2d(mid),
            nn.ReLU(), SE(mid) if se else nn.Identity(),
            nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MnasNetLite(L.LightningModule):
    def __init__(self, lr=3e-3, steps=200):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, 1, 1, groups=16, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 1, bias=False), nn.BatchNorm2d(16),
            MBConv(16, 24, 6, 3, 2), MBConv(24, 24, 3, 3, 1), MBConv(24, 40, 3, 5, 2, se=True),
            nn.Conv2d(40, 96, 1, bias=False), nn.BatchNorm2d(96), nn.ReLU())
        self.drop = nn.Dropout(0.3)
        self.classifier = nn.Linear(96, 4)

    def forward(self, x):
        return self.classifier(self.drop(self.features(x).mean((2, 3))))

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
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, self.hparams.lr, total_steps=self.hparams.steps)
        return [opt], [{"scheduler": sched, "interval": "step"}]


def build():
    torch.manual_seed(0)
    return MnasNetLite()


def main():
    from _seventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = skies(1280, g, noise_labels=0.06)
    xva, yva = skies(320, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=320)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=5, logger=CSVLogger(str(out), name="mnasnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], healthy=True,
           checkpoint="mnasnet/version_0/checkpoints/last.ckpt", log="mnasnet/version_0/metrics.csv",
           what="Lightning MnasNet-lite weather classifier, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
