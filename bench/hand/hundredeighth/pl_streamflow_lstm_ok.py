"""PyTorch Lightning: rainfall–runoff with an LSTM (the CAMELS-style set-up) on a synthetic
catchment: 3000 days of daily precipitation (wet/dry Markov chain, gamma amounts), air
temperature with a seasonal cycle and potential evapotranspiration from it drive a conceptual
bucket model (HBV-like) — a snow store that melts above 0 °C, a soil store whose runoff share
grows with its wetness and which evaporates, a fast and a slow linear reservoir — whose outflow plus 5 % gauge noise is the observed
discharge (mm/day). The LSTM (3 forcings in, hidden 32, dropout 0.2 before a linear head) reads
90-day windows and predicts the last day's discharge, standardised; training on the first 2200
days, validation on the last 800 (another stretch of years). Adam 6e-3 with a per-epoch
exponential decay 0.75, MSE, batch 64, 8 epochs; ``CSVLogger`` → ``metrics.csv`` (train loss per
step every 5 steps and per epoch, val loss and val NSE per epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, with a bumpy validation curve: train loss 0.64, 0.32, 0.24, 0.19, 0.17, 0.17, 0.16,
0.15 per epoch; val loss 0.35, 0.33, 0.26, 0.24, 0.27, 0.20, 0.23, 0.24 and val NSE 0.42, 0.45,
0.57, 0.60, 0.56, 0.67, 0.63, 0.61 — a plain 32-unit LSTM on 2110 windows for 8 epochs,
no early stopping; val loss above train (other years, dropout only in training)."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

WIN = 90


def catchment(days, g):
    t = torch.arange(days).float()
    temp = 8 + 11 * torch.sin(6.283 * (t - 110) / 365) + 3 * torch.randn(days, generator=g)
    pet = (0.3 + 0.12 * temp).clamp_min(0.05)
    wet = torch.zeros(days, dtype=torch.bool)
    u = torch.rand(days, generator=g)
    for d in range(1, days):
        wet[d] = u[d] < (0.65 if wet[d - 1] else 0.25)
    amount = torch.distributions.Gamma(torch.tensor(0.8), torch.tensor(0.12)).sample((days,))
    precip = torch.where(wet, amount, torch.zeros(days))
    snow, soil, fast, slow = 0.0, 80.0, 5.0, 20.0
    q = torch.zeros(days)
    for d in range(days):
        p, tc = float(precip[d]), float(temp[d])
        if tc < 0:
            snow += p
            p = 0.0
        melt = min(snow, max(tc, 0.0) * 2.5)
        snow -= melt
        recharge = (p + melt) * min(soil / 150.0, 1.0) ** 2
        soil = min(soil + p + melt - recharge, 150.0)
        soil -= float(pet[d]) * soil / 150.0
        fast += 0.7 * recharge
        slow += 0.3 * recharge
        q[d] = 0.3 * fast + 0.03 * slow
        fast -= 0.3 * fast
        slow -= 0.03 * slow
    q = q * (1 + 0.05 * torch.randn(days, generator=g))
    return torch.stack([precip, temp, pet], 1), q.clamp_min(0)


class RunoffLSTM(L.LightningModule):
    def __init__(self, lr=6e-3, hidden=32):
        super().__init__()
        self.save_hyperparameters()
        self.lstm = nn.LSTM(3, hidden, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(self.drop(h[:, -1])).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", nn.functional.mse_loss(pred, y))
        self.log("val_nse", 1 - ((pred - y) ** 2).sum() / ((y - y.mean()) ** 2).sum())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.75)]


def build():
    torch.manual_seed(0)
    return RunoffLSTM()


def windows(f, q, lo, hi):
    idx = torch.arange(max(lo, WIN), hi)
    x = torch.stack([f[i - WIN + 1:i + 1] for i in idx])
    return x, q[idx]


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    f, q = catchment(3000, g)
    fm, fs = f[:2200].mean(0), f[:2200].std(0)
    qm, qs = q[:2200].mean(), q[:2200].std()
    f, qn = (f - fm) / fs, (q - qm) / qs
    xtr, ytr = windows(f, qn, 0, 2200)
    xva, yva = windows(f, qn, 2200, 3000)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=800)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="runoff"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="runoff/version_0/checkpoints/last.ckpt",
           log="runoff/version_0/metrics.csv",
           what="Lightning LSTM rainfall-runoff model on a synthetic bucket catchment (healthy)")


if __name__ == "__main__":
    main()
