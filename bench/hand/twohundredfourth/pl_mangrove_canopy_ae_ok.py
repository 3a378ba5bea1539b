"""PyTorch Lightning: an autoencoder compresses mangrove canopy reflectance spectra (64 bands,
400–1000 nm, from a drone hyperspectral camera) to 6 numbers. A spectrum is built from 5 hidden
factors: chlorophyll (red-edge position and the green peak), leaf water (a dip near 970 nm),
leaf area (the near-infrared plateau), tidal water under the canopy (darkens the NIR) and
illumination (overall scale), plus sensor noise (0.01). Spectra are scaled by the training
mean and standard deviation per band. Encoder 64-48-6 (ReLU), decoder 6-48-64; Adam 2e-3,
batch 64, 12 epochs of 1536 spectra, shuffled.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val MSE per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: val MSE 0.426 after epoch 1, then 0.213, 0.190, 0.172, 0.162, 0.156 ... 0.146 at
epoch 12 — a plateau at the noise floor: the sensor noise is 0.154 of a scaled band's variance
on average (the blue bands are nearly all noise), and a 6-number code cannot and should not
reconstruct it. The train loss follows val step for step (0.138–0.145 at the end)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

NB = 64


def spectra(n, g):
    wl = torch.linspace(400, 1000, NB)
    chl, water, lai, tide, light = torch.rand(5, n, 1, generator=g)
    edge = 690 + 30 * chl
    green = 0.04 + 0.05 * (1 - chl) * torch.exp(-((wl - 550) / 30) ** 2)
    nir = (0.25 + 0.3 * lai) * (1 - 0.6 * tide) * torch.sigmoid((wl - edge) / 12)
    dip = 0.08 * water * lai * torch.exp(-((wl - 970) / 25) ** 2)
    r = (0.6 + 0.8 * light) * (green + nir - dip + 0.02 * tide)
    return r + 0.01 * torch.randn(n, NB, generator=g)


class CanopyAE(L.LightningModule):
    def __init__(self, lr=2e-3, code=6):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(nn.Linear(NB, 48), nn.ReLU(), nn.Linear(48, code))
        self.decoder = nn.Sequential(nn.Linear(code, 48), nn.ReLU(), nn.Linear(48, NB))

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def training_step(self, batch, _):
        (x,) = batch
        loss = F.mse_loss(self(x), x)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        (x,) = batch
        self.log("val_mse", F.mse_loss(self(x), x))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return CanopyAE()


def main():
    from _twohundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = spectra(1920, g)
    mu, sd = x[:1536].mean(0), x[:1536].std(0)
    x = (x - mu) / sd
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1536]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1536:]), batch_size=384)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="canopy_ae"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1536:1600], x[1536:1600]), causes=[],
           checkpoint="canopy_ae/version_0/checkpoints/last.ckpt",
           log="canopy_ae/version_0/metrics.csv",
           what="Lightning autoencoder of mangrove canopy reflectance spectra (healthy)")


if __name__ == "__main__":
    main()
