"""Lightning: a denoising autoencoder for accelerometer windows from a pump (64 samples: a few
harmonics of the shaft speed with random amplitudes and phases, plus an occasional bearing
tick). Training inputs get Gaussian noise (std 0.5, the sensor's) and the target is the clean
window; MLP 64-256-128-32-128-256-64 (ReLU) with dropout after every hidden layer, MSE,
AdamW 2e-3 (weight decay 1e-4), batch 64, 20 epochs, ``CSVLogger`` + ``ModelCheckpoint(
save_last=True)``; the val MSE is logged next to the MSE of the noisy input itself. Bug:
``dropout=0.7`` (the author read "dropout helps denoising autoencoders" and set it as high as
the input-corruption level of the paper): with 70 % of the units dropped in every layer, the
model can barely carry the signal: train MSE 0.244 -> 0.218 and val MSE 0.250 -> 0.225 in 20
epochs, barely under the noisy input itself (0.250) and outputting silence (0.243)
(dropout 0.1: val MSE 0.128 -> 0.092)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WIN, NOISE = 64, 0.5


def windows(n, g):
    t = torch.arange(WIN).float()
    f0 = 2 * math.pi * (3 + 2 * torch.rand(n, 1, generator=g)) / WIN
    x = torch.zeros(n, WIN)
    for h in (1, 2, 3):
        amp = torch.rand(n, 1, generator=g) / h
        ph = 2 * math.pi * torch.rand(n, 1, generator=g)
        x += amp * torch.sin(h * f0 * t + ph)
    tick = (torch.rand(n, generator=g) < 0.3).float()
    pos = torch.randint(4, WIN - 4, (n,), generator=g)
    x += tick[:, None] * 1.5 * torch.exp(-((t[None] - pos[:, None].float()) ** 2) / 2)
    return x


class DenoisingAE(L.LightningModule):
    def __init__(self, dropout=0.7, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        dims = (WIN, 256, 128, 32, 128, 256)
        layers = []
        for a, b in zip(dims[:-1], dims[1:], strict=False):
            layers += [nn.Linear(a, b), nn.ReLU(), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers, nn.Linear(256, WIN))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        (clean,) = batch
        noisy = clean + NOISE * torch.randn_like(clean)
        loss = F.mse_loss(self(noisy), clean)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        noisy, clean = batch
        self.log("val_loss", F.mse_loss(self(noisy), clean))
        self.log("val_noisy_input_mse", F.mse_loss(noisy, clean))

    def configure_optimizers(self):
        return {"optimizer": torch.optim.AdamW(self.parameters(), lr=self.hparams.lr,
                                               weight_decay=1e-4)}


def build():
    torch.manual_seed(0)
    return DenoisingAE()


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    clean = windows(3000, g)
    vnoisy = clean[2500:] + NOISE * torch.randn(500, WIN, generator=g)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(clean[:2500]), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(vnoisy, clean[2500:]), batch_size=500)
    torch.manual_seed(0)
    model = DenoisingAE()  # BUG: dropout=0.7 in every layer
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="dae"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vnoisy[:64], clean[2500:2564]), causes=["over_regularization"],
           checkpoint="dae/version_0/checkpoints/last.ckpt", log="dae/version_0/metrics.csv",
           what="Lightning denoising MLP autoencoder with dropout 0.7 after every layer",
           complaint="denoising autoencoder for pump vibration: train and validation loss hardly "
                     "move in 20 epochs, the 'denoised' output is almost a flat line and "
                     "barely better than the noisy input")


if __name__ == "__main__":
    main()
