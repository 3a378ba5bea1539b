"""PyTorch Lightning: a 1-D CNN with batch norm gives the spectral class (B, A, F, G, K) of a
star from a low-resolution slit spectrograph's spectrum (128 pixels, 3800-6800 Å), the first
cut of a variable-star follow-up queue. The effective temperature sets the class (B 11-20 kK,
A 7.5-10 kK, F 6-7.5 kK, G 5.2-6 kK, K 3.9-5.2 kK) and with it the Planck continuum's slope
and the absorption lines: He I 4471 only in B, the Balmer lines (Hδ, Hγ, Hβ, Hα) peaking at
A, Ca II H+K at 3950 and the G band at 4300 growing towards G and K, Mg b 5175 and Na D 5893
strongest in K. Interstellar reddening (a random tilt), a flux calibration wobble and 2 % noise.
Input: (1, 128) flux divided by its mean. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2,
16→32 (k5) + BN + ReLU + MaxPool2, 32→32 (k3) + BN + ReLU, global average pool, Linear 32→5;
cross-entropy, Adam 2e-3 with CosineAnnealingLR (T_max 8, per epoch) from
``configure_optimizers``, batch 48, 8 epochs, 1440 spectra, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``mkclass/version_0/metrics.csv`` (``nll_step`` every 5 steps, ``nll_epoch``,
``val_nll``, ``val_acc``, ``val_acc_fg`` (F and G stars only) per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``mkclass/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WL = torch.linspace(3800, 6800, 128)
TEFF = torch.tensor([[11000.0, 20000.0], [7500.0, 10000.0], [6000.0, 7500.0], [5200.0, 6000.0],
                     [3900.0, 5200.0]])


def stars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 5, (n,), generator=g)
    lo, hi = TEFF[cls, 0:1], TEFF[cls, 1:2]
    t = lo + (hi - lo) * r(n, 1)
    lam = WL * 1e-10
    planck = 1 / (lam ** 5 * (torch.exp(1.4388e-2 / (lam * t)) - 1))
    balmer = 0.5 * torch.exp(-((t - 9500) / 2500) ** 2)
    hei = 0.25 * ((t - 10500) / 8000).clamp(0, 1)
    cah = 0.6 * ((7500 - t) / 3500).clamp(0, 1)
    metal = 0.4 * ((6500 - t) / 2600).clamp(0, 1)

    def line(c, depth, w=12.0):
        return depth * torch.exp(-0.5 * ((WL - c) / w) ** 2)

    absorb = (line(4102, balmer) + line(4340, balmer) + line(4861, balmer) + line(6563, balmer)
              + line(4471, hei, 8) + line(3950, cah, 20) + line(4300, metal, 15)
              + line(5175, metal, 15) + line(5893, metal, 10))
    redden = torch.exp(-0.3 * r(n, 1) * (6800 - WL) / 3000)
    wobble = 1 + 0.03 * torch.sin(WL / 500 + 6.28 * r(n, 1))
    f = planck * (1 - absorb).clamp(min=0.05) * redden * wobble
    f = f / f.mean(1, keepdim=True)
    f = f * (1 + 0.02 * torch.randn(n, 128, generator=g))
    return f.unsqueeze(1), cls


class StarCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("nll", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        fg = (y == 2) | (y == 3)
        self.log("val_nll", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_fg", (pred[fg] == y[fg]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)}


def build():
    torch.manual_seed(0)
    return StarCNN()


def main():
    from _threehundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stars(1440, g)
    xva, yva = stars(400, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="mkclass"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="mkclass/version_0/checkpoints/last.ckpt",
           log="mkclass/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm giving a star's spectral class (B / A / F /"
                " G / K) from a slit spectrograph spectrum (healthy)")


if __name__ == "__main__":
    main()
