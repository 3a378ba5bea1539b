"""PyTorch Lightning: a GRU reads 60 days of a forest stand's sensor post (one reading a day:
volumetric soil moisture, the point dendrometer's daily stem diameter change, the night's
minimum air temperature) and raises the forester's three flags for the stand, any of them
at once (multi-label): drought stress, late-frost damage risk and bark-beetle risk.
Rules behind the flags, the way the district forester writes them: drought when soil
moisture has been under 14 % on at least 12 of the days; late frost when two nights fell below
-2 °C after day 30 (bud break; cold snaps of a few days come in 45 % of seasons); beetle
risk when the stem shrank by more than 120 µm net over the last 25 days while it was warm
(mean night above 9 °C over those days), the sign of a tree that cannot pitch out borers.
Weather comes in spells: rain events refill the soil, it dries by evaporation that rises
with warmth, stems swell and shrink with soil water and the day's dryness; sensor noise on
top.
Input: (60, 3) standardised per channel. Model: GRU 3→48 (1 layer), last hidden state,
Linear 48→3 (logits); BCE, Adam 3e-3 with ExponentialLR (×0.9 per epoch) from
``configure_optimizers``, batch 48, 15 epochs, 960 stand-seasons, validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``standwatch/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch``, ``val_bce``, ``val_f1_drought`` / ``val_f1_frost`` / ``val_f1_beetle``, and
``val_exact`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``standwatch/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 60
FLAGS = ["drought", "frost", "beetle"]


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    t = torch.arange(DAYS).float()
    base_t = 2 + 14 * r(n, 1)  # how warm the season runs
    tmin = base_t + 0.15 * t - 0.0015 * t ** 2 + 1.5 * z(n, DAYS)
    snap = (r(n, 1) < 0.45).float()  # a cold snap somewhere
    day = (20 + 36 * r(n, 1)).long()
    tmin = tmin - snap * (8 + 6 * r(n, 1)) * torch.exp(-0.5 * ((t - day) / 3.0) ** 2)
    wet = 0.35 * r(n, 1) + 0.05  # rain chance per day
    rain = (r(n, DAYS) < wet).float() * (4 + 8 * r(n, DAYS))
    sm = torch.zeros(n, DAYS)
    s = 18 + 14 * r(n)
    for d in range(DAYS):
        s = (s + rain[:, d] * 0.9 - (0.25 + 0.05 * tmin[:, d].clamp(min=0))).clamp(6, 38)
        sm[:, d] = s
    stem = 8 * (sm - 16) / 10 - 1.5 * (tmin - 8).clamp(min=0) + 6 * z(n, DAYS)
    drought = ((sm < 14).sum(1) >= 12)
    frost = (tmin[:, 30:] < -2).sum(1) >= 2
    beetle = (stem[:, -25:].sum(1) < -120) & (tmin[:, -25:].mean(1) > 9)
    x = torch.stack([sm + 0.5 * z(n, DAYS), stem + 2 * z(n, DAYS), tmin + 0.3 * z(n, DAYS)], 2)
    return x, torch.stack([drought, frost, beetle], 1).float()


class StandGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

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
        for i, name in enumerate(FLAGS):
            tp = (pred[:, i] * y[:, i]).sum()
            f1 = 2 * tp / (pred[:, i].sum() + y[:, i].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)
        self.log("val_exact", (pred == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]


def build():
    torch.manual_seed(0)
    return StandGRU()


def main():
    from _threehundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = seasons(960, g)
    xva, yva = seasons(240, g)
    print("flag rates", ytr.mean(0).tolist())
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="standwatch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="standwatch/version_0/checkpoints/last.ckpt",
           log="standwatch/version_0/metrics.csv",
           what="Lightning GRU raising drought / late-frost / bark-beetle flags from 60 days of"
                " a forest stand's soil moisture, dendrometer and night temperature (healthy)")


if __name__ == "__main__":
    main()
