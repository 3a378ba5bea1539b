"""PyTorch Lightning: short-term forecast of stadium turnstile arrivals for gate staffing.
Synthetic match days (120 days × 6 gates): a gate's arrivals per 5-minute slot follow a skewed bump that peaks
15–35 minutes before kick-off (earlier for a derby, flatter in the rain), scaled by the gate's
share of a 20–60 k crowd, Poisson counts. Input: the last 12 slots (one hour) of arrivals
divided by the gate's capacity per slot (~ 0–1.2), the minutes to kick-off / 120, the derby
flag and the rain flag; target: the next 3 slots, same scale. An MLP 15 → 128 → 128 → 3 with
GELU and dropout 0.2, MSE, AdamW 2e-3 with a per-epoch step decay (×0.5 every 5 epochs), batch
128, 15 epochs of 6000 windows; ``CSVLogger`` → ``metrics.csv`` (train MSE per 10 steps and per
epoch, val MSE and val MAE in arrivals per slot), ``ModelCheckpoint(save_last=True)``.
Healthy: val MSE 0.032 after epoch 1 → 0.0063 at epoch 15 (val MAE 51 → 21 arrivals per slot;
repeating the last slot scores 0.087 / 89), with the val MSE about half the train MSE throughout
(0.0063 vs 0.0117 at the end) — dropout is on in training, and Poisson noise is the floor."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

SLOTS, HORIZON, CAP = 12, 3, 400.0  # 5-min slots in the window, slots ahead, capacity/slot


def match_days(n_days, g):
    t = torch.arange(-150, 30, 5).float()  # minutes relative to kick-off, 36 slots
    xs, ys = [], []
    for _ in range(n_days):
        crowd = 20000 + 40000 * float(torch.rand(1, generator=g))
        derby = float(torch.rand(1, generator=g) < 0.25)
        rain = float(torch.rand(1, generator=g) < 0.3)
        for _gate in range(6):
            share = (0.08 + 0.12 * float(torch.rand(1, generator=g)))
            peak = -25 - 10 * derby + 10 * float(torch.randn(1, generator=g)) * 0.5
            width = 22 + 10 * rain
            z = (t - peak) / width
            shape = torch.exp(-0.5 * z ** 2) * (1 + 0.6 * torch.tanh(-z))
            lam = crowd * share * shape / shape.sum()
            counts = torch.poisson(lam, generator=g) / CAP
            for s in range(SLOTS, len(t) - HORIZON + 1, 2):
                ctx = torch.tensor([-(t[s]) / 120.0, derby, rain])
                xs.append(torch.cat([counts[s - SLOTS:s], ctx]))
                ys.append(counts[s:s + HORIZON])
    return torch.stack(xs), torch.stack(ys)


class ArrivalsMLP(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(SLOTS + 3, 128), nn.GELU(), nn.Dropout(0.2),
                                 nn.Linear(128, 128), nn.GELU(), nn.Dropout(0.2),
                                 nn.Linear(128, HORIZON))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_arrivals", (pred - y).abs().mean() * CAP)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return ArrivalsMLP()


def main():
    from _hundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = match_days(120, g)
    ntr = 6000
    perm = torch.randperm(len(x), generator=g)
    x, y = x[perm], y[perm]
    xtr, ytr, xva, yva = x[:ntr], y[:ntr], x[ntr:ntr + 1500], y[ntr:ntr + 1500]
    base = xva[:, SLOTS - 1:SLOTS].expand(-1, HORIZON)
    print(len(x), "windows; repeat-last baseline val MSE", F.mse_loss(base, yva).item(),
          "MAE", ((base - yva).abs().mean() * CAP).item())
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=128, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=500)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="turnstile"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="turnstile/version_0/checkpoints/last.ckpt",
           log="turnstile/version_0/metrics.csv",
           what="Lightning MLP forecasting turnstile arrivals per gate before kick-off (healthy)")


if __name__ == "__main__":
    main()
