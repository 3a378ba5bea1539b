"""PyTorch Lightning conditional VAE (CVAE) on synthetic 16×16 glyph images, 4 classes (a hollow
square, a plus, a ring, a diagonal bar) at a random position and size with σ 0.1 pixel noise,
pixels in [0, 1]. Encoder: the flattened image and the one-hot class → 256 → 128 → μ, log σ²
(8-d); decoder: z and the one-hot class → 128 → 256 → 256 pixel logits. Loss: BCE-with-logits
reconstruction summed over pixels, plus the KL to N(0, I), both per image. AdamW 2e-3, batch
64, 8 epochs over 1200 images (300 for validation), ``CSVLogger`` → ``metrics.csv``
(``train_loss`` per step and per epoch, ``val_loss``, ``val_recon``, ``val_kl``),
``ModelCheckpoint(save_last=True)``.
Healthy: the validation loss falls every epoch and flattens (the pixel noise sets a floor on the
reconstruction term) while the KL term rises from ≈ 0 as the latent starts to carry the
position and size, the usual CVAE trade."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

C, Z = 4, 8


def glyphs(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    r = torch.arange(16).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cy, cx = 5 + 6 * torch.rand(n, 1, 1, generator=g), 5 + 6 * torch.rand(n, 1, 1, generator=g)
    s = 2.5 + 2 * torch.rand(n, 1, 1, generator=g)
    dy, dx = yy - cy, xx - cx
    square = ((dy.abs() < s) & (dx.abs() < s) & ((dy.abs() > s - 1.2) | (dx.abs() > s - 1.2)))
    plus = ((dy.abs() < 0.8) & (dx.abs() < s)) | ((dx.abs() < 0.8) & (dy.abs() < s))
    rad = (dy ** 2 + dx ** 2).sqrt()
    ring = (rad < s) & (rad > s - 1.2)
    diag = ((dy - dx).abs() < 1.0) & (dy.abs() < s)
    shapes = torch.stack([square, plus, ring, diag], 1).float()
    img = shapes[torch.arange(n), y] + 0.05 * torch.randn(n, 16, 16, generator=g)
    return img.clamp(0, 1)[:, None], y


class CVAE(L.LightningModule):
    def __init__(self, lr=4e-3):
        super().__init__()
        self.save_hyperparameters()
        self.enc = nn.Sequential(nn.Linear(256 + C, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
        self.mu, self.logvar = nn.Linear(128, Z), nn.Linear(128, Z)
        self.dec = nn.Sequential(nn.Linear(Z + C, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(),
                                 nn.Linear(256, 256))

    def forward(self, x, labels):  # → (reconstruction logits (B, 1, 16, 16), μ, log σ²)
        c = F.one_hot(labels, C).float()
        h = self.enc(torch.cat([x.flatten(1), c], 1))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if self.training else mu
        return self.dec(torch.cat([z, c], 1)).view(-1, 1, 16, 16), mu, logvar

    def losses(self, batch):
        x, y = batch
        logits, mu, logvar = self(x, y)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
        kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(x)
        return recon, kl

    def training_step(self, batch, _):
        recon, kl = self.losses(batch)
        beta = min(1.0, (self.global_step + 1) / 60)  # KL warm-up over the first 60 steps
        self.log("train_loss", recon + beta * kl, on_step=True, on_epoch=True)
        self.log("kl_beta", beta, on_step=True, on_epoch=False)
        return recon + beta * kl

    def validation_step(self, batch, _):
        recon, kl = self.losses(batch)
        self.log("val_loss", recon + kl)
        self.log("val_recon", recon)
        self.log("val_kl", kl)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return CVAE()


def main():
    from _sixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = glyphs(1500, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(x[:1200], y[:1200]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1200:], y[1200:]), batch_size=300)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="cvae"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, {"inputs": x[1200:1264], "labels": y[1200:1264],
                           "targets": x[1200:1264]}, causes=[],
           checkpoint="cvae/version_0/checkpoints/last.ckpt",
           log="cvae/version_0/metrics.csv",
           what="Lightning conditional VAE on 16x16 glyphs (healthy)")


if __name__ == "__main__":
    main()
