"""PyTorch Lightning: a police precinct's call-for-service triage. A GRU reads the last 24 hours
of a precinct's hourly call counts in 4 call types (disturbance, theft, traffic, welfare check;
log1p counts, standardised) and predicts tomorrow's staffing band: quiet, normal, busy
(synthetic: a daily cycle, a weekly weekend bump, a precinct base rate, and event days
with an evening surge in disturbance calls that carry over into the next day). GRU(4 → 32),
a linear head on the last hidden state, Adam 2e-3, batch 32, 10 epochs of 1024 precinct-days;
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps and per epoch, val loss and val
accuracy per epoch), ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, with a noisy ceiling (the precinct base rate is only seen through Poisson counts):
val accuracy 0.83 after epoch 1 (majority band 0.41), 0.82–0.85 after, val loss 0.645 →
0.377, below the epoch train loss (0.914 → 0.385) throughout."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

H = 24


def precinct_days(n, g):
    hours = torch.arange(H).float()
    base = 0.5 + 1.5 * torch.rand(n, 1, 1, generator=g)
    cycle = 1 + 0.6 * torch.sin((hours - 9) / 24 * 6.283)
    weekend = (torch.randint(0, 7, (n,), generator=g) >= 5).float()
    event = (torch.rand(n, generator=g) < 0.35).float()
    surge = event[:, None] * torch.exp(-((hours - 21) / 2.0) ** 2) * (1 + torch.rand(n, 1, generator=g))
    rate = base * cycle[None, :, None] * torch.tensor([1.0, 0.8, 0.6, 0.4])[None, None]
    rate = rate * (1 + 0.3 * weekend[:, None, None])
    rate[:, :, 0] = rate[:, :, 0] + 3 * surge
    counts = torch.poisson(rate, generator=g)
    load = base[:, 0, 0] * (1 + 0.3 * weekend) + 1.2 * event
    y = (load > 1.3).long() + (load > 2.3).long()
    x = torch.log1p(counts)
    return (x - 0.6) / 0.5, y


class CallGRU(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return CallGRU()


def main():
    from _hundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = precinct_days(1324, g)
    print("band counts", torch.bincount(y).tolist())
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="precinct"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="precinct/version_0/checkpoints/last.ckpt",
           log="precinct/version_0/metrics.csv",
           what="Lightning GRU precinct staffing band from hourly call counts (healthy)")


if __name__ == "__main__":
    main()
