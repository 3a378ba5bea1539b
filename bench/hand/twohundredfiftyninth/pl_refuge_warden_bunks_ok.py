"""PyTorch Lightning: a residual MLP helps a refuge warden plan dinners by predicting how many
of the 60 bunks will be taken tonight from 9 numbers known the day before (forecast sun hours,
forecast wind at the col, fresh snow in cm, weekday as sin/cos, public holiday flag, access
trail open flag, bookings already on the list, plus one column that does not matter: the
warden's phone battery). The count follows a saturating demand curve: bookings plus walk-ins
that grow with sun and holidays and collapse with wind, fresh snow or a closed trail, capped at
60, plus noise of 2 bunks. Input standardised inside the module, target divided by 60.
Linear 9→48, two residual blocks (LayerNorm, Linear, GELU, Linear), head 1; MSE, RMSprop 1e-3
with StepLR (x0.5 every 8 epochs) from ``configure_optimizers``, batch 48, 24 epochs of 1440
nights, validation on 288 nights each epoch (val MSE and MAE in bunks).
Healthy: numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def nights(n, g):
    sun = 10 * torch.rand(n, generator=g)
    wind = 80 * torch.rand(n, generator=g)
    snow = torch.relu(40 * torch.rand(n, generator=g) - 20)
    day = torch.randint(0, 7, (n,), generator=g).float()
    holiday = (torch.rand(n, generator=g) < 0.15).float()
    trail = (torch.rand(n, generator=g) < 0.85).float()
    booked = torch.randint(0, 40, (n,), generator=g).float()
    battery = 100 * torch.rand(n, generator=g)
    weekend = ((day == 5) | (day == 6)).float()
    walkin = (3 * sun * (1 + weekend + holiday) * torch.exp(-wind / 40) * torch.exp(-snow / 15)
              * (0.2 + 0.8 * trail))
    bunks = (booked * (0.9 - 0.3 * (1 - trail)) + walkin).clamp(max=60)
    bunks = (bunks + 2 * torch.randn(n, generator=g)).clamp(0, 60)
    x = torch.stack([sun, wind, snow, torch.sin(6.283 * day / 7), torch.cos(6.283 * day / 7),
                     holiday, trail, booked, battery], 1)
    return x, bunks


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class BunkNet(L.LightningModule):
    def __init__(self, x_mean, x_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.net = nn.Sequential(nn.Linear(9, 48), Block(48), Block(48), nn.Linear(48, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y / 60)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, y / 60))
        self.log("val_mae_bunks", (pred * 60 - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)]


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = nights(1440, g)
    return x, y, x.mean(0), x.std(0)


def build():
    torch.manual_seed(0)
    _, _, xm, xs = stats()
    return BunkNet(xm, xs)


def main():
    from _twohundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    g = torch.Generator().manual_seed(1)
    xva, yva = nights(288, g)
    print("bunks mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="refuge"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=288))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="refuge/version_0/checkpoints/last.ckpt",
           log="refuge/version_0/metrics.csv",
           what="Lightning residual MLP regressing tonight's taken bunks in a mountain refuge"
                " (healthy)")


if __name__ == "__main__":
    main()
