"""PyTorch Lightning: a GRU reads 30 days of late winter for a bison herd on a northern
range (snow depth, air temperature, the herd's daily travel from the cows' GPS collars)
and predicts the mean body mass change of the collared cows over those 30 days (kg), so
the park can decide whether supplemental hay or an earlier spring round-up is needed.
Energy balance per day: forage intake falls as snow deepens (cratering through more than
about 40 cm costs more than it gains), travel costs more in deep snow (about depth^1.5),
cold below -20 °C adds a thermoregulation cost, and the cows' starting condition
(unmeasured) scales how much they draw on their reserves; mass change is the sum of the
daily balances plus weighing noise (± 4 kg).
Input: (30, 3) snow cm / 30, (°C + 10) / 10, km / 3. Target: kg / 20.
GRU 3→32, 1 layer, last state → linear 32→16 → Tanh → 16→1; smooth L1 loss, AdamW 4e-3
(weight decay 1e-3) with OneCycleLR per optimizer step (``interval: "step"``) from
``configure_optimizers``, batch 40, 10 epochs, 1200 herd-winters, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``herdwinter/version_0/metrics.csv`` (``train_l1`` every 5 steps and
``lr-AdamW`` from a LearningRateMonitor, ``val_l1`` / ``val_mae_kg`` per epoch);
checkpoint ``ModelCheckpoint(save_last=True)`` →
``herdwinter/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 30
EPOCHS, BATCH, N_TRAIN = 10, 40, 1200


def winters(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    snow0 = 10 + 50 * r(n, 1)
    storms = (r(n, DAYS) < 0.08).float() * (5 + 20 * r(n, DAYS))
    snow = (snow0 + torch.cumsum(storms, 1) - 0.6 * torch.arange(DAYS).float()).clamp(min=0)
    temp = -25 + 20 * r(n, 1) + 6 * torch.randn(n, DAYS, generator=g)
    travel = (1.5 + 2.5 * r(n, 1) - 0.02 * snow + 0.5 * torch.randn(n, DAYS, generator=g))
    travel = travel.clamp(min=0.2)
    cond = 0.8 + 0.4 * r(n, 1)
    intake = 1.2 - 0.025 * (snow - 40).clamp(min=0) - 0.006 * snow
    cost = 0.9 + 0.01 * travel * (snow / 10) ** 1.5 + 0.04 * (-20 - temp).clamp(min=0)
    dmass = (intake - cost).sum(1, keepdim=True) * cond
    dmass = dmass + 4 * torch.randn(n, 1, generator=g)
    x = torch.stack([snow / 30, (temp + 10) / 10, travel / 3], 2)
    return x, dmass / 20


class HerdGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.smooth_l1_loss(self(x), y)
        self.log("train_l1", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_l1", F.smooth_l1_loss(p, y))
        self.log("val_mae_kg", 20 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=4e-3, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, epochs=EPOCHS,
                                                    steps_per_epoch=N_TRAIN // BATCH)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return HerdGRU()


def main():
    from _threehundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = winters(N_TRAIN, g)
    xva, yva = winters(300, g)
    print("target", ytr.mean().item(), ytr.var().item(), "x", xtr.mean((0, 1)).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="herdwinter"),
                        callbacks=[ModelCheckpoint(save_last=True),
                                   LearningRateMonitor(logging_interval="step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=100))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="herdwinter/version_0/checkpoints/last.ckpt",
           log="herdwinter/version_0/metrics.csv",
           what="Lightning GRU predicting bison cows' late-winter mass change from 30 days of"
                " snow depth, temperature and collar travel (healthy)")


if __name__ == "__main__":
    main()
