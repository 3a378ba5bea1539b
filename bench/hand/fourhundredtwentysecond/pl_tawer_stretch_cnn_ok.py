"""PyTorch Lightning: a 1-D CNN with batch norm grades a strip of alum-tawed leather from the
tawer's stretch test, so the soft, white skins for gloves go one way and the rest back to the
tub: supple (well tawed), raw (under-tawed), burnt (over-alumed, brittle), starved (too little
egg-yolk and flour in the paste, boardy). The bench pulls the strip to 60 % strain in 64
steps; channel 0 is the pull force (N, a toe then a near-linear rise whose slope is the
stiffness, a break where the strip tears, the force then falling to a tail), channel 1 the
strip thickness from the dial gauge (mm, thinning with strain by the Poisson-like ratio of the
skin). Class rules: supple stiffness 2-3 N/%, break at 42-55 %; raw 5-7, break 25-35 %;
burnt 3-4, break 14-24 %; starved 7-9, break 38-50 %; strip thickness 0.8-1.4 mm, gauge noise.
Input: (2, 64), force / 100 and thickness - 1. Model: Conv1d 2→24 (k7) + BN + ReLU + MaxPool2,
Conv1d 24→48 (k5) + BN + ReLU + MaxPool2, Conv1d 48→48 (k3) + BN + ReLU, global max pool,
Linear 48→4; cross-entropy with label smoothing 0.05, Adam 2e-3 with CosineAnnealingLR from
``configure_optimizers``, batch 40, 8 epochs, 1000 strips, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``tawery/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch``
/ ``val_xent`` / ``val_acc`` / ``val_acc_burnt`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``tawery/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 64


def strips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    k_lo = torch.tensor([2.0, 5.0, 3.0, 7.0])[cls]
    k_hi = torch.tensor([3.0, 7.0, 4.0, 9.0])[cls]
    b_lo = torch.tensor([42.0, 25.0, 14.0, 38.0])[cls]
    b_hi = torch.tensor([55.0, 35.0, 24.0, 50.0])[cls]
    k = (k_lo + (k_hi - k_lo) * r(n)).unsqueeze(1)
    brk = (b_lo + (b_hi - b_lo) * r(n)).unsqueeze(1)
    strain = torch.linspace(0, 60, N).unsqueeze(0)
    toe = 3.0 + 4.0 * r(n, 1)
    force = k * (strain - toe * (1 - torch.exp(-strain / toe)))
    after = (strain > brk).float()
    tail = torch.exp(-(strain - brk).clamp(min=0) / (2 + 3 * r(n, 1)))
    force = force * (1 - after) + after * k * (brk - toe) * 0.3 * tail
    force = force + 2.0 * torch.randn(n, N, generator=g)
    t0 = 0.8 + 0.6 * r(n, 1)
    nu = torch.tensor([0.45, 0.3, 0.25, 0.2])[cls].unsqueeze(1) * (0.8 + 0.4 * r(n, 1))
    thick = t0 * (1 - nu * strain.clamp(max=brk) / 100) + 0.01 * torch.randn(n, N, generator=g)
    return torch.stack([force / 100, thick - 1], 1), cls


class StretchCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(2, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.BatchNorm1d(48), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(48, 48, 3, padding=1), nn.BatchNorm1d(48), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(48, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.05)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_burnt", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return StretchCNN()


def main():
    from _fourhundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strips(1000, g)
    xva, yva = strips(240, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="tawery"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tawery/version_0/checkpoints/last.ckpt",
           log="tawery/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm grading alum-tawed leather (supple / raw /"
                " burnt / starved) from a stretch test (healthy)")


if __name__ == "__main__":
    main()
