"""PyTorch Lightning: a GRU reads the first 20 days after an axolotl lost a limb in a
research colony (daily water temperature and the blastema length measured on a photo,
mm) and predicts the regrown limb's length on day 45 (mm), so the husbandry team can spot
a stalled regeneration early. The blastema grows logistically towards the animal's
original limb length (unmeasured, set by its size) at a rate that rises with water
temperature (Q10 about 2 between 15 and 21 °C), after a lag of a few days of wound
healing. Target: (day-45 length - 12) / 4 mm. Input: (20, 2) (water °C - 18) / 2 and
blastema mm / 4.
GRU 2→32, 1 layer, last state → linear 32→16 → tanh → 1; Huber loss (delta 1), RMSprop
2e-3 with ExponentialLR (×0.85 per epoch) from ``configure_optimizers``, batch 32, 14
epochs of 1000 animals, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``regrowth/version_0/metrics.csv`` (``huber_step`` every 10 steps,
``huber_epoch`` / ``val_huber`` / ``val_mae_mm`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``regrowth/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 20


def limbs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.arange(1, 46).float()
    full = 9 + 8 * r(n, 1)  # original limb length, mm (unmeasured)
    t0 = 15 + 6 * r(n, 1)
    temp = t0 + 0.8 * torch.sin(d / 7 + 6 * r(n, 1))
    rate = 0.09 * 2 ** ((temp - 18) / 10)
    lag = 3 + 3 * r(n, 1)
    k = torch.cumsum(rate * (d > lag).float(), 1)
    length = full / (1 + 30 * torch.exp(-k))
    y = length[:, -1:] + 0.3 * torch.randn(n, 1, generator=g)
    meas = length[:, :DAYS] + 0.08 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([(temp[:, :DAYS] - 18) / 2, meas / 4], 2)
    return x, (y - 12) / 4


class RegrowGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_mae_mm", 4 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return RegrowGRU()


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = limbs(1000, g)
    xva, yva = limbs(250, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="regrowth"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="regrowth/version_0/checkpoints/last.ckpt",
           log="regrowth/version_0/metrics.csv",
           what="Lightning GRU predicting an axolotl's regrown limb length at day 45 from 20"
                " days of water temperature and blastema length (healthy)")


if __name__ == "__main__":
    main()
