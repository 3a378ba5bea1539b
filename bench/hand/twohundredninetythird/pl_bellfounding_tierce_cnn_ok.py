"""PyTorch Lightning: a 1-D CNN with batch norm tells a bell tuner how far the tierce of a freshly
cast church bell sits from a true minor third above its prime, in cents, from the spectrum of
a hammer strike, so the tuner knows how much metal to take off inside the waist before the
bell goes on the lathe. A bell's strike is a set of partials: hum (two octaves under the
nominal), prime (one octave under), tierce (ideally a minor third, 300 cents, over the
prime), quint and nominal; a new casting comes out with the tierce off by up to ±70 cents and
the other partials off by a little too. The spectrum is on a log-frequency axis, 128 bins of
25 cents, and the whole bell moves ±150 cents along it (bells of different size); each partial
is a peak with its own height and width, over a noise floor.
Input: 1 channel × 128 bins (dB, scaled); target tierce - prime - 300 cents, / 30.
Conv1d 1→16 k7-BN-ReLU-maxpool2, 16→32 k5-BN-ReLU-maxpool2, 32→32 k5-BN-ReLU, flatten
32·32 → 64-ReLU → 1; MSE, Adam 2e-3 with CosineAnnealingLR over 12 epochs from
``configure_optimizers``, batch 50, 1500 strikes, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``tuning/version_0/metrics.csv`` (``train_loss`` per epoch, ``val_loss``,
``val_mae_cents``); checkpoint ``ModelCheckpoint(save_last=True)`` →
``tuning/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

NB = 128


def strikes(n, g):
    axis = torch.arange(NB).float() * 25.0
    nominal = 2900 + 300 * (torch.rand(n, 1, generator=g) - 0.5)
    tierce_dev = 70 * (2 * torch.rand(n, 1, generator=g) - 1)
    prime = nominal - 1200 + 15 * torch.randn(n, 1, generator=g)
    parts = [nominal - 2400 + 25 * torch.randn(n, 1, generator=g), prime,
             prime + 300 + tierce_dev, nominal - 500 + 40 * torch.randn(n, 1, generator=g),
             nominal]
    spec = 0.05 * torch.randn(n, NB, generator=g)
    for f in parts:
        amp = 0.5 + 0.6 * torch.rand(n, 1, generator=g)
        width = 30 + 20 * torch.rand(n, 1, generator=g)
        spec = spec + amp * torch.exp(-0.5 * ((axis - f) / width) ** 2)
    return spec.unsqueeze(1), tierce_dev / 30


class TierceCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 64), nn.ReLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p, y))
        self.log("val_mae_cents", 30 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return TierceCNN()


def main():
    from _twohundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strikes(1500, g)
    xva, yva = strikes(400, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="tuning"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tuning/version_0/checkpoints/last.ckpt",
           log="tuning/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm reading a new bell's tierce error in cents"
                " from its strike spectrum (healthy)")


if __name__ == "__main__":
    main()
