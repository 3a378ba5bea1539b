"""PyTorch Lightning: a GRU tells a hedgehog rescue how much weight an autumn juvenile in care
will put on over the next 10 days, from its first 21 days on the ward: the morning weight
(g), the food it ate overnight (g of meaty food, weighed back from the bowl), the shed
temperature (°C) and whether the wormer course was running that day. Care model: the daily
gain is about 16 % of the food eaten, less the cost of keeping warm below 12 °C, less a
parasite drain (lungworm) that stops once the wormer has run for 3 days; appetite grows with
the weight and is set per animal; over the next 10 days each hedgehog keeps its own
appetite and the shed follows the weather. Target: grams gained in 10 days (about 52 g
± 38 g), with 6 g of scale and weighing-time scatter.
Input: (21, 4) (weight - 400) / 150, food / 40, (temperature - 10) / 5, wormer 0/1.
GRU 4→32, 1 layer, last state → Linear 32→32-ReLU→1, target in 100 g; MSE, RMSprop 2e-3 with
ReduceLROnPlateau on ``val_mse`` (factor 0.5, patience 2) from ``configure_optimizers``,
batch 64, 14 epochs, 1400 hedgehogs, validation on 350.
Healthy; numbers in the README.
Log: CSVLogger ``ward/version_0/metrics.csv`` (``train_mse`` every 5 steps, ``val_mse`` and
``val_mae_g`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``ward/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

D, AHEAD = 21, 10


def wards(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    days = D + AHEAD
    w = 250 + 250 * r(n)
    appetite = 0.07 + 0.05 * r(n)
    worm_day = torch.randint(0, 12, (n,), generator=g)
    lung = 2 + 6 * r(n) * (r(n) < 0.6).float()
    temp = 4 + 10 * r(n, 1) + 2.5 * torch.randn(n, days, generator=g).cumsum(1) / 4
    ws, foods = [], []
    for t in range(days):
        food = (appetite * w * (1 + 0.1 * torch.randn(n, generator=g))).clamp(min=5)
        wormed = (t >= worm_day + 3).float()
        gain = 0.16 * food - 0.6 * (12 - temp[:, t]).clamp(min=0) - lung * (1 - wormed)
        ws.append(w)
        foods.append(food)
        w = w + gain
    ws, foods = torch.stack(ws, 1), torch.stack(foods, 1)
    wormer = ((torch.arange(days) >= worm_day[:, None]) &
              (torch.arange(days) < worm_day[:, None] + 5)).float()
    y = ws[:, -1] + 0.16 * foods[:, -1] - ws[:, D - 1] + 6 * torch.randn(n, generator=g)
    x = torch.stack([(ws[:, :D] - 400) / 150, foods[:, :D] / 40, (temp[:, :D] - 10) / 5,
                     wormer[:, :D]], 2)
    return x, (y / 100).unsqueeze(1)


class WardGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_g", 100 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_mse"}}


def build():
    torch.manual_seed(0)
    return WardGRU()


def main():
    from _twohundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wards(1400, g)
    xva, yva = wards(350, g)
    print("gain g", 100 * ytr.mean().item(), 100 * ytr.std().item(), "var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="ward"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=350))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ward/version_0/checkpoints/last.ckpt",
           log="ward/version_0/metrics.csv",
           what="Lightning GRU forecasting a rescued hedgehog's weight gain over the next 10"
                " days from its first 3 weeks on the ward (healthy)")


if __name__ == "__main__":
    main()
