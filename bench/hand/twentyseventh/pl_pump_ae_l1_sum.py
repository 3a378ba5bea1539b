"""Lightning: anomaly detection on pump sensor windows with an MLP autoencoder. A window is
64 readings of 3 channels (vibration, current, pressure: sinusoids at the pump's speed with
random phase and amplitude, plus noise), flattened and standardised; train on normal windows
only, score val windows (normal and 15 % faulty: a bearing harmonic, a current spike or a
pressure drop) by reconstruction error and log the anomaly AUROC. Encoder 192-64-16, decoder
16-64-192, an L1 activity penalty on the 16-d code to keep it sparse (``l1=1e-2``), MSE,
Adam 1e-3, batch 64, 15 epochs, ``CSVLogger`` and ``ModelCheckpoint(save_last=True)``.
Bug: the penalty is ``L1 * code.abs().sum()``, summed over the batch and the code units (the
author meant the mean: 1024x larger), so the code is pushed to zero and the decoder outputs
the mean window."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WIN = 64


def windows(n, g, faulty_rate=0.0):
    t = torch.arange(WIN).float()
    speed = 0.2 + 0.15 * torch.rand(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 3, 1, generator=g)
    amp = 0.8 + 0.4 * torch.rand(n, 3, 1, generator=g)
    x = amp * torch.sin(speed[:, None] * t + phase)
    x[:, 1] = x[:, 1] * 0.5 + 1.0
    x[:, 2] = 0.3 * x[:, 2] + 2.0
    x = x + 0.1 * torch.randn(n, 3, WIN, generator=g)
    bad = torch.rand(n, generator=g) < faulty_rate
    kind = torch.randint(0, 3, (n,), generator=g)
    for i in torch.nonzero(bad).flatten().tolist():
        if kind[i] == 0:
            x[i, 0] += 0.6 * torch.sin(3.7 * speed[i] * t)
        elif kind[i] == 1:
            s = int(torch.randint(0, WIN - 6, (1,), generator=g))
            x[i, 1, s:s + 6] += 1.5
        else:
            x[i, 2, WIN // 2:] -= 0.8
    return x.flatten(1), bad.float()


def auroc(score, label):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = label.sum()
    neg = len(label) - pos
    return ((ranks[label == 1].sum() - pos * (pos + 1) / 2) / (pos * neg)).item()


class PumpAE(L.LightningModule):
    def __init__(self, l1=1e-2, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(nn.Linear(3 * WIN, 64), nn.ReLU(), nn.Linear(64, 16))
        self.decoder = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 3 * WIN))

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def training_step(self, batch, batch_idx):
        x, _ = batch
        code = self.encoder(x)
        recon = F.mse_loss(self.decoder(code), x)
        loss = recon + self.hparams.l1 * code.abs().sum()
        self.log("train_recon", recon, on_step=False, on_epoch=True)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, bad = batch
        err = (self(x) - x).pow(2).mean(1)
        self.log("val_recon_normal", err[bad == 0].mean())
        self.log("val_auroc", auroc(err, bad))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return PumpAE()


def main():
    from _twentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx, _ = windows(3000, g)
    vx, vbad = windows(600, g, faulty_rate=0.15)
    mean, std = tx.mean(0), tx.std(0)
    tx, vx = (tx - mean) / std, (vx - mean) / std
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(tx, torch.zeros(3000)), batch_size=64, shuffle=True)
    val = DataLoader(TensorDataset(vx, vbad), batch_size=600)
    torch.manual_seed(0)
    model = PumpAE()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="pump_ae"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:64], vx[:64]), causes=["over_regularization"],
           checkpoint="pump_ae/version_0/checkpoints/last.ckpt",
           log="pump_ae/version_0/metrics.csv",
           what="Lightning anomaly autoencoder whose L1 code penalty is summed over the batch "
                "(1024x the meant mean)",
           complaint="the autoencoder reconstructs every window as the same flat curve, "
                     "reconstruction error never gets below ~1 and the anomaly AUROC is poor")


if __name__ == "__main__":
    main()
