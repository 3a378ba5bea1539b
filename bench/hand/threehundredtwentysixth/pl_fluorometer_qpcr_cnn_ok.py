"""PyTorch Lightning: a 1-D CNN with batch norm reads a real-time PCR run off the plate
fluorometer and makes the two calls a diagnostic lab makes per well (multi-label): target
detected (the FAM curve crosses threshold before cycle 38, the lab's cut-off) and internal
control valid (the HEX internal-control curve amplified, i.e. the well was not inhibited).
Each channel follows a logistic amplification curve over 40 cycles, F = baseline + drift·c +
plateau / (1 + exp(-(c - Ct) / s)), with the target's Ct spread over 14-46 (Ct beyond 40 shows
nothing), the internal control at Ct 25-30 unless the well is inhibited (15 %), a high target
load (Ct < 20) halving the control's plateau (competition), lamp drift and read noise.
Input: (2, 40) baseline-subtracted fluorescence (mean of cycles 3-8 removed) / 1000 RFU.
Model: Conv1d 2→16 (k5) + BN + ReLU, Conv1d 16→32 (k5) + BN + ReLU, MaxPool2, flatten,
Linear 640→2; BCE with logits, Adam 2e-3 with ExponentialLR(0.8) from
``configure_optimizers``, batch 48, 8 epochs, 1440 wells, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``qpcr_runs/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_acc_target`` / ``val_acc_ic`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``qpcr_runs/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

CYCLES = 40
CUTOFF = 38.0


def wells(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = torch.arange(1, CYCLES + 1).float()
    has_t = r(n) < 0.55
    ct_t = torch.where(has_t, 14 + 32 * r(n), torch.full((n,), 99.0))
    inhibited = r(n) < 0.15
    ct_ic = torch.where(inhibited, torch.full((n,), 99.0), 25 + 5 * r(n))
    plat_t = 6000 + 4000 * r(n)
    plat_ic = (3000 + 2000 * r(n)) * torch.where(ct_t < 20, 0.5, 1.0)
    s_t, s_ic = 1.4 + 0.4 * r(n), 1.4 + 0.4 * r(n)

    def curve(ct, plat, s):
        base = 1500 + 1000 * r(n, 1) + (8 - 16 * r(n, 1)) * c
        amp = plat.unsqueeze(1) / (1 + torch.exp(-(c - ct.unsqueeze(1)) / s.unsqueeze(1)))
        return base + amp + 40 * torch.randn(n, CYCLES, generator=g)

    f = torch.stack([curve(ct_t, plat_t, s_t), curve(ct_ic, plat_ic, s_ic)], 1)
    f = (f - f[:, :, 2:8].mean(2, keepdim=True)) / 1000.0
    y = torch.stack([(ct_t < CUTOFF).float(), (~inhibited).float()], 1)
    return f, y


class QpcrCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16),
                                      nn.ReLU(), nn.Conv1d(16, 32, 5, padding=2),
                                      nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2))
        self.head = nn.Linear(32 * CYCLES // 2, 2)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        call = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_acc_target", (call[:, 0] == y[:, 0]).float().mean())
        self.log("val_acc_ic", (call[:, 1] == y[:, 1]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)]


def build():
    torch.manual_seed(0)
    return QpcrCNN()


def main():
    from _threehundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wells(1440, g)
    xva, yva = wells(360, g)
    print("positive share", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="qpcr_runs"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="qpcr_runs/version_0/checkpoints/last.ckpt",
           log="qpcr_runs/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm making the target-detected / internal-"
                "control-valid calls from a qPCR fluorometer's two amplification curves"
                " (healthy)")


if __name__ == "__main__":
    main()
