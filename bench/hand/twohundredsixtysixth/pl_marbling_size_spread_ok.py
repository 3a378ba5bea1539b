"""PyTorch Lightning: an MLP predicts how far a drop of marbling colour spreads (ring diameter
in cm) when a marbler lets it fall onto the size, from 8 numbers written on the workshop's
trial sheet: carrageenan in the size (g/L), size temperature (°C), size age (h), colour
thickness (mPa·s), drops of dispersant per 10 mL of colour, drop volume (µL), plus two that do
not matter (tray number, sheet batch). Spread grows with the dispersant (lower surface tension
of the colour) and the drop volume, shrinks with a thick size (carrageenan, cold, fresh size)
and thick colour; 0.15 cm of noise. Linear 8→64-SiLU-64-SiLU→1, MSE on standardised targets,
AdamW 2e-3 with CosineAnnealingLR(16) from ``configure_optimizers``, batch 32, 16 epochs of
896 trials, validation on 224 trials each epoch (val MSE, val MAE in cm).
Healthy; numbers in the README. Log: ``CSVLogger`` → ``spread/version_0/metrics.csv``;
checkpoint ``ModelCheckpoint(save_last=True)`` → ``spread/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def trials(n, g):
    carr = 4 + 6 * torch.rand(n, generator=g)
    temp = 14 + 12 * torch.rand(n, generator=g)
    age = 48 * torch.rand(n, generator=g)
    visc = 20 + 80 * torch.rand(n, generator=g)
    disp = 6 * torch.rand(n, generator=g)
    vol = 10 + 30 * torch.rand(n, generator=g)
    junk = torch.randn(n, 2, generator=g)
    size_thick = carr * torch.exp(-(temp - 20) / 25) * (1 - 0.006 * age)
    spread = (1.1 * vol ** (1 / 3) * (1 + 0.35 * disp) ** 0.7
              / (size_thick ** 0.4 * (visc / 50) ** 0.25))
    spread = spread + 0.15 * torch.randn(n, generator=g)
    return torch.cat([torch.stack([carr, temp, age, visc, disp, vol], 1), junk], 1), spread


class Spread(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_cm", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)]


def stats():
    x, y = trials(896, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return Spread(xm, xs, ym, ys)


def main():
    from _twohundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = trials(224, torch.Generator().manual_seed(1))
    print("spread cm mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="spread"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=7)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=224))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="spread/version_0/checkpoints/last.ckpt",
           log="spread/version_0/metrics.csv",
           what="Lightning MLP regressing the ring diameter of a marbling colour drop on the size"
                " (healthy)")


if __name__ == "__main__":
    main()
