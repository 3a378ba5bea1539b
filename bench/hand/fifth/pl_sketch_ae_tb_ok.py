"""Lightning + TensorBoardLogger (the default logger people keep): a convolutional
autoencoder compresses 28x28 pen sketches (strokes, rings, zig-zags in [0, 1]) to a
16-d code; sigmoid output with BCE, AdamW 2e-3 and ReduceLROnPlateau on val_loss. The
reconstruction sits on a plateau for ~6 epochs (the mean sketch) and then drops to val MSE
0.0044 against a pixel variance of 0.039 (healthy). dldoctor is given the run's
version folder with its ``events.out.tfevents.*`` file and the ``last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import TensorBoardLogger
from torch.utils.data import DataLoader, TensorDataset

S = 28


def sketches(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    kind = torch.randint(0, 3, (n,), generator=g)
    a = math.pi * torch.rand(n, 1, 1, generator=g)
    c = 0.4 * (torch.rand(n, 2, 1, 1, generator=g) - 0.5)
    u = (xx - c[:, 0]) * torch.cos(a) + (yy - c[:, 1]) * torch.sin(a)
    v = -(xx - c[:, 0]) * torch.sin(a) + (yy - c[:, 1]) * torch.cos(a)
    stroke = torch.exp(-(v / 0.08) ** 2) * (u.abs() < 0.7)
    ring = torch.exp(-((u ** 2 + v ** 2).sqrt() - 0.45) ** 2 / 0.006)
    zig = torch.exp(-((v - 0.25 * torch.sin(8 * u)) / 0.08) ** 2) * (u.abs() < 0.7)
    img = torch.stack([stroke, ring, zig], 1)[torch.arange(n), kind]
    return img.clamp(0, 1).unsqueeze(1)


class SketchAE(L.LightningModule):
    def __init__(self, code=16, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(32 * 7 * 7, code))
        self.decoder = nn.Sequential(
            nn.Linear(code, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1))

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def training_step(self, batch, batch_idx):
        (x,) = batch
        loss = F.binary_cross_entropy_with_logits(self(x), x)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        (x,) = batch
        recon = torch.sigmoid(self(x))
        self.log("val_loss", F.binary_cross_entropy(recon, x))
        self.log("val_mse", F.mse_loss(recon, x))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss"}}


def build():
    torch.manual_seed(0)
    return SketchAE()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, vx = sketches(2000, g), sketches(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=16, logger=TensorBoardLogger(str(out / "lightning_logs"),
                                                                 name="", version=0),
                        log_every_n_steps=10, callbacks=[ModelCheckpoint(save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()},
          "pixel var", round(vx.var().item(), 4))
    finish(out, __file__, (vx[:64], vx[:64]), causes=[],
           checkpoint="lightning_logs/version_0/checkpoints/last.ckpt",
           log="lightning_logs/version_0",
           what="conv autoencoder, TensorBoardLogger, plateau scheduler: healthy")


if __name__ == "__main__":
    main()
