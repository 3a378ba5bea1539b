"""PyTorch Lightning: a GRU reads a 1.6 m stretch of an ice core's water-isotope profile (64
samples of δ18O cut every 2.5 cm) and estimates the mean annual layer thickness in that
stretch, the number the glaciologists turn into snow accumulation. Each year leaves one
summer peak and one winter trough in δ18O; the layer thickness sets the wavelength (15-45 cm
of ice, so 6-18 samples a year), vapour diffusion in the firn smooths the short wavelengths
(the seasonal amplitude shrinks as the layers thin), the years are not all the same length
(±20 % jitter), and the mass spectrometer and the cutting add 0.3 ‰ of scatter and a slow
offset from the climate trend. Target: (thickness in cm - 30) / 10.
Input: (64, 2) δ18O minus the stretch's mean, / 3 ‰, and its sample-to-sample step × 3.
GRU 2→32, 1 layer, last state → linear 32→16-ReLU-16→1; MSE, Adam 1e-2 with StepLR (×0.5 every 4 epochs) from
``configure_optimizers``, batch 50, 12 epochs, 1000 stretches, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``firn/version_0/metrics.csv`` (``mse`` per step every 5 steps, ``val_mse``
and ``val_mae_cm`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``firn/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 64
DZ = 2.5  # cm per sample


def stretches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lam = 15 + 30 * r(n, 1)
    years = lam * (1 + 0.2 * (r(n, 12) - 0.5) * 2)
    edges = torch.cat([torch.zeros(n, 1), years.cumsum(1)], 1) - r(n, 1) * lam
    z = torch.arange(N).float() * DZ
    k = torch.searchsorted(edges.contiguous(), z.expand(n, N).contiguous()) - 1
    k = k.clamp(0, 11)
    start = edges.gather(1, k)
    width = years.gather(1, k)
    phase = (z - start) / width
    amp = 4 * (1 - torch.exp(-(lam / 18) ** 2))
    d18o = amp * torch.cos(2 * torch.pi * phase) + (r(n, 1) - 0.5) * 2 * z / 160
    d18o = d18o + 0.3 * torch.randn(n, N, generator=g)
    x = (d18o - d18o.mean(1, keepdim=True)) / 3
    step = torch.diff(x, dim=1, prepend=x[:, :1]) * 3
    return torch.stack([x, step], 2), (years.mean(1, keepdim=True) - 30) / 10


class LayerGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_cm", 10 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return LayerGRU()


def main():
    from _twohundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stretches(1000, g)
    xva, yva = stretches(250, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="firn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="firn/version_0/checkpoints/last.ckpt",
           log="firn/version_0/metrics.csv",
           what="Lightning GRU estimating annual layer thickness from an ice core's δ18O"
                " profile (healthy)")


if __name__ == "__main__":
    main()
