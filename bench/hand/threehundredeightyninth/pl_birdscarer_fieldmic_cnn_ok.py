"""PyTorch Lightning: a 2-D CNN with batch norm listens through the microphone mounted on an
automatic propane bird-scarer in a drilled barley field and says which birds are on the
ground, so the banger only fires when there is something to scare: rooks, wood pigeons,
starlings (multi-label, any mix, each present in about 40 % of clips). A clip is a 1.3 s
log-mel picture, 16 bands × 32 frames: rooks are harsh broadband "kaah" bursts (bands 4-11,
2-4 calls of 3-5 frames), wood pigeons a low five-note coo (bands 1-4, long soft notes),
starlings a high rapid chatter and whistles (bands 10-15, many 1-frame clicks); wind rumble
in the lowest bands, tractor hum on some clips, the scarer's own bang (a full-band frame)
on 15 % of clips, and background noise.
Input: (1, 16, 32) log-mel, roughly zero-mean. Model: Conv2d 1→16 (3×3) + BN + ReLU +
MaxPool2, Conv2d 16→32 (3×3) + BN + ReLU + MaxPool2, Conv2d 32→32 (3×3) + BN + ReLU, global
average pool, Linear 32→3; BCE with logits, AdamW 2e-3 (weight decay 1e-4) with
CosineAnnealingLR over the 8 epochs from ``configure_optimizers``, batch 40, 1000 clips,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``fieldmic/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_rook`` / ``val_f1_pigeon`` / ``val_f1_starling`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``fieldmic/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

BANDS, FRAMES = 16, 32
BIRDS = ["rook", "pigeon", "starling"]


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ri = lambda lo, hi: int(torch.randint(lo, hi, (1,), generator=g))  # noqa: E731
    y = (r(n, 3) < 0.4).float()
    x = 0.25 * torch.randn(n, BANDS, FRAMES, generator=g)
    band = torch.arange(BANDS).float().unsqueeze(1)
    x += 0.6 * torch.exp(-band / 2.0) * (0.5 + r(n, 1, 1))  # wind rumble
    for i in range(n):
        if r(1) < 0.3:  # tractor hum
            x[i, ri(2, 6)] += 0.8
        if r(1) < 0.15:  # the scarer's own bang
            x[i, :, ri(0, FRAMES)] += 2.5
        if y[i, 0]:
            for _ in range(ri(2, 5)):
                t0, w = ri(0, FRAMES - 5), ri(3, 6)
                x[i, 4:12, t0:t0 + w] += 1.3 + 0.4 * float(r(1))
        if y[i, 1]:
            t0 = ri(0, 8)
            for k in range(5):
                t = t0 + 5 * k
                if t + 3 <= FRAMES:
                    x[i, 1:5, t:t + 3] += 0.9 * torch.tensor([0.6, 1.0, 1.0, 0.6]).unsqueeze(1)
        if y[i, 2]:
            for _ in range(ri(6, 12)):
                x[i, ri(10, 16), ri(0, FRAMES)] += 1.6 + float(r(1))
    return (x - 0.3).unsqueeze(1), y


class FieldMicCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        for k, name in enumerate(BIRDS):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return FieldMicCNN()


def main():
    from _threehundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1000, g)
    xva, yva = clips(240, g)
    print("present", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="fieldmic"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fieldmic/version_0/checkpoints/last.ckpt",
           log="fieldmic/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm naming rooks / wood pigeons / starlings"
                " (multi-label) from a bird-scarer's field microphone (healthy)")


if __name__ == "__main__":
    main()
