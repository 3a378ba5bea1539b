"""PyTorch Lightning: an LSTM reads the first three days of a red-wine fermentation (hydrometer
Brix and cap temperature every 3 hours, 24 readings) and estimates how many days the tank needs
to go dry (Brix below -1), so the cellar can plan pump-overs, pressing and tank rotation.
The sugar follows a logistic fall: a lag while the yeast builds up, then a rate set by the
must's nitrogen (YAN, not measured) and the cap temperature (faster when warm, Q10 about 2),
from a starting Brix of 22-27; the cap warms with the fermentation's own heat and the cellar's
cooling jacket pulls it back; the hydrometer reads to ±0.3 Brix. Target: (days to dry - 9) / 3.
Input: (24, 2) (Brix - 20) / 5 and (cap °C - 25) / 5.
LSTM 2→32, 1 layer, last state → linear 32→1; MSE, Adam 5e-3 with CosineAnnealingLR over 12
epochs from ``configure_optimizers``, batch 64, 1280 tanks, validation on 320.
Healthy; numbers in the README.
Log: CSVLogger ``cellar/version_0/metrics.csv`` (``loss`` per step every 4 steps,
``val_loss`` and ``val_mae_days`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``cellar/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 24
DT = 0.125  # days between hydrometer readings (every 3 hours)


def tanks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    brix0 = 22 + 5 * r(n, 1)
    yan = 0.5 + r(n, 1)  # relative nitrogen, unmeasured
    setpoint = 20 + 10 * r(n, 1)
    lag = 0.5 + 1.5 * r(n, 1)
    t = torch.arange(STEPS).float() * DT
    cap = setpoint + 4 * torch.sigmoid((t - lag) * 2) * (1.5 - yan / 2)
    k = 0.55 * yan * 2 ** ((setpoint - 25) / 10)
    t50 = lag + 1.2 / k
    span = brix0 + 2  # Brix runs from brix0 down to about -2
    brix = -2 + span / (1 + torch.exp(k * (t - t50)))
    dry = t50 + torch.log(span / 1 - 1) / k  # Brix = -1
    brix = brix + 0.3 * torch.randn(n, STEPS, generator=g)
    cap = cap + 0.4 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([(brix - 20) / 5, (cap - 25) / 5], 2)
    return x, (dry - 9) / 3


class DryLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_days", 3 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return DryLSTM()


def main():
    from _threehundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tanks(1280, g)
    xva, yva = tanks(320, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="cellar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=320))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cellar/version_0/checkpoints/last.ckpt",
           log="cellar/version_0/metrics.csv",
           what="Lightning LSTM estimating days to dryness from the first three days of a"
                " wine fermentation's Brix and cap temperature (healthy)")


if __name__ == "__main__":
    main()
