"""PyTorch Lightning: a residual MLP predicts the balancing speed (km/h) of a narrow-gauge steam
locomotive on a section from 9 numbers the line's operations office records per run: trailing
load (t), ruling gradient (per mille), tightest curve radius (m), boiler pressure (bar), rail
wet (0/1), plus four that do not matter (driver id hash, day of week, coach count parity,
timetable slot). The target is drawing-bar power over train resistance (rolling, gradient,
curve terms, wet-rail adhesion cap), plus 0.4 km/h of noise, standardised with the training
mean/std. Linear 9→48, 3 residual blocks (Linear-GELU-Linear + skip), Linear 48→1, MSE, Adam
3e-3 with StepLR(6, 0.5) from ``configure_optimizers``, batch 64, 18 epochs of 1024 runs,
validation on 256 runs each epoch (val MSE, val MAE in km/h).
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def runs(n, g):
    load = 20 + 60 * torch.rand(n, generator=g)
    grade = 30 * torch.rand(n, generator=g)
    radius = 40 + 160 * torch.rand(n, generator=g)
    boiler = 9 + 5 * torch.rand(n, generator=g)
    wet = (torch.rand(n, generator=g) < 0.3).float()
    junk = torch.randn(n, 4, generator=g)
    power = 60 * boiler  # kW at the drawbar
    resist = (load + 14) * (2.5 + grade + 500 / radius) * 9.81 / 1000  # kN
    speed = 3.6 * power / resist / 10
    cap = 18 + 20 * (1 - 0.35 * wet) - 0.4 * grade
    speed = torch.minimum(speed, cap) + 0.4 * torch.randn(n, generator=g)
    x = torch.cat([torch.stack([load, grade, radius, boiler, wet], 1), junk], 1)
    return x, speed


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class GradeSpeed(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(9, 48), Block(48), Block(48), Block(48),
                                 nn.Linear(48, 1))

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
        self.log("val_mae_kmh", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, 6, 0.5)}


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = runs(1024, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return GradeSpeed(xm, xs, ym, ys)


def main():
    from _twohundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = runs(256, torch.Generator().manual_seed(1))
    print("speed mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=18, logger=CSVLogger(str(out), name="grade"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=256))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="grade/version_0/checkpoints/last.ckpt",
           log="grade/version_0/metrics.csv",
           what="Lightning residual MLP regressing a narrow-gauge locomotive's balancing speed"
                " (healthy)")


if __name__ == "__main__":
    main()
