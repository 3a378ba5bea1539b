"""PyTorch Lightning: a GRU reads a hop-picking crew's tally book hour by hour and, after every
hour, says how many bushels are still to come before the measurer's last call, so the farm
can order the right number of pokes and kiln space. The day has 10 picking hours; each hour
brings the bushels the tallyman booked that hour, whether it rained, the crew size and the
cone size of the garden being picked. The rule behind it: a picker takes 1.2-2.0 bushels an
hour, more with big cones, less after the noon break and late on (tired hands), and rain
halves the pace and tends to last (a wet hour is usually followed by another); the crew's own
pace shows in the first hours' tallies.
Input: (10, 4) per hour: bushels / 100, rain 0/1, crew / 40, cone size index. Target per
hour (a per-step head): bushels still to come / 100. Model: GRU 4→40 (1 layer), Linear
40→1 at every step; MSE; Adam 3e-3 with cosine decay from ``configure_optimizers``, batch
48, 14 epochs, 1440 days, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``tallybook/version_0/metrics.csv`` (``mse_step`` every 5 steps,
``mse_epoch`` / ``val_mse`` / ``val_mae_bushels`` / ``val_mae_bushels_noon`` per epoch);
checkpoints ``ModelCheckpoint(monitor="val_mse", save_last=True)`` →
``tallybook/version_0/checkpoints/last.ckpt`` and the best epoch's ``epoch=…-step=….ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

HOURS = 10


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    crew = torch.randint(12, 41, (n, 1), generator=g).float()
    cone = 0.7 + 0.6 * r(n, 1)
    pace = 1.2 + 0.8 * r(n, 1)
    rain = torch.zeros(n, HOURS)
    wet = r(n) < 0.15
    for h in range(HOURS):
        p = torch.where(wet, torch.full((n,), 0.65), torch.full((n,), 0.07))
        wet = r(n) < p
        rain[:, h] = wet.float()
    hour = torch.arange(HOURS).float().view(1, HOURS)
    tired = 1 - 0.15 * (hour >= 4).float() - 0.04 * (hour - 5).clamp(0)
    per = pace * cone * tired * (1 - 0.5 * rain)
    tally = crew * per * (1 + 0.08 * torch.randn(n, HOURS, generator=g))
    left = tally.flip(1).cumsum(1).flip(1) - tally  # still to come after this hour
    x = torch.stack([tally / 100, rain, crew.expand(n, HOURS) / 40, cone.expand(n, HOURS)], 2)
    return x, (left / 100).unsqueeze(2)


class TallyGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 40, batch_first=True)
        self.head = nn.Linear(40, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        err = (pred - y).abs() * 100
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_bushels", err.mean())
        self.log("val_mae_bushels_noon", err[:, 4].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)}


def build():
    torch.manual_seed(0)
    return TallyGRU()


def main():
    from _threehundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1440, g)
    xva, yva = days(360, g)
    print("bushels a day", (ytr[:, 0, 0] * 100 + xtr[:, 0, 0] * 100).mean().item(),
          "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="tallybook"),
                        callbacks=[ModelCheckpoint(monitor="val_mse", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tallybook/version_0/checkpoints/last.ckpt",
           log="tallybook/version_0/metrics.csv",
           what="Lightning GRU, per-hour bushels still to come from a hop-picking crew's"
                " tally book (healthy)")


if __name__ == "__main__":
    main()
