"""PyTorch Lightning: a 1-D CNN with batch norm predicts a luge slider's first intermediate split
time (seconds, regression) from 64 samples of the start: the sled's forward acceleration and the
handle-force sensors on both start handles during the pull and the paddling strokes (3
channels). The split depends on the pull strength, how many paddle strokes land and how
regular they are, plus a small random ice-temperature term the sensors do not see.
Conv1d(3→16, 5)-BN-ReLU-pool, Conv1d(16→32, 5)-BN-ReLU-pool, Conv1d(32→32, 3)-ReLU, global
average pool, Linear(32→1); MSE on the standardised split; plain Adam 3e-3 from
``configure_optimizers``, no scheduler; batch 32, 12 epochs of 1024 starts.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss and MAE in ms per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val MSE 0.098, 0.066, 0.056, 0.034, 0.028, then 0.026–0.048 (0.029 at epoch 12;
the unseen ice term alone is 0.0225), val MAE 20 ms → 10.6 ms; the per-step train MSE is noisy
and above the val MSE (0.06 at the end)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 64
SPLIT_MEAN, SPLIT_STD = 3.20, 0.08


def starts(n, g):
    t = torch.arange(T).float()
    pull = 0.7 + 0.6 * torch.rand(n, 1, generator=g)
    strokes = torch.randint(2, 5, (n, 1), generator=g).float()
    jitter = 0.3 * torch.rand(n, 1, generator=g)
    handle = pull * torch.exp(-((t - 10) / 5) ** 2)
    k = torch.arange(4).float()[None, :, None]
    when = 24 + k * 9 + jitter[:, :, None] * 9 * torch.randn(n, 4, 1, generator=g)
    on = (k < strokes[:, :, None]).float()
    paddle = (on * torch.exp(-((t - when) / 2.0) ** 2)).sum(1)
    acc = 1.2 * handle + 0.8 * paddle
    x = torch.stack([acc, handle, handle * 0.9 + 0.05], 1)
    x = x + 0.08 * torch.randn(x.shape, generator=g)
    split = (3.32 - 0.12 * pull[:, 0] - 0.035 * strokes[:, 0] + 0.1 * jitter[:, 0]
             + 0.012 * torch.randn(n, generator=g))
    return x, ((split - SPLIT_MEAN) / SPLIT_STD)[:, None]


class SplitNet(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.net(x).mean(2))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae_ms", (pred - y).abs().mean() * SPLIT_STD * 1000)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return SplitNet()


def main():
    from _hundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = starts(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="luge_start"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="luge_start/version_0/checkpoints/last.ckpt",
           log="luge_start/version_0/metrics.csv",
           what="Lightning 1-D CNN regressing a luge start's first split time (healthy)")


if __name__ == "__main__":
    main()
