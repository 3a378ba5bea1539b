"""PyTorch Lightning: a GRU reads the first 2 hours of a batch annealing furnace's heat-up
(furnace air temperature and a surface thermocouple on the load, every 3 min, 40
readings) and predicts the core temperature of the steel load at the end of that window,
so the furnace operator knows when the soak timer may start. The load heats as a two-stage
lag: the surface follows the air with a time constant that grows with the section and the core
follows the surface with one that grows with the square of the (unlogged) section
thickness, 40-160 mm; the air follows a ramp to a set point of 650-780 °C with burner
cycling. Target: (core °C - 500) / 150. Input: (40, 2) (°C - 500) / 150 for air and
surface.
Model: GRU 2→32, 1 layer, last state → linear 32→16 + ReLU → linear 16→1; MSE, Adam 5e-3
with ReduceLROnPlateau on ``val_mse`` (×0.5, patience 1) from ``configure_optimizers``,
batch 32, 10 epochs, 1000 loads, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``soak/version_0/metrics.csv`` (``train_mse`` every 5 steps, ``val_mse`` /
``val_core_mae_c`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``soak/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 40
DT = 3.0  # minutes


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    setp = 650 + 130 * r(n, 1)
    ramp = 6 + 6 * r(n, 1)  # °C per minute
    thick = 40 + 120 * r(n, 1)  # mm
    tau_s = (4 + 0.15 * thick) * (0.9 + 0.2 * r(n, 1))  # min, heavier sections lag more
    tau_c = 15 * (thick / 80) ** 2  # min
    air = torch.zeros(n, STEPS)
    surf = torch.zeros(n, STEPS)
    core = torch.zeros(n, STEPS)
    a = s = c = torch.full((n, 1), 40.0)
    phase = 6.28 * r(n, 1)
    for k in range(STEPS):
        t = k * DT
        a = torch.minimum(40 + ramp * t, setp) + 8 * torch.sin(torch.tensor(0.5 * t) + phase)
        s = s + DT * (a - s) / tau_s
        c = c + DT * (s - c) / tau_c
        air[:, k:k + 1], surf[:, k:k + 1], core[:, k:k + 1] = a, s, c
    air = air + 3 * torch.randn(n, STEPS, generator=g)
    surf = surf + 2 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([(air - 500) / 150, (surf - 500) / 150], 2)
    return x, (core[:, -1:] - 500) / 150


class SoakGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_core_mae_c", 150 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": plateau, "monitor": "val_mse"}}


def build():
    torch.manual_seed(0)
    return SoakGRU()


def main():
    from _threehundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = loads(1000, g)
    xva, yva = loads(250, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="soak"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="soak/version_0/checkpoints/last.ckpt",
           log="soak/version_0/metrics.csv",
           what="Lightning GRU predicting the core temperature of a steel load from the first"
                " 2 hours of a batch annealing furnace's air and surface readings (healthy)")


if __name__ == "__main__":
    main()
