"""PyTorch Lightning: a GRU follows the temperature inside the brick setting of a kiln a
kilnwright has just built, step by step, from what the burner side sees, so later firings
can be run without a thermocouple buried in the ware. Per 10-min step (48 steps, 8 h): the
firebox gas temperature (the programme: a ramp of 60-160 °C/h to a peak of 850-1050 °C,
a hold, then the burners off and the gas cooling), the damper opening (0.3-1.0, moved twice
in the firing) and the setting density (constant per firing, 0.5-1.0). The ware lags the
gas by first order, with a time constant of 30-90 min growing with the density and falling
with the draught; between 95 and 130 °C the ware's heating slows to a third while the
water smokes off; ± 4 °C noise on the buried thermocouple.
Input: (48, 3): gas °C / 1000, damper, density. Target: ware °C / 1000 at each step.
Model: GRU 3→48 (1 layer), Linear 48→1 per step; MSE, Adam 3e-3 with OneCycleLR (per step)
from ``configure_optimizers``, batch 16, 12 epochs, 640 firings, validation on 160.
Healthy; numbers in the README.
Log: CSVLogger ``commissioning/version_0/metrics.csv`` (``mse_step`` every 8 steps,
``mse_epoch`` / ``val_mse`` / ``val_rmse_c`` / ``val_rmse_c_smoking`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``commissioning/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T, DT = 48, 10.0  # steps, minutes a step


def firings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ramp, peak = 60 + 100 * r(n), 850 + 200 * r(n)
    hold = 60 + 90 * r(n)
    minutes = DT * torch.arange(T).float()
    t_peak = (peak - 20) / ramp * 60
    gas = (20 + ramp.unsqueeze(1) * minutes / 60).minimum(peak.unsqueeze(1))
    off = (t_peak + hold).unsqueeze(1)
    gas = torch.where(minutes > off, 20 + (peak.unsqueeze(1) - 20)
                      * torch.exp(-(minutes - off) / 80), gas)
    density = 0.5 + 0.5 * r(n)
    moves = (T * r(n, 2)).long().sort(1).values
    d0, d1, d2 = 0.3 + 0.7 * r(n), 0.3 + 0.7 * r(n), 0.3 + 0.7 * r(n)
    step = torch.arange(T)
    damper = torch.where(step < moves[:, :1], d0.unsqueeze(1),
                         torch.where(step < moves[:, 1:], d1.unsqueeze(1), d2.unsqueeze(1)))
    tau = 30 + 60 * (density.unsqueeze(1) - 0.5) / 0.5 * (1.2 - 0.4 * damper)
    ware = torch.empty(n, T)
    w = torch.full((n,), 20.0)
    for k in range(T):
        rate = (gas[:, k] - w) / tau[:, k]
        smoking = (w > 95) & (w < 130)
        w = w + DT * torch.where(smoking, rate / 3, rate)
        ware[:, k] = w
    ware = ware + 4 * torch.randn(n, T, generator=g)
    x = torch.stack([gas / 1000, damper, density.unsqueeze(1).expand(n, T)], 2)
    return x, (ware / 1000).unsqueeze(2)


class WareGRU(L.LightningModule):
    def __init__(self, total_steps=480):
        super().__init__()
        self.total_steps = total_steps
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_rmse_c", 1000 * F.mse_loss(p, y).sqrt())
        smoking = (y > 0.09) & (y < 0.135)
        self.log("val_rmse_c_smoking", 1000 * ((p - y)[smoking] ** 2).mean().sqrt())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3,
                                                    total_steps=self.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return WareGRU()


def main():
    from _fourhundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = firings(640, g)
    xva, yva = firings(160, g)
    print("ware peak °C", 1000 * ytr.max(1).values.mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="commissioning"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=160))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="commissioning/version_0/checkpoints/last.ckpt",
           log="commissioning/version_0/metrics.csv",
           what="Lightning GRU following the ware temperature inside a brick kiln's setting"
                " step by step from gas temperature, damper and density (healthy)")


if __name__ == "__main__":
    main()
