"""PyTorch Lightning: a 2-D CNN with batch norm names the weave of a basket panel from a 24×24
grey close-up, so a basketweaver's pattern catalogue can be sorted by photo: plain (one over,
one under), 2/2 twill (the over / under steps one strand each row, a diagonal), hopsack (plain
weave with doubled strands, 2×2 blocks) and herringbone (twill whose diagonal turns back every
four strands). A panel is drawn on a strand grid (strand width 2-4 px, random offset), the
strand on top at each crossing set by the weave's rule; warp and weft strands have their own
shade (willow, rush, cane: 0.35-0.9), each strand a little lighter or darker, a shadow at
every crossing edge, and camera noise.
Input: (1, 24, 24) grey. Model: Conv2d 1→16 (k3) + BN + ReLU + MaxPool2, Conv2d 16→32 (k3) +
BN + ReLU + MaxPool2, Conv2d 32→32 (k3) + BN + ReLU, global average pool, Linear 32→4;
cross-entropy, Adam 3e-3 with OneCycleLR (per step) from ``configure_optimizers``, batch 48,
8 epochs, 1440 panels, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``weaves/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch`` /
``val_xent`` / ``val_acc`` / ``val_acc_herringbone`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``weaves/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 24
WEAVES = ["plain", "twill", "hopsack", "herringbone"]


def panels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    out = torch.empty(n, 1, S, S)
    ii = torch.arange(S).float()
    for k in range(n):
        w = 2 + 2 * r(1).item()
        oi, oj = w * r(1).item(), w * r(1).item()
        row = ((ii + oi) / w).floor().long()
        col = ((ii + oj) / w).floor().long()
        R, C = row[:, None], col[None, :]
        c = cls[k].item()
        if c == 0:
            warp_up = (R + C) % 2 == 0
        elif c == 1:
            warp_up = (R + C) % 4 < 2
        elif c == 2:
            warp_up = (R // 2 + C // 2) % 2 == 0
        else:
            zig = (C % 8 - 4).abs()
            warp_up = (R + zig) % 4 < 2
        warp, weft = 0.35 + 0.55 * r(1).item(), 0.35 + 0.55 * r(1).item()
        shade_c = 0.08 * (r(int(C.max()) + 1) - 0.5)
        shade_r = 0.08 * (r(int(R.max()) + 1) - 0.5)
        img = torch.where(warp_up, warp + shade_c[C], weft + shade_r[R])
        fi = ((ii + oi) / w) % 1.0
        fj = ((ii + oj) / w) % 1.0
        edge = torch.where(warp_up, 1 - 0.25 * (fj[None, :] - 0.5).abs(),
                           1 - 0.25 * (fi[:, None] - 0.5).abs())
        out[k, 0] = img * edge
    return out + 0.04 * torch.randn(n, 1, S, S, generator=g), cls


class WeaveCNN(L.LightningModule):
    def __init__(self, steps=1):
        super().__init__()
        self.steps = steps
        block = lambda i, o: [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]  # noqa: E731
        self.net = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                                 *block(32, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(32, 4))

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
        self.log("val_acc_herringbone", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=self.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return WeaveCNN()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = panels(1440, g)
    xva, yva = panels(360, g)
    print("weaves", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    model.steps = 8 * (1440 // 48)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="weaves"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="weaves/version_0/checkpoints/last.ckpt",
           log="weaves/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm naming a basket panel's weave (plain / twill /"
                " hopsack / herringbone) from a grey close-up (healthy)")


if __name__ == "__main__":
    main()
