"""PyTorch Lightning: ordinal regression with a cumulative-link (proportional-odds logit)
head on synthetic 5-level product ratings. 12 features (price, delivery days, defect flags
...); a latent satisfaction score is a fixed nonlinear function of them plus logistic noise
(scale 0.3), cut at 4 fixed thresholds into ratings 1-5. The net is an MLP 12-32-32-1 giving
a score f(x); 4 ordered cut points (first one free, then softplus increments) give
P(y > k) = sigmoid(f(x) - theta_k), trained with binary cross-entropy with logits on the 4
cumulative targets, AdamW 3e-3, batch 64, 15 epochs, ``CSVLogger`` -> ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: val exact accuracy levels at 0.63-0.65 and val MAE
at 0.37-0.38 from epoch 11, a ceiling set by the logistic noise (the true score itself gives
0.645 and 0.368); train and val loss both flatten near 0.23."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

FEAT, LEVELS = 12, 5
CUTS = torch.tensor([-1.5, -0.5, 0.5, 1.5])


def ratings(n, g):
    x = torch.randn(n, FEAT, generator=g)
    w = 1.5 * torch.randn(FEAT, generator=g) / FEAT ** 0.5
    score = x @ w + 0.5 * torch.tanh(x[:, 0] * x[:, 1]) - 0.3 * x[:, 2].abs()
    u = torch.rand(n, generator=g).clamp(1e-6, 1 - 1e-6)
    noisy = score + 0.3 * torch.log(u / (1 - u))
    y = (noisy[:, None] > CUTS).sum(1)
    return x, y, (score[:, None] > CUTS).sum(1)


class CumulativeLink(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(FEAT, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 1))
        self.first_cut = nn.Parameter(torch.tensor(-1.0))
        self.gaps = nn.Parameter(torch.zeros(LEVELS - 2))

    def cuts(self):
        steps = torch.cumsum(F.softplus(self.gaps) + 0.05, 0)
        return torch.cat([self.first_cut[None], self.first_cut + steps])

    def forward(self, x):
        return self.net(x) - self.cuts()

    def _loss(self, logits, y):
        targets = (y[:, None] > torch.arange(LEVELS - 1)).float()
        return F.binary_cross_entropy_with_logits(logits, targets)

    def training_step(self, batch, _):
        x, y = batch
        loss = self._loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).sum(1)
        self.log("val_loss", self._loss(logits, y))
        self.log("val_exact_acc", (pred == y).float().mean())
        self.log("val_mae", (pred - y).abs().float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)


def build():
    torch.manual_seed(0)
    return CumulativeLink()


def main():
    from _fortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, clean = ratings(4000, g)
    va = slice(3200, 4000)
    print("true-score ceiling: acc", (clean[va] == y[va]).float().mean().item(),
          "mae", (clean[va] - y[va]).abs().float().mean().item())
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:3200], y[:3200]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[va], y[va]), batch_size=800)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="ratings"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    model = build()
    trainer.fit(model, train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[va][:128], y[va][:128]), causes=[],
           checkpoint="ratings/version_0/checkpoints/last.ckpt",
           log="ratings/version_0/metrics.csv",
           what="Lightning cumulative-link ordinal MLP, 5-level ratings, logistic noise (healthy)")


if __name__ == "__main__":
    main()
