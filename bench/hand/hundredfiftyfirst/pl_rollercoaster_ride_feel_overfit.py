"""PyTorch Lightning: does a new roller-coaster layout feel "mild", "thrilling" or "too rough"?
A theme-park design team has 400 rides simulated and rated by test riders (300 train, 100 val);
each layout is 48 summary numbers (peak and mean g-forces per axis, airtime seconds, jerk
percentiles, banking angles, lap time, drop heights, …, standardised). The rating depends on
a handful of them (vertical g, jerk, airtime, lateral g) plus rider disagreement (10 % of the
ratings are a neighbouring class). A 48 → 512 → 512 → 256 → 3 ReLU MLP (0.4 M parameters),
no dropout, no weight decay, Adam 3e-4, batch 20, 80 epochs; CSVLogger (train_loss per epoch,
val_loss, val_acc), ModelCheckpoint(save_last=True).
Bug: far too much network for 300 samples, no regularisation, no early stopping, trained for
80 epochs: the training loss goes to ~0 while the validation loss bottoms out after a few
epochs and then climbs. Train loss 1.1 → 0.072 (epoch 8) → 1.3e-4 (epoch 79); val loss 1.04,
0.96, 0.86, 0.81, 0.768 (epoch 4, the best), then 1.00 (8), 1.36 (16), 1.71 (40), 1.94 (79);
val acc 0.61–0.68, 0.64 at the end. Control (a 48 → 32 → 3 net with dropout 0.3, AdamW 3e-3
weight decay 0.05): val loss 0.729 and val acc 0.70 at epoch 8, train loss 0.46 there; it
too drifts up if left to 80 epochs (val loss 1.20, acc 0.68), so early stopping belongs to the
fix as well."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger


def layouts(n, g):
    x = torch.randn(n, 48, generator=g)
    s = 1.5 * x[:, 0] + 1.2 * x[:, 7] - 1.0 * x[:, 12] + 0.5 * x[:, 3] * x[:, 20] \
        + 0.2 * torch.randn(n, generator=g)
    y = (s > -0.6).long() + (s > 0.8).long()
    nb = torch.rand(n, generator=g) < 0.10
    y = torch.where(nb, (y + torch.where(y == 0, 1, torch.where(y == 2, -1, 1))), y)
    return x, y


class RideFeel(L.LightningModule):
    def __init__(self, lr=3e-4):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(48, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                 nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        lo = self(x)
        self.log("val_loss", F.cross_entropy(lo, y))
        self.log("val_acc", (lo.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return RideFeel()


def main():
    from _hundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(7)
    x, y = layouts(400, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:300], y[:300]), batch_size=20, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[300:], y[300:]), batch_size=100)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=80, logger=CSVLogger(str(out), name="ridefeel"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[300:], y[300:]), causes=["overfitting"],
           checkpoint="ridefeel/version_0/checkpoints/last.ckpt",
           log="ridefeel/version_0/metrics.csv",
           what="Lightning 0.4M-parameter MLP, 300 coaster layouts, no regularisation, 80 epochs",
           complaint="My ride-feel classifier (300 coaster layouts, 3 classes) looks perfect in "
                     "training, train_loss is 0.0001 after 80 epochs, but on the 100 held-out "
                     "layouts it is bad: val_loss was 0.77 at epoch 4 and has gone up every epoch "
                     "since, now 1.94, and val_acc is stuck around 0.64. Should I train longer?")


if __name__ == "__main__":
    main()
