"""PyTorch Lightning: a 2-D CNN with batch norm reads the bitting code of a 5-pin house key
from a photo of its blade on the keymaker's code-reading card, so a lost key can be cut by
code instead of traced: the depth (0-9, 0.015" steps) of each of the 5 cuts. The blade is
rendered as a 20 × 56 grey image (0.01" per pixel): the blade top edge cut by 100° V cuts
with a 0.02" flat root at the code spacing (0.156" from cut to cut), adjacent cuts at most 7
steps apart (MACS 7), the blank's warded bottom edge, a small shift and tilt of the key on
the card, lens blur, uneven lighting and sensor noise. Input: (1, 20, 56); target: (5,) cut
depths. Model: Conv2d 1→16 (3×3) + BN + ReLU + MaxPool2, Conv2d 16→32 (3×3) + BN + ReLU,
Conv2d 32→32 (3×3) + BN + ReLU, average over the rows, Linear 32·28→50 → 5 × 10 scores (cut
position × depth); cross-entropy over the 5 cuts, Adam 2e-3 with
CosineAnnealingLR (T_max 9 epochs) from ``configure_optimizers``, batch 64, 9 epochs, 1600
keys, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``codecard/version_0/metrics.csv`` (``cut_ce_step`` every 5 steps,
``cut_ce_epoch`` / ``val_cut_ce`` / ``val_cut_acc`` / ``val_key_exact`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` → ``codecard/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H, W = 20, 56


def key_photos(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.zeros(n, 5)
    d[:, 0] = torch.randint(0, 10, (n,), generator=g).float()
    for i in range(1, 5):
        lo, hi = (d[:, i - 1] - 7).clamp(min=0), (d[:, i - 1] + 7).clamp(max=9)
        d[:, i] = (lo + ((hi - lo + 1) * r(n)).floor()).clamp(max=9)
    shift = 0.02 * (r(n, 1) - 0.5)
    x = 0.01 * torch.arange(W).float().view(1, -1) + 0.03 + shift
    centres = 0.07 + 0.156 * torch.arange(5).float()
    dist = (x.unsqueeze(1) - centres.view(1, 5, 1)).abs() - 0.01
    cut = (0.015 * d.unsqueeze(2) - dist.clamp(min=0) / 0.839).clamp(min=0).amax(1)  # inches
    tilt = 0.01 * (r(n, 1) - 0.5) * (x - 0.3)
    top = 0.17 - cut + tilt  # blade top above the bottom edge, inches
    yrow = 0.01 * (H - 1 - torch.arange(H).float()).view(1, -1, 1) + 0.005
    img = torch.sigmoid((top.unsqueeze(1) - yrow) / 0.004) * torch.sigmoid((yrow - 0.02) / 0.004)
    img = F.avg_pool2d(img.unsqueeze(1), 3, 1, 1)
    light = 0.7 + 0.3 * r(n, 1, 1, 1) + 0.1 * torch.linspace(-1, 1, W).view(1, 1, 1, -1) * (r(n, 1, 1, 1) - 0.5)
    img = img * light + 0.05 * torch.randn(n, 1, H, W, generator=g)
    return img, d.long()


class CodeReader(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                                  nn.BatchNorm2d(32), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1),
                                  nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Linear(32 * (W // 2), 5 * 10)

    def forward(self, x):
        f = self.conv(x).mean(2)  # average over the rows: (batch, 32, 28)
        return self.head(f.flatten(1)).view(-1, 5, 10)

    def _ce(self, scores, d):
        return F.cross_entropy(scores.reshape(-1, 10), d.reshape(-1))

    def training_step(self, batch, _):
        x, d = batch
        loss = self._ce(self(x), d)
        self.log("cut_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, d = batch
        scores = self(x)
        pred = scores.argmax(2)
        self.log("val_cut_ce", self._ce(scores, d))
        self.log("val_cut_acc", (pred == d).float().mean())
        self.log("val_key_exact", (pred == d).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=9)]


def build():
    torch.manual_seed(0)
    return CodeReader()


def main():
    from _threehundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, dtr = key_photos(1600, g)
    xva, dva = key_photos(400, g)
    print("depth counts", torch.bincount(dtr.flatten(), minlength=10).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=9, logger=CSVLogger(str(out), name="codecard"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, dtr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, dva), batch_size=200))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], dva[:64]), causes=[],
           checkpoint="codecard/version_0/checkpoints/last.ckpt",
           log="codecard/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm reading a house key's 5 cut depths from a"
                " photo of its blade (healthy)")


if __name__ == "__main__":
    main()
