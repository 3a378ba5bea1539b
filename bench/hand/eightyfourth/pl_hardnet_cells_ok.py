"""PyTorch Lightning: a HarDNet-lite (harmonic dense blocks) classifying synthetic 28×28 RGB
blood-smear crops into 4 white-cell types: lymphocyte (one big round nucleus), neutrophil (3–4
small nuclear lobes), eosinophil (2 lobes and red granules in the cytoplasm), monocyte (a
kidney-shaped nucleus); random cell size, position, stain intensity, red blood cells in the
background and pixel noise 0.08; 6 % of the training labels are wrong (annotator slips). Stem
conv 16 stride 1 + conv 24 stride 2; two harmonic dense blocks of 4 layers (layer k reads the
outputs of layers k − 2ⁿ whenever 2ⁿ divides k; growth 8, multiplier 1.7; the block outputs the
odd layers and the last), each followed by a 1×1 transition (32, then 48), the first with a 2×2
average pool; Conv-BN-ReLU6 throughout, global average pooling, dropout 0.1, linear head. AdamW
2e-3 (wd 1e-4) with a per-epoch cosine decay, batch 32, 5 epochs; ``CSVLogger`` →
``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.82 → 0.99 → 1.00,
val loss 0.467 → 0.046 (epoch 3) with a late uptick to 0.097 at the last epoch, and the train
epoch loss 0.19 well above it (the wrong labels and the dropout only act in training)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SIZE = 28


def smear(n, g, label_noise=0.0):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    imgs = torch.empty(n, 3, SIZE, SIZE)
    for i in range(n):
        img = torch.tensor([0.95, 0.88, 0.9]).view(3, 1, 1).expand(3, SIZE, SIZE).clone()
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):  # red blood cells
            c = torch.rand(2, generator=g) * SIZE
            rbc = ((yy - c[0]) ** 2 + (xx - c[1]) ** 2) < 16
            img[:, rbc] = torch.tensor([0.9, 0.55, 0.6])[:, None]
        cy, cx = SIZE / 2 + (torch.rand(2, generator=g) - 0.5) * 4
        r = 8 + 2 * float(torch.rand(1, generator=g))
        d2 = (yy - cy) ** 2 + (xx - cx) ** 2
        cell = d2 < r ** 2
        img[:, cell] = torch.tensor([0.8, 0.75, 0.88])[:, None]
        a = float(torch.rand(1, generator=g)) * 2 * math.pi
        k = int(y[i])
        if k == 0:
            nuc = d2 < (0.75 * r) ** 2
        elif k in (1, 2):
            lobes = int(torch.randint(3, 5, (1,), generator=g)) if k == 1 else 2
            nuc = torch.zeros(SIZE, SIZE, dtype=torch.bool)
            for j in range(lobes):
                t = a + 2 * math.pi * j / lobes
                ly, lx = cy + 0.45 * r * math.sin(t), cx + 0.45 * r * math.cos(t)
                nuc |= ((yy - ly) ** 2 + (xx - lx) ** 2) < (0.28 * r) ** 2
            if k == 2:
                gran = cell & (torch.rand(SIZE, SIZE, generator=g) < 0.35) & ~nuc
                img[:, gran] = torch.tensor([0.9, 0.35, 0.3])[:, None]
        else:
            oy, ox = cy + 0.35 * r * math.sin(a), cx + 0.35 * r * math.cos(a)
            nuc = (d2 < (0.6 * r) ** 2) & (((yy - oy) ** 2 + (xx - ox) ** 2) > (0.35 * r) ** 2)
        stain = 0.7 + 0.3 * float(torch.rand(1, generator=g))
        img[:, nuc] = torch.tensor([0.35, 0.2, 0.55])[:, None] * stain
        imgs[i] = img
    imgs = imgs + 0.08 * torch.randn(n, 3, SIZE, SIZE, generator=g)
    flip = torch.rand(n, generator=g) < label_noise
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return (imgs - 0.75) / 0.2, y


def cbr(cin, cout, k=3, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6())


class HarDBlock(nn.Module):
    def __init__(self, cin, growth=8, mult=1.7, n_layers=4):
        super().__init__()
        self.links, widths, self.layers = [], [cin], nn.ModuleList()
        for k in range(1, n_layers + 1):
            link = [k - 2 ** i for i in range(int(math.log2(k)) + 1) if k % 2 ** i == 0]
            width = int(growth * mult ** (len(link) - 1) + 1) // 2 * 2
            self.links.append(link)
            self.layers.append(cbr(sum(widths[j] for j in link), width))
            widths.append(width)
        self.keep = [k for k in range(1, n_layers + 1) if k % 2 == 1 or k == n_layers]
        self.out_channels = sum(widths[k] for k in self.keep)

    def forward(self, x):
        outs = [x]
        for link, layer in zip(self.links, self.layers, strict=True):
            outs.append(layer(torch.cat([outs[j] for j in link], 1)))
        return torch.cat([outs[k] for k in self.keep], 1)


class HarDNetLite(L.LightningModule):
    def __init__(self, lr=2e-3, epochs=5):
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(cbr(3, 16), cbr(16, 24, 3, 2))
        b1 = HarDBlock(24)
        b2 = HarDBlock(32)
        self.features = nn.Sequential(b1, cbr(b1.out_channels, 32, 1), nn.AvgPool2d(2),
                                      b2, cbr(b2.out_channels, 48, 1))
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.drop(self.features(self.stem(x)).mean((2, 3))))

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
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, self.hparams.epochs)]


def build():
    torch.manual_seed(0)
    return HarDNetLite()


def main():
    from _eightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = smear(960, g, label_noise=0.06)
    xva, yva = smear(240, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=240)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=5, logger=CSVLogger(str(out), name="hardnet"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hardnet/version_0/checkpoints/last.ckpt",
           log="hardnet/version_0/metrics.csv",
           what="Lightning HarDNet-lite white-cell types, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
