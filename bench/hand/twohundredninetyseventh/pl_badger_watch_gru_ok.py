"""PyTorch Lightning: a GRU reads three weeks of a trail camera on a badger sett's main
entrance and estimates how many adults are in the social group, so that the county group
can skip a night of emergence watching at setts the camera already counts well. Per night:
the most badgers in one frame, the number of triggers, minutes after sunset of the first
emergence, the night's minimum temperature (°C) and rain (mm). Rule: each adult emerges on a
given night with a probability that falls with rain and cold (rain also delays the first
emergence); the most in one frame is a binomial of
those out (they do not all show at once); triggers grow with the number out plus a few
false triggers from foxes, rabbits and wind. Target: adults (2-12) from bait-marking and
watches.
Input: (21, 5) most-in-frame / 4, triggers / 20, (emergence minutes - 30) / 30,
(temperature - 8) / 5, rain / 5. GRU 5→32, 2 layers, mean over the nights and last state →
linear 64→32-ReLU-32→1; MSE, AdamW 4e-3 (weight decay 1e-3) with OneCycleLR over all steps
from ``configure_optimizers`` (stepped every batch), batch 48, 10 epochs, 1500 setts,
validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``watch/version_0/metrics.csv`` (``train_mse`` every 10 steps, ``val_mse``
and ``val_mae_adults`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``watch/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 21


def nights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    adults = torch.randint(2, 13, (n,), generator=g).float()
    temp = 4 + 10 * r(n, 1) + 3 * torch.randn(n, N, generator=g)
    rain = torch.where(r(n, N) < 0.35, 12 * r(n, N) ** 2, torch.zeros(n, N))
    p_out = torch.sigmoid(1.2 + 0.15 * (temp - 6) - 0.5 * rain)
    out = torch.distributions.Binomial(adults.unsqueeze(1).expand(n, N), p_out).sample()
    in_frame = torch.distributions.Binomial(out, torch.full((n, N), 0.6)).sample()
    triggers = torch.poisson(3 * out + 2 + 3 * r(n, N), generator=g)
    emerge = 20 + 25 * r(n, 1) + 2 * rain + 8 * torch.randn(n, N, generator=g)
    emerge = torch.where(out > 0, emerge, torch.full((n, N), 120.0))
    x = torch.stack([in_frame / 4, triggers / 20, (emerge - 30) / 30, (temp - 8) / 5, rain / 5],
                    2)
    return x, adults.unsqueeze(1)


class WatchGRU(L.LightningModule):
    def __init__(self, total_steps=320):
        super().__init__()
        self.total_steps = total_steps
        self.gru = nn.GRU(5, 32, num_layers=2, batch_first=True)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(torch.cat([out.mean(1), out[:, -1]], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_adults", (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=4e-3, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3,
                                                    total_steps=self.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return WatchGRU()


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    xtr, ytr = nights(1500, g)
    xva, yva = nights(400, g)
    print("adults var", yva.var().item(), "x", xtr.mean((0, 1)), xtr.std((0, 1)))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="watch"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="watch/version_0/checkpoints/last.ckpt",
           log="watch/version_0/metrics.csv",
           what="Lightning GRU estimating a badger social group's adults from three weeks of"
                " trail-camera nights at the sett (healthy)")


if __name__ == "__main__":
    main()
