"""PyTorch Lightning: a 1-D CNN with batch norm sorts a ragman's bale by fibre from a
hand-held near-infrared scan of each rag (1100-2400 nm, 64 points, reflectance as
absorbance log(1/R)), so the paper-mill rags (cotton, linen) go one way and the shoddy-mill
rags (wool, silk) and the unsaleable polyester another: cotton, linen, wool, silk,
polyester. Spectra: the bands each fibre really has (cellulose O-H / C-O near 1490, 1780,
2100 and 2340 nm; linen the same plus a small lignin band near 1680 and 2270 nm; protein
N-H near 1510, 2055, 2180 nm, wool with its cystine band near 2290 nm; polyester aromatic
C-H near 1660 and the ester band near 2130 / 2160 nm), band strengths and centres jittered
per rag, a water band at 1930 nm of random height (damp rags), a sloping scatter baseline
(weave, colour), and detector noise.
Input: (1, 64) absorbance minus the 0.4 offset the scanner ships with. Model: Conv1d 1→12
(k7) + BN + ReLU + MaxPool2, Conv1d 12→24 (k5) + BN + ReLU + MaxPool2, Conv1d 24→24 (k3) +
BN + ReLU, global average pool, Linear 24→5; cross-entropy, Adam 2e-3 with
CosineAnnealingLR over the 9 epochs from ``configure_optimizers``, batch 48, 1500 scans,
validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``ragsort/version_0/metrics.csv`` (``nll_step`` every 10 steps, ``nll_epoch``
/ ``val_nll`` / ``val_acc`` / ``val_acc_linen`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``ragsort/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FIBRES = ["cotton", "linen", "wool", "silk", "polyester"]
WL = torch.linspace(1100, 2400, 64)
# (centre nm, width nm, strength) of each fibre's bands
BANDS = {
    0: [(1490, 60, 0.30), (1780, 50, 0.12), (2100, 70, 0.45), (2340, 50, 0.25)],
    1: [(1490, 60, 0.28), (1680, 45, 0.08), (1780, 50, 0.12), (2100, 70, 0.42),
        (2270, 45, 0.10), (2340, 50, 0.25)],
    2: [(1510, 55, 0.30), (2055, 45, 0.35), (2180, 50, 0.40), (2290, 40, 0.18)],
    3: [(1510, 55, 0.32), (2055, 45, 0.42), (2180, 50, 0.32)],
    4: [(1660, 40, 0.35), (2130, 35, 0.30), (2160, 35, 0.25), (2250, 60, 0.12)],
}


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fibre = torch.randint(0, 5, (n,), generator=g)
    x = torch.zeros(n, 64)
    for i in range(n):
        for c, w, s in BANDS[int(fibre[i])]:
            c = c + 15 * (2 * r(1) - 1)
            s = s * (0.75 + 0.5 * r(1))
            x[i] += s * torch.exp(-0.5 * ((WL - c) / w) ** 2)
    water = 0.5 * r(n, 1) ** 2
    x += water * torch.exp(-0.5 * ((WL - 1930) / 55) ** 2)
    x += 0.4 + 0.25 * r(n, 1) + 0.2 * (r(n, 1) - 0.3) * (WL - 1100) / 1300
    x += 0.01 * torch.randn(n, 64, generator=g)
    return (x - 0.4).unsqueeze(1), fibre


class FibreCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 12, 7, padding=3), nn.BatchNorm1d(12), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(12, 24, 5, padding=2),
                                 nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(24, 24, 3, padding=1), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(24, 5))

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
        self.log("val_nll", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_linen", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=9)]


def build():
    torch.manual_seed(0)
    return FibreCNN()


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1500, g)
    xva, yva = scans(400, g)
    print("fibres", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=9, logger=CSVLogger(str(out), name="ragsort"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ragsort/version_0/checkpoints/last.ckpt",
           log="ragsort/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm sorting a ragman's rags into cotton / linen /"
                " wool / silk / polyester from a near-infrared scan (healthy)")


if __name__ == "__main__":
    main()
