"""PyTorch Lightning: an FCN-8s-style semantic segmenter of synthetic 32×32 "aerial" tiles in 3
classes (ground, roof, road): 1–2 roads (straight bands 2–4 px wide, any angle), 1–4 roofs
(rotated-looking rectangles, brighter and tinted), textured ground with a smooth illumination
gradient, pixel noise 0.1; the masks were "hand-drawn", so their boundaries are jittered by a
pixel (a blurred, re-thresholded copy), which caps the pixel accuracy near 0.95. The network is
FCN's, shrunk: a VGG-like encoder (conv-conv-pool at 12, 24, 48 channels → 1/8), "fc6" and
"fc7" as 3×3 / 1×1 convolutions (64 channels) each followed by ``nn.Dropout2d(0.5)`` exactly
as in FCN (the convolutionalised VGG classifier), a 1×1 score layer, then the 8s path: ×2
transposed conv (bilinear init) + score of pool2, ×2 + score of pool1, ×4 to full size.
Adam 2e-3, batch 32, 8 epochs of 640 tiles; ``CSVLogger`` → ``metrics.csv`` (train loss every 5
steps and per epoch, val loss, val pixel accuracy and val mIoU per epoch),
``ModelCheckpoint(save_last=True)``. Healthy: val mIoU 0.81 (0.82 the epoch before) and pixel
accuracy 0.94 at the end, val loss 0.142; the epoch train loss sits above the val loss for 7 of
the 8 epochs (the Dropout2d in fc6/fc7 only acts in training; 0.139 vs 0.142 at the end)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, C = 32, 3


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    mask = torch.zeros(n, S, S, dtype=torch.long)
    for i in range(n):
        for _ in range(int(torch.randint(1, 3, (1,), generator=g))):
            a = float(torch.rand(1, generator=g)) * 3.1416
            c = float(torch.rand(1, generator=g)) * S
            w = 1 + 1 * float(torch.rand(1, generator=g))
            d = (xx - S / 2) * torch.cos(torch.tensor(a)) + (yy - S / 2) * torch.sin(
                torch.tensor(a)) - (c - S / 2)
            mask[i][d.abs() < w] = 2
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            y0, x0 = torch.randint(0, S - 6, (2,), generator=g).tolist()
            h, w = torch.randint(4, 10, (2,), generator=g).tolist()
            mask[i, y0:y0 + h, x0:x0 + w] = 1
    colour = torch.tensor([[0.35, 0.45, 0.25], [0.75, 0.45, 0.40], [0.45, 0.45, 0.45]])
    img = colour[mask].permute(0, 3, 1, 2).clone()
    img += 0.15 * (torch.rand(n, 3, 1, 1, generator=g) - 0.5)  # per-tile colour cast
    light = torch.rand(n, 1, 1, 1, generator=g) * (xx / S)[None, None] * 0.3
    img = img + light + 0.1 * torch.randn(n, 3, S, S, generator=g)
    drawn = F.avg_pool2d(F.one_hot(mask, C).permute(0, 3, 1, 2).float(), 3, 1, 1)
    drawn = drawn + 0.3 * torch.rand(drawn.shape, generator=g)  # a sloppy brush
    return (img - 0.5) / 0.25, drawn.argmax(1)


def vgg(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2)]


def bilinear_(up):
    k = up.kernel_size[0]
    f = (k + 1) // 2
    c = f - 1 if k % 2 == 1 else f - 0.5
    og = torch.arange(k).float()
    filt = (1 - (og - c).abs() / f)
    w = torch.zeros_like(up.weight)
    for i in range(min(up.in_channels, up.out_channels)):
        w[i, i] = filt[:, None] * filt[None]
    with torch.no_grad():
        up.weight.copy_(w)


class FCN8s(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.pool1 = nn.Sequential(*vgg(3, 12))    # 1/2
        self.pool2 = nn.Sequential(*vgg(12, 24))   # 1/4
        self.pool3 = nn.Sequential(*vgg(24, 48))   # 1/8
        self.fc6 = nn.Sequential(nn.Conv2d(48, 64, 3, padding=1), nn.ReLU(inplace=True),
                                 nn.Dropout2d(0.5))
        self.fc7 = nn.Sequential(nn.Conv2d(64, 64, 1), nn.ReLU(inplace=True), nn.Dropout2d(0.5))
        self.score_fr = nn.Conv2d(64, C, 1)
        self.score_pool2 = nn.Conv2d(24, C, 1)
        self.score_pool1 = nn.Conv2d(12, C, 1)
        self.up2 = nn.ConvTranspose2d(C, C, 4, 2, 1, bias=False)
        self.up2b = nn.ConvTranspose2d(C, C, 4, 2, 1, bias=False)
        self.up4 = nn.ConvTranspose2d(C, C, 4, 2, 1, bias=False)
        for up in (self.up2, self.up2b, self.up4):
            bilinear_(up)

    def forward(self, x):
        p1 = self.pool1(x)
        p2 = self.pool2(p1)
        s = self.score_fr(self.fc7(self.fc6(self.pool3(p2))))
        s = self.up2(s) + self.score_pool2(p2)
        s = self.up2b(s) + self.score_pool1(p1)
        return self.up4(s)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        lab = pred.argmax(1)
        ious = []
        for c in range(C):
            inter = ((lab == c) & (y == c)).sum()
            union = ((lab == c) | (y == c)).sum()
            ious.append(inter / union.clamp(min=1))
        self.log("val_loss", F.cross_entropy(pred, y))
        self.log("val_pixel_acc", (lab == y).float().mean())
        self.log("val_miou", torch.stack(ious).mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return FCN8s()


def main():
    from _seventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = tiles(768, g)
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="fcn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:32], yva[:32]), causes=[],
           checkpoint="fcn/version_0/checkpoints/last.ckpt", log="fcn/version_0/metrics.csv",
           what="Lightning FCN-8s-lite segmenter of aerial tiles, Dropout2d in fc6/fc7, "
                "jittered masks (healthy)")


if __name__ == "__main__":
    main()
