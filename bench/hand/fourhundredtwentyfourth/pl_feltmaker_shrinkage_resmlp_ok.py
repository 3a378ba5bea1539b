"""PyTorch Lightning: a residual MLP predicts how much a wet-felted wool batt shrinks in area
during fulling, so a feltmaker can cut the layout big enough for the finished hat body.
6 inputs: fibre diameter (18-32 µm), water temperature (30-60 °C), soap pH (7-10.5),
fulling time (5-60 min), rolling rate (40-120 strokes/min) and number of layers (2-6).
Shrinkage follows the trade's rule of thumb as a saturating curve: the ceiling falls with
coarser fibre and more layers (a thick batt cannot pull in as far), the rate rises with heat
and with an alkaline soap (scales open) and with the work done (time × rolling rate);
area shrinkage = ceiling × (1 - exp(-rate × work)), 10-50 %, plus 1 % measuring noise.
Input: (6,) standardised with the train mean / std; target (shrinkage % - 30) / 10.
Model: Linear 6→64, 3 residual blocks (LayerNorm, Linear 64→64, SiLU, Linear 64→64), LayerNorm,
Linear 64→1; MSE, Adam 3e-3 with OneCycleLR (per step, from ``configure_optimizers``),
batch 40, 14 epochs, 1600 batts, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``fulling/version_0/metrics.csv`` (``mse_step`` every 10 steps, ``mse_epoch`` /
``val_mse`` / ``val_mae_pct`` per epoch, ``lr-Adam`` from a LearningRateMonitor); checkpoint
``ModelCheckpoint(save_last=True, monitor="val_mse")`` → ``fulling/version_0/checkpoints/
last.ckpt`` beside the best ``felt-epoch=NN.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def batts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    micron = 18 + 14 * r(n)
    temp = 30 + 30 * r(n)
    ph = 7 + 3.5 * r(n)
    minutes = 5 + 55 * r(n)
    strokes = 40 + 80 * r(n)
    layers = torch.randint(2, 7, (n,), generator=g).float()
    ceiling = 52 - 0.9 * (micron - 18) - 1.5 * (layers - 2)
    rate = 0.012 * (1 + 0.04 * (temp - 30)) * (1 + 0.35 * (ph - 7))
    work = minutes * strokes / 80
    shrink = ceiling * (1 - torch.exp(-rate * work)) + 1.0 * torch.randn(n, generator=g)
    x = torch.stack([micron, temp, ph, minutes, strokes, layers], 1)
    return x, shrink


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.SiLU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class FeltShrink(L.LightningModule):
    def __init__(self, steps_per_epoch=40, epochs=14):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(6, 64), Block(64), Block(64), Block(64),
                                 nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_pct", 10 * (pred - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=3e-3, epochs=self.hparams.epochs,
            steps_per_epoch=self.hparams.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return FeltShrink()


def main():
    from _fourhundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_ = batts(1600, g)
    rva, sva = batts(400, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((str_ - 30) / 10).unsqueeze(1), ((sva - 30) / 10).unsqueeze(1)
    print("shrink %", str_.min().item(), str_.max().item(), "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(monitor="val_mse", filename="felt-{epoch:02d}", save_top_k=1,
                           save_last=True)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="fulling"),
                        callbacks=[ckpt, LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fulling/version_0/checkpoints/last.ckpt",
           log="fulling/version_0/metrics.csv",
           what="Lightning residual MLP predicting a felt batt's area shrinkage in fulling"
                " (healthy)")


if __name__ == "__main__":
    main()
