"""PyTorch Lightning: a neural additive model (NAM) for credit default. 8 standardised
applicant features; the default log-odds are a sum of one shape function per feature
(thresholds, a U-shape, a saturating curve), and 10 % of the labels are flipped (charge-offs
booked late or early). One small MLP per feature (1 -> 32 -> 32 -> 1, ReLU), summed with a
bias: the logit. BCE-with-logits, AdamW 5e-3 weight decay 1e-4, ``OneCycleLR`` stepped per
batch (``"interval": "step"``), batch 128, 12 epochs, ``CSVLogger`` (train_loss every 10
steps, val_loss and val_acc per epoch) and ``ModelCheckpoint(save_last=True)``.

Healthy: the label noise puts a floor under the loss; val_acc 0.57 -> 0.77 by epoch 3 and
0.77-0.78 after, val_loss 0.66 -> 0.51 levelling off from epoch 5, the logged train loss
noisy between 0.43 and 0.66 (one batch of 128 every 10 steps)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N_FEAT = 8


def applicants(n, g):
    x = torch.randn(n, N_FEAT, generator=g)
    f = torch.stack([1.5 * (x[:, 0] > 0.5).float(), 0.8 * x[:, 1] ** 2 - 0.8,
                     -1.2 * torch.tanh(2 * x[:, 2]), 0.7 * x[:, 3],
                     -(x[:, 4] < -1).float() * 1.5, 0.5 * torch.sin(2 * x[:, 5]),
                     torch.zeros(n), 0.3 * x[:, 7]], 1)
    y = (torch.rand(n, generator=g) < torch.sigmoid(2.0 * f.sum(1))).float()
    flip = torch.rand(n, generator=g) < 0.10
    return x, torch.where(flip, 1 - y, y)


class NAM(L.LightningModule):
    def __init__(self, lr=5e-3, hidden=32):
        super().__init__()
        self.save_hyperparameters()
        self.shapes = nn.ModuleList(
            nn.Sequential(nn.Linear(1, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                          nn.Linear(hidden, 1)) for _ in range(N_FEAT))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        parts = [f(x[:, i:i + 1]) for i, f in enumerate(self.shapes)]
        return torch.cat(parts, 1).sum(1) + self.bias

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_acc", ((logits > 0).float() == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=self.hparams.lr, total_steps=self.trainer.estimated_stepping_batches)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return NAM()


def main():
    from _twentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = applicants(5000, g)
    L.seed_everything(0, verbose=False)
    tl = DataLoader(TensorDataset(x[:4000], y[:4000]), batch_size=128, shuffle=True)
    vl = DataLoader(TensorDataset(x[4000:], y[4000:]), batch_size=1000)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="nam"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), tl, vl)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[4000:4256], y[4000:4256]), causes=[],
           checkpoint="nam/version_0/checkpoints/last.ckpt", log="nam/version_0/metrics.csv",
           what="Lightning neural additive model, AdamW + OneCycleLR per step, 10 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
