"""PyTorch Lightning: per-pixel cloud masking of synthetic 5-band satellite tiles (blue, green,
red, NIR, SWIR reflectance; 32×32 px). The ground is a patchwork of water (dark, darker in
NIR), vegetation (bright NIR), bare soil and, on 30 % of the tiles, snow, which is as bright
as cloud in the visible bands but dark in SWIR; clouds are smooth random blobs (low-frequency
noise thresholded, soft edges) that are bright in all bands including SWIR, with thin cirrus
(partly transparent) on their borders and some sensor noise. A small fully convolutional net
(5 → 16 → 16 (dilation 2) → 16 (dilation 4) → 1, batch norm, ReLU), BCE with logits, Adam
2e-3 with ``StepLR(step_size=3, gamma=0.5)`` stepped per epoch by Lightning
(``configure_optimizers``), batch 32, 8 epochs of 384 tiles; ``CSVLogger`` → ``metrics.csv``
(``train_bce`` every 4 steps and per epoch, ``val_bce``, ``val_iou``, ``val_acc`` per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy, and a little odd: the val BCE sits just below the train BCE at every epoch (0.53 vs
0.54 after epoch 1, 0.167 vs 0.176 after epoch 8; the train value is averaged over an epoch of
batch-norm batches while the net was still improving) and is still falling when the run stops;
val IoU 0.77 → 0.82 → 0.91 → 0.93 → 0.94 → 0.95 → 0.96 → 0.961, pixel accuracy 0.983."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S = 32
# reflectance per band (B, G, R, NIR, SWIR)
WATER = torch.tensor([0.08, 0.07, 0.05, 0.02, 0.01])
VEG = torch.tensor([0.04, 0.08, 0.05, 0.40, 0.20])
SOIL = torch.tensor([0.12, 0.15, 0.20, 0.28, 0.35])
SNOW = torch.tensor([0.85, 0.85, 0.82, 0.70, 0.08])
CLOUD = torch.tensor([0.75, 0.75, 0.75, 0.72, 0.55])


def smooth(n, g, k=4):
    return F.interpolate(torch.rand(n, 1, k, k, generator=g), size=S, mode="bicubic",
                         align_corners=False)[:, 0]


def tiles(n, g):
    a, b = smooth(n, g), smooth(n, g, 6)
    ground = torch.where((a < 0.35)[..., None], WATER,
                         torch.where((b < 0.5)[..., None], VEG, SOIL))
    snowy = (torch.rand(n, 1, 1, generator=g) < 0.3) & (smooth(n, g, 3) > 0.55)
    ground = torch.where(snowy[..., None], SNOW, ground)
    c = smooth(n, g, 5)
    thr = 0.35 + 0.4 * torch.rand(n, 1, 1, generator=g)
    alpha = ((c - thr) / 0.08).clamp(0, 1)                       # soft, thin edges
    img = ground * (1 - alpha[..., None]) + CLOUD * alpha[..., None]
    img = img.permute(0, 3, 1, 2) + 0.03 * torch.randn(n, 5, S, S, generator=g)
    return (img - 0.3) / 0.3, (alpha > 0.5).float()[:, None]


class CloudFCN(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()

        def cbr(i, o, d):
            return [nn.Conv2d(i, o, 3, padding=d, dilation=d), nn.BatchNorm2d(o), nn.ReLU()]
        self.net = nn.Sequential(*cbr(5, 16, 1), *cbr(16, 16, 2), *cbr(16, 16, 4),
                                 nn.Conv2d(16, 1, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, m = batch
        loss = F.binary_cross_entropy_with_logits(self(x), m)
        self.log("train_bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, m = batch
        z = self(x)
        pred = (z > 0).float()
        inter, union = (pred * m).sum(), ((pred + m) > 0).float().sum()
        self.log("val_bce", F.binary_cross_entropy_with_logits(z, m))
        self.log("val_iou", inter / union.clamp_min(1))
        self.log("val_acc", (pred == m).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return CloudFCN()


def main():
    from _hundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, m = tiles(512, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:384], m[:384]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[384:], m[384:]), batch_size=128)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="cloudmask"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=4,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[384:448], m[384:448]), causes=[],
           checkpoint="cloudmask/version_0/checkpoints/last.ckpt",
           log="cloudmask/version_0/metrics.csv",
           what="Lightning dilated FCN cloud masking of 5-band tiles, snow look-alikes (healthy)")


if __name__ == "__main__":
    main()
