"""PyTorch Lightning: a GRU reads a London crossing-sweeper's day hour by hour (7 am to 9 pm,
14 hours) and predicts the pence taken at his crossing in each hour. Foot traffic peaks in the
morning and evening rush and is lower on a Sunday; rain and horse traffic build the mud on the
crossing, which the sweeper clears, and mud left from earlier hours lingers (it decays by a
third an hour), so walkers pay more for a swept path after a wet morning and on a busy
carriage road. Takings ≈ walkers × (0.15 + mud share), with Poisson-like noise.
Input per hour: rain (mm), walkers (hundreds), carriages (tens), Sunday flag. Target per
hour: pence / 4. Model: GRU 4→32, one layer, Linear 32→1 on every step (per-step
regression); MSE, Adam 3e-3 with ExponentialLR (γ 0.85 per epoch) from
``configure_optimizers``, batch 40, 12 epochs, 1000 days, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``pitch/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch`` /
``val_mse`` / ``val_mae_pence`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``pitch/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 14  # 7 am to 9 pm


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = torch.arange(H).float() + 7
    sunday = (r(n, 1) < 1 / 7).float()
    rush = torch.exp(-((hour - 9) / 1.5) ** 2) + 0.8 * torch.exp(-((hour - 18) / 2) ** 2)
    walkers = (1 + 3 * rush) * (1 - 0.5 * sunday) * (0.7 + 0.6 * r(n, 1)) * (0.9 + 0.2 * r(n, H))
    carriages = (0.5 + 1.5 * rush) * (1 - 0.6 * sunday) * (0.6 + 0.8 * r(n, 1))
    wet_day = r(n, 1) < 0.45
    rain = torch.where(wet_day & (r(n, H) < 0.4), 4 * r(n, H) ** 2, torch.zeros(n, H))
    mud = torch.zeros(n)
    muds = []
    for t in range(H):
        mud = 0.67 * mud + 0.35 * rain[:, t] + 0.08 * carriages[:, t]
        muds.append(mud)
    mud = torch.stack(muds, 1)
    share = mud / (1 + mud)
    pence = walkers * (0.15 + share) * 6
    pence = pence + 0.4 * pence.sqrt() * torch.randn(n, H, generator=g)
    x = torch.stack([rain, walkers, carriages, sunday.expand(n, H)], 2)
    return x, (pence / 4).unsqueeze(2)


class Crossing(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

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
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_pence", 4 * (pred - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return Crossing()


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1000, g)
    xva, yva = days(250, g)
    print("pence/4 mean, var", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="pitch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="pitch/version_0/checkpoints/last.ckpt",
           log="pitch/version_0/metrics.csv",
           what="Lightning GRU predicting a crossing-sweeper's pence taken each hour from rain,"
                " walkers and carriages (per-step regression, healthy)")


if __name__ == "__main__":
    main()
