"""PyTorch Lightning: a GRU reads the gauge trace a ropewalker takes along a freshly laid
three-strand rope (diameter and lay twist every 0.5 m over a 24 m test length, 48 readings)
and predicts the load it will break at on the test bench. Rule behind the labels: a laid
rope breaks at its weakest point, so the breaking load follows the thinnest diameter
squared (kN = c·d_min², c per fibre: hemp 0.052, sisal 0.058, manila 0.066, nylon 0.16) and
drops with an over-hard lay (−35 % per turn/m of the hardest stretch above 3.4 turns/m),
then ±4 % bench scatter. Ropes 10-24 mm nominal with ±6 % thin and thick spots; twist
2.6-3.0 turns/m with hard patches where the walker's crank ran ahead.
Input: (48, 6) per reading (diameter − nominal in mm, nominal / 20, twist − 3, fibre one-hot
of 3: hemp / sisal / manila, nylon all zero). Target: breaking load in kN, centred and
scaled by the train mean / std. Model: GRU(6→40, 1 layer), a Linear 40→1 head on the last
state; MSE, Adam 3e-3 with CosineAnnealingLR over 14 epochs from ``configure_optimizers``,
batch 64, 1600 ropes, validation on 320.
Healthy; numbers in the README.
Log: CSVLogger ``ropewalk/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_kn`` per epoch); checkpoints ``ModelCheckpoint(dirpath=strength_ckpt,
save_last=True)`` → ``strength_ckpt/last.ckpt`` and the best by ``val_mse``
(``strength_ckpt/gru-epoch=N.ckpt``)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 48
FIBRE_C = torch.tensor([0.052, 0.058, 0.066, 0.16])


def ropes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nominal = 10 + 14 * r(n, 1)
    fibre = torch.randint(0, 4, (n,), generator=g)
    # slow thickness wander plus a few local thin / thick spots
    pos = torch.arange(STEPS).float()
    wander = 0.03 * torch.sin(2 * 3.1416 * pos / (12 + 24 * r(n, 1)) + 6.28 * r(n, 1))
    spots = torch.zeros(n, STEPS)
    for _ in range(3):
        at = (STEPS * r(n, 1)).floor()
        depth = 0.12 * (r(n, 1) - 0.5)
        spots = spots + depth * torch.exp(-0.5 * ((pos - at) / 1.2) ** 2)
    d = nominal * (1 + wander + spots) + 0.05 * torch.randn(n, STEPS, generator=g)
    twist = 2.6 + 0.4 * r(n, 1) + 0.03 * torch.randn(n, STEPS, generator=g)
    hard = (r(n, 1) < 0.4).float()
    at = (STEPS * r(n, 1)).floor()
    twist = twist + hard * (0.3 + 0.8 * r(n, 1)) * torch.exp(-0.5 * ((pos - at) / 2.5) ** 2)
    load = FIBRE_C[fibre] * d.min(1).values ** 2
    load = load * (1 - 0.35 * (twist.max(1).values - 3.4).clamp(min=0))
    load = load * (1 + 0.04 * torch.randn(n, generator=g))
    onehot = F.one_hot(fibre, 4)[:, :3].float().unsqueeze(1).expand(n, STEPS, 3)
    x = torch.cat([(d - nominal).unsqueeze(2), (nominal / 20).expand(n, STEPS).unsqueeze(2),
                   (twist - 3).unsqueeze(2), onehot], 2)
    return x, load


class BreakLoadGRU(L.LightningModule):
    def __init__(self, y_mean=0.0, y_std=1.0):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(6, 40, batch_first=True)
        self.head = nn.Linear(40, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_kn", (pred - y).abs().mean() * self.hparams.y_std)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return BreakLoadGRU()


def main():
    from _threehundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ltr = ropes(1600, g)
    xva, lva = ropes(320, g)
    mu, sd = ltr.mean().item(), ltr.std().item()
    ytr, yva = (ltr - mu) / sd, (lva - mu) / sd
    print("load kN mean / std", round(mu, 2), round(sd, 2))
    L.seed_everything(0, verbose=False)
    torch.manual_seed(0)
    model = BreakLoadGRU(mu, sd)
    ckpt = ModelCheckpoint(dirpath=str(out / "strength_ckpt"), filename="gru-{epoch}",
                           monitor="val_mse", save_top_k=1, save_last=True)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="ropewalk"),
                        callbacks=[ckpt], enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=320))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="strength_ckpt/last.ckpt", log="ropewalk/version_0/metrics.csv",
           what="Lightning GRU predicting a laid rope's breaking load from the ropewalker's"
                " diameter / twist gauge trace (healthy)")


if __name__ == "__main__":
    main()
