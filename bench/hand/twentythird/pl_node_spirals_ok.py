"""Lightning: a neural ODE classifies two interleaved spirals. The 2-D point is lifted to 16
dims, a small vector field f(h) (16-64-16, tanh) is integrated from t = 0 to 1 with a fixed-step
Euler solver (10 steps of 0.1, written out by hand, backprop through the steps), then a linear
head. 2000 points (a turn and a half per arm, noise std 0.15), Adam 1e-2 with a 30-step linear
warm-up then cosine per step down to 0 (logged by ``LearningRateMonitor``), batch 64, 20
epochs, ``CSVLogger`` + ``ModelCheckpoint(save_last=True)``. Healthy: at chance in the first
epoch (warm-up; the flow has to bend), val acc 0.92 at epoch 2 and 1.00 from epoch 4, val loss
3e-4 at the end, per-step train loss noisy early on."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS, DT = 10, 0.1


def spirals(n, g):
    t = torch.rand(n, generator=g) * 2 * math.pi + 0.5
    y = torch.randint(0, 2, (n,), generator=g)
    r = t / (2 * math.pi) * 3
    ang = t + math.pi * y
    x = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    return x + 0.15 * torch.randn(n, 2, generator=g), y


class ODEFunc(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 16))

    def forward(self, h):
        return self.net(h)


class NeuralODEClassifier(L.LightningModule):
    def __init__(self, lr=1e-2, warmup=30, total=20 * 25):
        super().__init__()
        self.save_hyperparameters()
        self.lift = nn.Linear(2, 16)
        self.func = ODEFunc()
        self.head = nn.Linear(16, 2)

    def forward(self, x):
        h = self.lift(x)
        for _ in range(STEPS):
            h = h + DT * self.func(h)
        return self.head(h)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        w, total = self.hparams.warmup, self.hparams.total

        def factor(step):
            if step < w:
                return (step + 1) / w
            return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - w) / (total - w))))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return NeuralODEClassifier()


def main():
    from _twentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = spirals(2000, g)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(x[:1600], y[:1600]), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(x[1600:], y[1600:]), batch_size=400)
    torch.manual_seed(0)
    model = NeuralODEClassifier()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="node"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("step")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[1600:1664], y[1600:1664]), causes=[],
           checkpoint="node/version_0/checkpoints/last.ckpt",
           log="node/version_0/metrics.csv",
           what="Lightning neural ODE (fixed-step Euler) on noisy spirals, warm-up + cosine "
                "(healthy)")


if __name__ == "__main__":
    main()
