"""PyTorch Lightning: a residual MLP flags, for each shift on a nailmaker's cold-heading
machine, which of three defects the next bin of nails will show (multi-label, any number at
once), from the machine's logged settings and wear counters: wire diameter deviation (µm),
wire tensile strength (MPa), heading punch force (kN), die strokes since the last die change
(thousands), feed rate (nails / min), gripper pressure (bar), cut-off knife strokes since
sharpening (thousands) and lubricant temperature (°C). The shop's rules of thumb behind the
labels: a cracked head comes from hard wire struck hard (tensile and punch force together,
worse with a cold lubricant); an off-centre head from low gripper pressure at high feed,
worse on a worn die; a burred point from a dull cut-off knife, worse on oversized wire.
Each defect is drawn from a logistic of its rule, so the bins near a threshold go either way.
Input: 8 standardised settings. Model: Linear 8→48, then 2 residual blocks (LayerNorm,
Linear 48→48, SiLU, Linear 48→48, added back), LayerNorm, Linear 48→3 (logits);
BCE-with-logits, Adam 3e-3 with ExponentialLR(0.85) from ``configure_optimizers``, batch 40,
12 epochs, 2000 shifts, validation on 500.
Healthy; numbers in the README.
Log: CSVLogger ``heading/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact_match`` / ``val_f1_cracked`` / ``val_f1_offcentre`` /
``val_f1_burr`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``heading/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DEFECTS = ["cracked", "offcentre", "burr"]


def shifts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    dia = 40 * (r(n) - 0.5)  # µm off nominal
    tensile = 500 + 250 * r(n)  # MPa
    force = 60 + 40 * r(n)  # kN
    die_k = 400 * r(n)  # thousand strokes
    feed = 250 + 350 * r(n)  # nails / min
    grip = 3 + 5 * r(n)  # bar
    knife_k = 150 * r(n)
    lube = 20 + 30 * r(n)  # °C
    cracked = ((tensile - 640) / 40 + (force - 82) / 8 - (lube - 30) / 12)
    offc = (feed - 450) / 60 - (grip - 5) / 0.8 + (die_k - 250) / 90
    burr = (knife_k - 100) / 15 + dia / 12
    logits = torch.stack([cracked, offc, burr], 1)
    y = (r(n, 3) < torch.sigmoid(1.5 * logits)).float()
    x = torch.stack([dia, tensile, force, die_k, feed, grip, knife_k, lube], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class HeadingNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 48), Block(48), Block(48), nn.LayerNorm(48),
                                 nn.Linear(48, 3))

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
        self.log("val_exact_match", (pred == y).all(1).float().mean())
        for k, name in enumerate(DEFECTS):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return HeadingNet()


def main():
    from _fourhundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shifts(2000, g)
    xva, yva = shifts(500, g)
    print("defect rates", ytr.mean(0).tolist())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="heading"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="heading/version_0/checkpoints/last.ckpt",
           log="heading/version_0/metrics.csv",
           what="Lightning residual MLP flagging cracked / off-centre / burred nails from a"
                " cold-heading machine's settings, multi-label (healthy)")


if __name__ == "__main__":
    main()
