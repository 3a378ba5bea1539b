"""PyTorch Lightning: a residual MLP tells a candle chandlery which faults a batch of dipped
tallow candles will show, from the recipe and the dipping-room conditions, so the foreman can
change wick or room before the dipping frame goes in: guttering, smoking, cracking, bending
(multi-label, any of the four or none). Recipe: mutton-tallow share of the fat (rest beef),
beeswax added (0-15 %), wick plies (6-18), finished diameter (14-28 mm), dip temperature
(70-90 °C), dips, room temperature (4-24 °C). The chandler's rules behind the labels, each
as a logistic with some spread: too thin a wick for the diameter gutters (plies below about
0.55 × diameter), too thick a wick smokes (above about 0.75 × diameter, worse with beef
tallow), a hot dip into a cold room cracks the layers, soft mutton tallow without wax bends
in a warm room.
Input: 7 standardised numbers. Model: Linear 7→64, 3 pre-LayerNorm residual blocks (64→128→64,
GELU), LayerNorm, Linear 64→4; BCE with logits, Adam 3e-3 with cosine annealing to 1e-4
from ``configure_optimizers``, batch 48, 14 epochs, 1920 batches, validation on 480.
Healthy; numbers in the README.
Log: CSVLogger ``dipping/version_0/metrics.csv`` (``bce_step`` every 8 steps, ``bce_epoch`` /
``val_bce`` / ``val_f1_macro`` / ``val_acc_exact`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``dipping/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["gutter", "smoke", "crack", "bend"]


def batches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mutton = r(n)
    wax = 0.15 * r(n) * (r(n) < 0.6).float()
    plies = torch.randint(6, 19, (n,), generator=g).float()
    diam = 14 + 14 * r(n)
    dip_t = 70 + 20 * r(n)
    dips = torch.round(diam * 1.6 + 4 * r(n))
    room = 4 + 20 * r(n)
    noise = lambda: 0.6 * torch.randn(n, generator=g)  # noqa: E731
    gutter = 1.4 * (0.55 * diam - plies) + noise()
    smoke = 1.2 * (plies - 0.75 * diam) + 2.0 * (0.5 - mutton) + noise()
    crack = 0.35 * (dip_t - 80) + 0.4 * (9 - room) - 8 * wax + noise()
    bend = 5 * (mutton - 0.6) + 0.45 * (room - 17) - 30 * wax + noise()
    y = (torch.stack([gutter, smoke, crack, bend], 1) > 0).float()
    x = torch.stack([mutton, wax, plies, diam, dip_t, dips, room], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class DipFaults(L.LightningModule):
    def __init__(self, mu=None, sd=None):
        super().__init__()
        self.register_buffer("mu", torch.zeros(7) if mu is None else mu)
        self.register_buffer("sd", torch.ones(7) if sd is None else sd)
        self.net = nn.Sequential(nn.Linear(7, 64), Block(64), Block(64), Block(64),
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
        tp = (p * y).sum(0)
        f1 = 2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_f1_macro", f1.mean())
        self.log("val_acc_exact", (p == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14, eta_min=1e-4)]


def build():
    torch.manual_seed(0)
    return DipFaults()


def main():
    from _threehundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = batches(1920, g)
    xva, yva = batches(480, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    model.mu.copy_(mu)
    model.sd.copy_(sd)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="dipping"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=480))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="dipping/version_0/checkpoints/last.ckpt",
           log="dipping/version_0/metrics.csv",
           what="Lightning residual MLP flagging guttering / smoking / cracking / bending"
                " (multi-label) of a chandlery's dipped tallow candles from the recipe (healthy)")


if __name__ == "__main__":
    main()
