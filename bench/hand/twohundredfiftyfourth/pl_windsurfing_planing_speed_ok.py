"""PyTorch Lightning: a residual MLP predicts a windsurfer's top planing speed (knots) on a run
from 9 numbers logged per session: wind speed, gust factor, sail area, board volume, fin
length, rider mass, chop height, true wind angle of the run, and water temperature (does not
matter). The target is a power balance: sail force grows with wind² x area (depowered past a
rider-mass dependent limit), drag from board volume, fin and chop, best on a broad reach; 0.4
kn noise. Inputs and target standardised inside the module. Linear 9→64, 3 residual blocks
(LayerNorm, Linear, GELU, Linear), Linear 1; SGD momentum 0.9 (nesterov) lr 0.02 with MultiStepLR
(x0.3 at epochs 12 and 18) from ``configure_optimizers``, batch 96, 22 epochs of 1920 runs,
validation on 384 (val MSE and MAE in knots).
Healthy; the val loss is noisy around the epoch-9..12 plateau before the step drop. Numbers
in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def runs(n, g):
    u = lambda a, b: a + (b - a) * torch.rand(n, generator=g)  # noqa: E731
    wind, gust, area, vol = u(12, 32), u(1.0, 1.5), u(4.0, 8.5), u(80, 140)
    fin, mass, chop, twa, temp = u(20, 46), u(60, 100), u(0, 1.2), u(90, 160), u(8, 24)
    force = (wind / 10) ** 2 * area
    limit = 0.5 * mass
    force = torch.where(force > limit, limit + 0.3 * (force - limit), force)
    drag = 1 + 0.004 * (vol - 80) + 0.01 * (fin - 20) + 0.6 * chop
    angle = torch.cos(torch.deg2rad(twa - 125)) ** 2
    speed = 6 + 1.2 * torch.sqrt(force / drag) * (0.7 + 0.3 * angle) + 1.5 * (gust - 1)
    speed = speed + 0.4 * torch.randn(n, generator=g)
    return torch.stack([wind, gust, area, vol, fin, mass, chop, twa, temp], 1), speed


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class PlaningNet(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(9, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_kn", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.02, momentum=0.9, nesterov=True)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[12, 18], gamma=0.3)
        return {"optimizer": opt, "lr_scheduler": sched}


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = runs(1920, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return PlaningNet(xm, xs, ym, ys)


def main():
    from _twohundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    g = torch.Generator().manual_seed(1)
    xva, yva = runs(384, g)
    print("speed mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=22, logger=CSVLogger(str(out), name="planing"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=384))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="planing/version_0/checkpoints/last.ckpt",
           log="planing/version_0/metrics.csv",
           what="Lightning residual MLP regressing windsurf planing speed from session"
                " conditions (healthy)")


if __name__ == "__main__":
    main()
