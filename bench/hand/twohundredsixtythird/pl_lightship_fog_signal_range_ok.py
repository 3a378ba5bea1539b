"""PyTorch Lightning: an MLP predicts how far a lightship's fog signal is heard (nautical miles)
from 9 numbers the crew writes in the signal log each watch: source level of the diaphone,
relative humidity, air-sea temperature difference (a warm layer over cold sea bends sound
down), wind speed, wind direction relative to the listening bearing, sea state, plus three
that do not matter (watch number, lamp hours, crew count). The target is a spherical-spreading
range with an atmospheric absorption term, a refraction factor from the temperature
difference and a downwind/upwind factor, plus 0.15 nm of noise, standardised inside the
module. MLP 9-48-48-1 with GELU, MSE, Adam 3e-3 with StepLR(8, 0.5) from
``configure_optimizers``, batch 48, 24 epochs of 1200 watches, validation on 240 each epoch
(val MSE standardised and val MAE in nm).
Healthy; numbers in the README. Log: ``CSVLogger`` →
``fogsignal/version_0/metrics.csv``; checkpoint: ``ModelCheckpoint(save_last=True)`` → ``fogsignal/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def watches(n, g):
    src = 125 + 10 * torch.rand(n, generator=g)          # dB at 1 m
    rh = 60 + 40 * torch.rand(n, generator=g)            # %
    dt = -3 + 6 * torch.rand(n, generator=g)             # air minus sea, deg C
    wind = 20 * torch.rand(n, generator=g)               # knots
    wdir = torch.rand(n, generator=g) * 360              # deg relative to listener bearing
    sea = torch.randint(0, 6, (n,), generator=g).float()
    junk = torch.stack([torch.randint(1, 7, (n,), generator=g).float(),
                        2000 * torch.rand(n, generator=g),
                        torch.randint(6, 12, (n,), generator=g).float()], 1)
    base = 10 ** ((src - 125) / 40) * (1.5 + 0.02 * (100 - rh) * -1 + 2.2)
    refr = 1 + 0.12 * dt
    carry = 1 + 0.03 * wind * torch.cos(torch.deg2rad(wdir))
    rng = base * refr * carry - 0.15 * sea + 0.15 * torch.randn(n, generator=g)
    x = torch.stack([src, rh, dt, wind, wdir, sea], 1)
    return torch.cat([x, junk], 1), rng


class FogRange(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.mlp = nn.Sequential(nn.Linear(9, 48), nn.GELU(), nn.Linear(48, 48), nn.GELU(),
                                 nn.Linear(48, 1))

    def forward(self, x):
        return self.mlp((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_nm", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)]


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = watches(1200, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return FogRange(xm, xs, ym, ys)


def main():
    from _twohundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    g = torch.Generator().manual_seed(1)
    xva, yva = watches(240, g)
    print("range mean/std nm", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="fogsignal"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fogsignal/version_0/checkpoints/last.ckpt",
           log="fogsignal/version_0/metrics.csv",
           what="Lightning MLP regressing a lightship fog signal's audible range from the"
                " signal log (healthy)")


if __name__ == "__main__":
    main()
