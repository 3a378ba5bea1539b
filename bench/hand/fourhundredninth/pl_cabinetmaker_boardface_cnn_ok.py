"""PyTorch Lightning: a 2-D CNN with batch norm grades 20 × 20 px patches of a planed board
face from a cabinetmaker's line-scan camera before the boards are cut into door rails: clear
(usable for show faces), knot, surface check (a drying crack along the grain) or pitch pocket.
Patches: grain as darker late-wood stripes along the board (period 3-6 px, a little angle
and waviness), the species' base tone and contrast, plus for a knot a dark round core
(radius 2-3.5 px) with the grain bent around it, for a check a thin dark line 8-16 px long
following the grain, for a pitch pocket a short dark lens (4-7 × 2 px) with a bright resin
rim; camera noise on everything.
Input: (1, 20, 20) grey level, about zero mean. Model: Conv2d 1→16 (3×3) + BN + ReLU +
MaxPool2, Conv2d 16→32 (3×3) + BN + ReLU + MaxPool2, Conv2d 32→32 (3×3) + BN + ReLU, global
average pool, Linear 32→4; cross-entropy, AdamW 3e-3 (weight decay 1e-3) with a cosine decay
over the 8 epochs from ``configure_optimizers``, batch 64, 1600 patches, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``boardface/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch``
/ ``val_xent`` / ``val_acc`` / ``val_recall_check`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``boardface/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 20
GRADES = ["clear", "knot", "check", "pitch_pocket"]


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    yy, xx = yy.expand(n, S, S), xx.expand(n, S, S)
    period = (3 + 3 * r(n, 1, 1))
    angle = 0.15 * (r(n, 1, 1) - 0.5)
    wave = 0.8 * torch.sin(2 * math.pi * xx / (12 + 10 * r(n, 1, 1)) + 6 * r(n, 1, 1))
    cy, cx = 5 + 10 * r(n, 1, 1), 5 + 10 * r(n, 1, 1)
    d2 = (yy - cy) ** 2 + (xx - cx) ** 2
    knot = (cls == 1).float().view(n, 1, 1)
    bend = knot * 12.0 / (1 + d2 / 6)  # the grain flows round a knot
    phase = 2 * math.pi * (yy + angle * xx + wave + bend) / period + 6 * r(n, 1, 1)
    tone = 0.2 * (r(n, 1, 1) - 0.5)
    contrast = 0.25 + 0.25 * r(n, 1, 1)
    img = tone - contrast * (0.5 + 0.5 * torch.sin(phase))
    rad = 2 + 1.5 * r(n, 1, 1)
    img = img - knot * 0.9 * torch.sigmoid(3 * (rad - d2.sqrt()))
    check = (cls == 2).float().view(n, 1, 1)
    half = 4 + 4 * r(n, 1, 1)
    line = torch.exp(-((yy - cy - angle * (xx - cx)) ** 2) / 0.35) * ((xx - cx).abs() < half)
    img = img - check * 0.7 * line
    pitch = (cls == 3).float().view(n, 1, 1)
    a = 2 + 1.5 * r(n, 1, 1)
    lens = ((xx - cx) / a) ** 2 + ((yy - cy) / 1.0) ** 2
    img = img - pitch * 0.8 * (lens < 1).float() + pitch * 0.35 * ((lens >= 1) & (lens < 2)).float()
    img = img + 0.06 * torch.randn(n, S, S, generator=g)
    return (img + 0.25).unsqueeze(1), cls


class BoardFaceCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_check", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return BoardFaceCNN()


def main():
    from _fourhundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1600, g)
    xva, yva = patches(400, g)
    print("grades", torch.bincount(ytr).tolist(), "pixel mean/std", xtr.mean().item(), xtr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="boardface"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="boardface/version_0/checkpoints/last.ckpt",
           log="boardface/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm grading planed board-face patches (clear /"
                " knot / check / pitch pocket) for a cabinetmaker (healthy)")


if __name__ == "__main__":
    main()
