"""PyTorch Lightning: a small 1-D CNN (no BatchNorm) reads a chestnut orchard's 40-day
weather record (daily mean temperature °C, rain mm, leaf wetness hours) ahead of a bark
inspection and predicts the share of inspected trees showing new chestnut blight cankers
(logit of the share), so the grower knows which blocks to prune first. New cankers need
wet bark for infection (rain splash spreads the spores, long leaf-wetness spells let them
germinate) at 15-30 °C, with a lag of 2-3 weeks to show; the share also depends on how
much inoculum the block carries (not measured).
Input: (3, 40) (temp - 18) / 6, rain / 10, wetness / 8. Target: logit(share) / 2.
Conv 3→16 k7 ReLU, conv 16→16 k5 dilation 2 ReLU, mean + max pool → 32→1; MSE, AdamW
3e-3 with OneCycleLR over 10 epochs (stepped per batch), batch 40, 1200 blocks, val 300.
Healthy; numbers in the README.
Log: CSVLogger ``blight/version_0/metrics.csv`` (``train_mse`` every 5 steps,
``val_mse`` / ``val_mae_logit`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)``
→ ``blight/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 40


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.arange(DAYS).float()
    temp = 12 + 10 * r(n, 1) + 4 * torch.sin(d / 6 + 6 * r(n, 1)) + torch.randn(n, DAYS, generator=g)
    wet_day = (r(n, DAYS) < 0.15 + 0.35 * r(n, 1)).float()
    rain = wet_day * 25 * r(n, DAYS)
    wet = (wet_day * (4 + 10 * r(n, DAYS)) + 2 * r(n, DAYS)).clamp(max=24)
    warm = ((temp - 15) / 8).clamp(0, 1) * (temp < 30).float()
    infect = warm * (wet / 12) * (1 + rain / 15)
    lag = infect[:, 5:28].sum(1, keepdim=True)  # shows 2-3 weeks later
    inoc = torch.randn(n, 1, generator=g) * 0.4
    logit = -3 + 0.35 * lag + inoc
    x = torch.stack([(temp - 18) / 6, rain / 10, wet / 8], 1)
    return x, logit / 2


class BlightCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(3, 16, 7, padding=3)
        self.c2 = nn.Conv1d(16, 16, 5, padding=4, dilation=2)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.head(torch.cat([h.mean(2), h.amax(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_logit", 2 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=10 * 30)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return BlightCNN()


def main():
    from _threehundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = seasons(1200, g)
    xva, yva = seasons(300, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="blight"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="blight/version_0/checkpoints/last.ckpt",
           log="blight/version_0/metrics.csv",
           what="Lightning 1-D CNN predicting the share of chestnut trees with new blight"
                " cankers from 40 days of orchard weather (healthy)")


if __name__ == "__main__":
    main()
