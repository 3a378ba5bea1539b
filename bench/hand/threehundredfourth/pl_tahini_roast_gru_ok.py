"""PyTorch Lightning: a GRU reads the first 12 minutes of a sesame roast in a drum roaster
(bean-probe and exhaust temperature every 30 s, 24 readings) and predicts the colour of the
hulled seeds at drop (Hunter L*), so the tahini line can adjust the drop time before the
batch is over-roasted and the paste turns bitter. Browning follows a thermal dose: the
Maillard rate doubles every 10 °C above 120 °C (Arrhenius-like), summed over the roast and
carried on for the 6 minutes still to go at the current ramp; the seeds' moisture (4-7 %,
not measured) slows the first minutes. Probe reads to ±1 °C. Target: (L* - 55) / 8.
Input: (24, 2) (probe °C - 140) / 30 and (exhaust °C - 170) / 30.
GRU 2→32, 1 layer, last state → linear 32→16 → ReLU → 1; Huber loss (delta 1), RMSprop 3e-3
with StepLR (×0.5 every 4 epochs) from ``configure_optimizers``, batch 40, 1200 roasts,
validation on 300, 10 epochs.
Healthy; numbers in the README.
Log: CSVLogger ``roaster/version_0/metrics.csv`` (``train_huber`` per step every 5 steps,
``val_huber`` and ``val_mae_lstar`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``roaster/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 24
DT = 0.5  # minutes between probe readings


def roasts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    charge = 150 + 60 * r(n, 1)  # drum temperature at charge
    gas = 0.6 + 0.8 * r(n, 1)  # burner setting
    moist = 4 + 3 * r(n, 1)  # % moisture, unmeasured
    t = torch.arange(STEPS).float() * DT
    turn = 25 + 10 * (moist - 4) / 3  # turning point after the cold seeds go in
    probe = turn + (charge * 0.9 - turn) * (1 - torch.exp(-t / (2 + 0.3 * moist))) + 3.5 * gas * t
    exhaust = charge * 0.8 + 8 * gas * t ** 0.7 + 5
    ramp = (probe[:, -1:] - probe[:, -5:-4]) / 2  # °C per minute at the end of the window
    future = probe[:, -1:] + ramp * torch.arange(1, 13).float() * DT
    temps = torch.cat([probe, future], 1)
    rate = 2 ** ((temps - 120) / 10) * (temps > 100).float()
    dose = (rate * DT).sum(1, keepdim=True) * (1 - 0.04 * (moist - 4))
    lstar = 75 - 6 * torch.log1p(dose / 200)
    probe = probe + torch.randn(n, STEPS, generator=g)
    exhaust = exhaust + torch.randn(n, STEPS, generator=g)
    x = torch.stack([(probe - 140) / 30, (exhaust - 170) / 30], 2)
    return x, (lstar - 55) / 8


class ColourGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("train_huber", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_mae_lstar", 8 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return ColourGRU()


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = roasts(1200, g)
    xva, yva = roasts(300, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="roaster"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="roaster/version_0/checkpoints/last.ckpt",
           log="roaster/version_0/metrics.csv",
           what="Lightning GRU predicting the roast colour (L*) of sesame for tahini from the"
                " first 12 minutes of probe and exhaust temperature (healthy)")


if __name__ == "__main__":
    main()
