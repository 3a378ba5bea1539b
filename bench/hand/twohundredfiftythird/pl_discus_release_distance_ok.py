"""PyTorch Lightning: an MLP predicts a discus throw's distance from 10 numbers a throwing
coach's camera system logs at release (release speed, release angle, release height, angle of
attack, spin rate, head wind, plus four that do not matter: athlete id hash, ring temperature,
attempt number, shoe code). The target is projectile range from speed/angle/height with an
angle-of-attack lift term and a wind term, in metres, standardised with the training mean/std,
plus 0.3 m of measurement noise. MLP 10-64-64-1 with SiLU, MSE, AdamW 2e-3 with cosine decay
from ``configure_optimizers``, batch 64, 25 epochs of 1280 throws, validation on 256 throws
each epoch (val MSE and MAE in metres).
Healthy; the val loss sits below the train loss in the first epochs (train loss is averaged
over an epoch of a still-improving model). Numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def throws(n, g):
    v = 19 + 6 * torch.rand(n, generator=g)
    ang = torch.deg2rad(28 + 14 * torch.rand(n, generator=g))
    h = 1.5 + 0.4 * torch.rand(n, generator=g)
    aoa = torch.deg2rad(-10 + 20 * torch.rand(n, generator=g))
    spin = torch.rand(n, generator=g)
    wind = -4 + 8 * torch.rand(n, generator=g)
    junk = torch.randn(n, 4, generator=g)
    vs, vc = v * torch.sin(ang), v * torch.cos(ang)
    rng = vc / 9.81 * (vs + torch.sqrt(vs ** 2 + 2 * 9.81 * h))
    dist = rng * (1 + 0.25 * torch.cos(aoa + 0.1) * (1 + 0.3 * spin) - 0.25) + 1.2 * wind
    dist = dist + 0.3 * torch.randn(n, generator=g)
    x = torch.stack([v, torch.rad2deg(ang), h, torch.rad2deg(aoa), spin, wind], 1)
    return torch.cat([x, junk], 1), dist


class DiscusNet(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_m", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
        return {"optimizer": opt, "lr_scheduler": sched}


def stats():
    g = torch.Generator().manual_seed(0)
    x, y = throws(1280, g)
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return DiscusNet(xm, xs, ym, ys)


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    g = torch.Generator().manual_seed(1)
    xva, yva = throws(256, g)
    print("distance mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=25, logger=CSVLogger(str(out), name="discus"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=256))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="discus/version_0/checkpoints/last.ckpt",
           log="discus/version_0/metrics.csv",
           what="Lightning MLP regressing discus throw distance from release measurements"
                " (healthy)")


if __name__ == "__main__":
    main()
