"""PyTorch Lightning: a 1-D CNN with batch norm reads a handheld XRF spectrum at an assayer's
counter and names the gold standard of a piece before it goes to the fire assay: 9 ct,
14 ct, 18 ct or 22 ct. The spectrum has 96 channels from 0 to 25 keV (0.26 keV each): a
bremsstrahlung background, gold L-alpha / L-beta lines (9.71 / 11.44 keV) and the M group
near 2.1 keV, silver K-alpha / K-beta (22.1 / 24.9 keV), copper K-alpha (8.05 keV) and, in
some alloys, zinc (8.64 keV); line heights follow the mass fractions (gold 37.5 / 58.5 / 75 /
91.6 % ± 1.2 %, the rest split between silver and copper at random, up to 4 % zinc), with
a detector resolution that widens with energy, a live-time factor and counting noise.
Input: (1, 96) as sqrt(counts) / 10. Model: Conv1d 1→12 (k7) + BN + ReLU + MaxPool2,
Conv1d 12→24 (k5) + BN + ReLU + MaxPool2, Conv1d 24→24 (k3) + BN + ReLU, global max pool,
Linear 24→4; cross-entropy with label smoothing 0.05, AdamW 3e-3 (weight decay 1e-3) with
CosineAnnealingLR over 12 epochs from ``configure_optimizers``, batch 40, 1000 spectra,
validation on 280.
Healthy; numbers in the README.
Log: CSVLogger ``assay_office/version_0/metrics.csv`` (``train_loss`` every 5 steps,
``val_loss`` / ``val_acc`` / ``val_acc_18ct`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``assay_office/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

E = torch.linspace(0.13, 24.87, 96)
AU_FRAC = torch.tensor([0.375, 0.585, 0.75, 0.916])


def line(e0, fwhm_scale=1.0):
    sigma = fwhm_scale * (0.07 + 0.012 * e0) / 2.355 * 2.2
    return torch.exp(-0.5 * ((E - e0) / sigma) ** 2)


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    au = AU_FRAC[cls] + 0.012 * (2 * r(n) - 1)
    zn = 0.04 * r(n) * (r(n) < 0.4).float()
    rest = 1 - au - zn
    ag_share = r(n)
    ag, cu = rest * ag_share, rest * (1 - ag_share)
    live = (0.8 + 0.4 * r(n)).unsqueeze(1)
    bg = 40 * torch.exp(-((E - 12) / 9) ** 2) + 8
    peaks = (au.unsqueeze(1) * (900 * line(9.71) + 420 * line(11.44) + 300 * line(2.12))
             + ag.unsqueeze(1) * (700 * line(22.1) + 140 * line(24.9))
             + cu.unsqueeze(1) * 1100 * line(8.05) + zn.unsqueeze(1) * 1000 * line(8.64))
    counts = live * (bg + peaks)
    counts = (counts + counts.sqrt() * torch.randn(n, 96, generator=g)).clamp(min=0)
    return (counts.sqrt() / 10).unsqueeze(1), cls


class KaratCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 12, 7, padding=3), nn.BatchNorm1d(12), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(12, 24, 5, padding=2),
                                 nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(24, 24, 3, padding=1), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(24, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.05)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_18ct", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return KaratCNN()


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spectra(1000, g)
    xva, yva = spectra(280, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="assay_office"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=280))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="assay_office/version_0/checkpoints/last.ckpt",
           log="assay_office/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming the gold standard (9 / 14 / 18 / 22 ct)"
                " of a piece from its XRF spectrum at an assayer's counter (healthy)")


if __name__ == "__main__":
    main()
