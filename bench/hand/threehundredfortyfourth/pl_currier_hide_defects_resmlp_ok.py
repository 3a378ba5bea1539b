"""PyTorch Lightning: a residual MLP flags the faults a currier's grader would mark on a
dressed (curried) cattle side before it goes to the saddler, from the tannery's lab and
shaving-machine numbers, several faults per side possible (multi-label): loose grain
(pipey: grain-tightness score below 2.5, or below 3.2 on sides with a belly share over 0.30),
fatty spue (natural fat above 3.5 % with dubbin over 18 % of weight, or above 5 %),
uneven substance (thickness spread / mean thickness above 0.11) and under-tanned (shrink
temperature below 72 °C, or bark tannin uptake below 30 % with a pit time under 6 weeks).
Ten inputs, standardised: mean thickness (mm), thickness spread (mm), belly share, grain
tightness score, natural fat %, dubbin %, moisture %, shrink temperature (°C), tannin uptake %,
weeks in the pits; the grader sees the true side, the lab numbers carry reading noise.
Model: Linear 10→64, 3 residual blocks (LayerNorm, Linear 64→64, GELU, dropout 0.1,
Linear 64→64), LayerNorm, Linear 64→4; BCE with logits, Adam 3e-3 with ExponentialLR (×0.85
per epoch) from ``configure_optimizers``, batch 48, 12 epochs, 1440 sides, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``grading/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_loose`` / ``val_f1_spue`` / ``val_f1_uneven`` /
``val_f1_undertan`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``grading/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["loose", "spue", "uneven", "undertan"]


def sides(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick = 3.5 + 2.5 * r(n)
    spread = thick * (0.04 + 0.12 * r(n))
    belly = 0.18 + 0.2 * r(n)
    grain = 1.5 + 3.5 * r(n)
    fat = 1.0 + 5.5 * r(n)
    dubbin = 8 + 16 * r(n)
    moist = 10 + 8 * r(n)
    shrink = 62 + 22 * r(n)
    uptake = 18 + 30 * r(n)
    weeks = 3 + 9 * r(n)
    y = torch.stack([(grain < 2.5) | ((grain < 3.2) & (belly > 0.30)),
                     ((fat > 3.5) & (dubbin > 18)) | (fat > 5.0),
                     spread / thick > 0.11,
                     (shrink < 72) | ((uptake < 30) & (weeks < 6))], 1).float()
    x = torch.stack([thick, spread, belly, grain, fat, dubbin, moist, shrink, uptake, weeks], 1)
    noise = torch.tensor([0.05, 0.03, 0.01, 0.1, 0.15, 0.5, 0.5, 1.0, 1.0, 0.1])
    return x + noise * torch.randn(n, 10, generator=g), y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Dropout(0.1),
                               nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class Grader(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(10, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        for k, name in enumerate(FAULTS):
            tp = (p[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (p[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return Grader()


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sides(1440, g)
    xva, yva = sides(360, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="grading"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="grading/version_0/checkpoints/last.ckpt",
           log="grading/version_0/metrics.csv",
           what="Lightning residual MLP flagging loose grain / spue / uneven substance /"
                " under-tanning on a currier's dressed side, multi-label (healthy)")


if __name__ == "__main__":
    main()
