"""PyTorch Lightning: a 2-D CNN with batch norm grades a freshly sawn pine board from the
grading line's camera (one 16 × 48 grey-level strip of the board's face, 4 px to the inch),
so the sawyer can sort the boards onto the right stack: clear, No. 1 common, No. 2 common.
The face: light wood with darker growth-ring stripes along the board (spacing and contrast
varying board to board), a lighting gradient across it and camera noise; knots are dark
round-to-oval blobs with a darker core (Poisson, 1.2 a board on average, 0.5-1.9 in
across). The grading rule (a simplified visual grade): no knot → clear; one or two knots,
all under 1.5 in → No. 1; more knots or any larger one → No. 2.
Input: (1, 16, 48), grey level standardised with the train mean / std. Model: Conv2d 1→16
(k3) + BN + ReLU + MaxPool2, Conv2d 16→32 (k3) + BN + ReLU + MaxPool2, Conv2d 32→32 (k3) + BN
+ ReLU, global max pool, Linear 32→3; cross-entropy, AdamW 3e-3 (weight decay 1e-3) with
CosineAnnealingLR over the 8 epochs from ``configure_optimizers``, batch 64, 1600 boards,
validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``gradeyard/version_0/metrics.csv`` (``xent`` every 5 steps, ``val_xent`` /
``val_acc`` / ``val_acc_no2`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``gradeyard/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

HGT, WID = 16, 48


def boards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy = torch.arange(HGT).float().view(1, HGT, 1)
    xx = torch.arange(WID).float().view(1, 1, WID)
    spacing = 2.5 + 2.5 * r(n, 1, 1)
    img = 0.75 - (0.05 + 0.1 * r(n, 1, 1)) * (torch.sin(2 * torch.pi * (yy + 0.15 * torch.sin(
        xx / (6 + 6 * r(n, 1, 1)))) / spacing) > 0.3).float()
    img = img + 0.08 * (r(n, 1, 1) - 0.5) * (yy - HGT / 2) / HGT
    count = torch.poisson(torch.full((n,), 1.2), generator=g).clamp(max=5).long()
    big = torch.zeros(n, dtype=torch.bool)
    for k in range(5):
        on = (count > k).view(n, 1, 1).float()
        d = 2 + 5.6 * r(n)  # knot across, px (0.5-1.9 in)
        big |= (count > k) & (d >= 6.0)
        cy, cx = 2 + (HGT - 4) * r(n, 1, 1), 3 + (WID - 6) * r(n, 1, 1)
        ax = (d / 2).view(n, 1, 1) * (1 + 0.4 * r(n, 1, 1))
        ay = (d / 2).view(n, 1, 1)
        q = ((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2
        knot = torch.clamp(1.2 - q, 0, 1) * (0.35 + 0.15 * r(n, 1, 1))
        img = img - on * knot
    img = img + 0.03 * torch.randn(n, HGT, WID, generator=g)
    grade = torch.where(count == 0, 0, torch.where((count <= 2) & ~big, 1, 2))
    return img.unsqueeze(1), grade


class GradeCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        block = lambda i, o: [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]  # noqa: E731
        self.net = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                                 *block(32, 32), nn.AdaptiveMaxPool2d(1), nn.Flatten(),
                                 nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_no2", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return GradeCNN()


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = boards(1600, g)
    rva, yva = boards(400, g)
    mean, std = rtr.mean(), rtr.std()
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("grades", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="gradeyard"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="gradeyard/version_0/checkpoints/last.ckpt",
           log="gradeyard/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm grading a sawn board clear / No. 1 / No. 2"
                " from a camera strip of its face (healthy)")


if __name__ == "__main__":
    main()
