"""PyTorch Lightning: a residual MLP predicts an age-group triathlete's Olympic-distance finish
time (minutes) from 12 numbers: swim CSS pace, bike FTP per kg, threshold run pace, body mass,
age, water temperature, wetsuit (0/1), bike course climbing, air temperature, wind, T1 and T2
practice times. The target adds up a swim, a bike and a run split (bike split from power per
kg against climbing and wind, run split slowed by heat and by riding hard), plus 2 min of
race-day noise; it is standardised with the training mean/std. Input Linear(12→64), three
residual blocks (LayerNorm-Linear-SiLU-Linear + skip), Linear(64→1); MSE; Adam 3e-3 with StepLR
(×0.5 every 6 epochs) from ``configure_optimizers``, batch 128, 20 epochs of 2048 athletes,
validation on 384 athletes (val MSE and MAE in minutes).
Healthy; the val MAE plateaus over the last epochs and the val loss is below the train loss
early on. Numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def athletes(n, g):
    css = 1.5 + 0.5 * torch.rand(n, generator=g)           # min per 100 m
    ftp = 2.2 + 2.0 * torch.rand(n, generator=g)           # W/kg
    pace = 3.6 + 1.6 * torch.rand(n, generator=g)          # min per km
    mass = 55 + 35 * torch.rand(n, generator=g)
    age = 20 + 45 * torch.rand(n, generator=g)
    water = 15 + 10 * torch.rand(n, generator=g)
    suit = (water < 22).float()
    climb = 100 + 500 * torch.rand(n, generator=g)
    air = 12 + 20 * torch.rand(n, generator=g)
    wind = 8 * torch.rand(n, generator=g)
    t1 = 1.5 + 2 * torch.rand(n, generator=g)
    t2 = 0.8 + 1.5 * torch.rand(n, generator=g)
    swim = 15 * css * (1 - 0.05 * suit)
    bike = 40 / (22 + 6 * ftp - 0.006 * climb - 0.5 * wind) * 60
    run = 10 * pace * (1 + 0.01 * torch.relu(air - 20) + 0.02 * (ftp > 3.5).float()) \
        * (1 + 0.002 * (age - 40))
    total = swim + t1 + bike + t2 + run + 2 * torch.randn(n, generator=g)
    x = torch.stack([css, ftp, pace, mass, age, water, suit, climb, air, wind, t1, t2], 1)
    return x, total


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class FinishTime(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.inp = nn.Linear(12, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp((x - self.x_mean) / self.x_std))).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_min", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)]


def train_set():
    g = torch.Generator().manual_seed(0)
    return athletes(2048, g)


def build():
    torch.manual_seed(0)
    x, y = train_set()
    return FinishTime(x.mean(0), x.std(0), y.mean(), y.std())


def main():
    from _twohundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = train_set()
    xva, yva = athletes(384, torch.Generator().manual_seed(1))
    print("finish time mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="tri"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=384))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tri/version_0/checkpoints/last.ckpt",
           log="tri/version_0/metrics.csv",
           what="Lightning residual MLP regressing triathlon finish time (healthy)")


if __name__ == "__main__":
    main()
