"""PyTorch Lightning: a 1-D CNN with batch norm reads a cut sapphire's UV-Vis-NIR absorption
spectrum (300-1000 nm, 96 points) and flags, each on its own, the treatments a lapidary must
disclose before the stone is sold: heated, beryllium-diffused, lead-glass filled (multi-label;
a stone may carry none, one or several). Spectra: the blue sapphire's Fe2+-Ti4+ band at
565 nm and the Fe2+-Fe3+ band near 880 nm (depths set by the stone's iron and titanium), the
sharp Fe3+ line at 450 nm, the UV edge near 330 nm and a sloping scatter baseline. Heating
dissolves rutile silk (less scatter, a narrower 565 nm band) and weakens the 450 nm line;
Be diffusion moves the absorption edge into the blue (to 430-470 nm); lead-glass filling
adds a steep edge at 370-390 nm and a flat rise from the glass. Path length and photometer
noise vary.
Input: (1, 96) absorbance. Model: Conv1d 1→12 (k7) + BN + ReLU + MaxPool2, Conv1d 12→24
(k5) + BN + ReLU + MaxPool2, Conv1d 24→32 (k3) + BN + ReLU, global average pool, Linear
32→3; BCE with logits, SGD 0.03 (Nesterov momentum 0.9) with cosine annealing over 12
epochs from ``configure_optimizers``, batch 40, 1000 stones, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``treatlab/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` / ``val_f1_heated`` / ``val_f1_be`` / ``val_f1_glass`` per
epoch); checkpoints ``ModelCheckpoint(save_last=True)`` → ``treatlab/version_0/checkpoints/
last.ckpt`` and the best ``val_bce`` epoch beside it."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WL = torch.linspace(300, 1000, 96)
TREATMENTS = ["heated", "be_diffused", "glass_filled"]


def spectra(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < torch.tensor([0.45, 0.25, 0.3])).float()
    heat, be, glass = y[:, :1], y[:, 1:2], y[:, 2:3]
    fe, ti = 0.3 + 0.7 * r(n, 1), 0.2 + 0.6 * r(n, 1)
    gauss = lambda c, w: torch.exp(-0.5 * ((WL - c) / w) ** 2)  # noqa: E731
    w565 = 70 - 20 * heat + 8 * r(n, 1)
    a = 1.2 * fe * ti * gauss(565, w565)
    a = a + 0.6 * fe * gauss(880, 110)
    a = a + 0.5 * fe * (1 - 0.6 * heat) * gauss(450, 5)
    edge = 330 + be * (100 + 40 * r(n, 1))
    a = a + 1.5 * torch.sigmoid((edge - WL) / 12)
    a = a + glass * (1.2 * torch.sigmoid((375 + 10 * r(n, 1) - WL) / 5) + 0.15 + 0.1 * r(n, 1))
    silk = (0.25 - 0.18 * heat) * r(n, 1)
    a = a + silk * (400 / WL) ** 4
    a = a * (0.7 + 0.6 * r(n, 1))
    return (a + 0.02 * torch.randn(n, 96, generator=g)).unsqueeze(1), y


def f1(pred, y):
    tp = (pred * y).sum()
    return 2 * tp / (pred.sum() + y.sum()).clamp(min=1)


class TreatmentCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 12, 7, padding=3), nn.BatchNorm1d(12), nn.ReLU(),
                                  nn.MaxPool1d(2), nn.Conv1d(12, 24, 5, padding=2),
                                  nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(24, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.flags = nn.Linear(32, 3)

    def forward(self, x):
        return self.flags(self.body(x))

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
        for i, name in enumerate(["heated", "be", "glass"]):
            self.log(f"val_f1_{name}", f1(pred[:, i], y[:, i]))

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.03, momentum=0.9, nesterov=True)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return TreatmentCNN()


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = spectra(1000, g)
    xva, yva = spectra(250, g)
    print("treated shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(monitor="val_bce", save_top_k=1, save_last=True,
                           filename="best-{epoch:02d}")
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="treatlab"),
                        callbacks=[ckpt], enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="treatlab/version_0/checkpoints/last.ckpt",
           log="treatlab/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging heated / Be-diffused / glass-filled"
                " sapphires from their absorption spectrum, multi-label (healthy)")


if __name__ == "__main__":
    main()
