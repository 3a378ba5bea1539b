"""PyTorch Lightning: a β-VAE (β = 4) on synthetic dSprites-like 32×32 binary images — one white
shape (square, ellipse or triangle) of random scale (0.5–1) and position on black, 6 generative
factors' worth (shape, scale, x, y; no rotation), with 1 % of the pixels flipped (scanner
speckle). Encoder: 3 stride-2 convs (16, 32, 64) and a linear layer to the mean and log-variance
of a 6-d latent; decoder the mirror image with transposed convs, Bernoulli likelihood (BCE with
logits, summed over pixels). Loss = recon + β·KL, Adam 2e-3, batch 64 (shuffled), 12 epochs,
2400 training images, 400 validation ones; ``CSVLogger`` → ``metrics.csv`` with the
reconstruction and KL terms logged separately (train per 10 steps and per epoch, val per epoch),
``ModelCheckpoint(save_last=True)``.
Healthy: the KL sits near 0 for the first 3 epochs (the posterior at the prior while the decoder
learns the mean image), then rises to 7 nats and levels (β = 4 keeps it small — the intended
trade); val recon 306 → 96 nats an image (the speckle alone costs ~57: the entropy of a 1 %
flip on 1024 pixels), val loss 307 → 124 and still easing slowly; the train loss sits above the
val loss (averaged over the epoch while it improves, and sampled z in training against the mean
z in validation)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

S, LATENT = 32, 6


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    out = torch.zeros(n, 1, S, S)
    kind = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        scale = 0.5 + 0.5 * float(torch.rand(1, generator=g))
        r = 7 * scale
        cx, cy = (r + (S - 1 - 2 * r) * torch.rand(2, generator=g)).tolist()
        dx, dy = xx - cx, yy - cy
        if kind[i] == 0:
            img = (dx.abs() <= r * 0.8) & (dy.abs() <= r * 0.8)
        elif kind[i] == 1:
            img = (dx / r) ** 2 + (dy / (0.6 * r)) ** 2 <= 1
        else:
            img = (dy <= r * 0.8) & (dy >= -r) & (dx.abs() <= (dy + r) * 0.55)
        out[i, 0] = img.float()
    flip = torch.rand(n, 1, S, S, generator=g) < 0.01
    return torch.where(flip, 1 - out, out)


class BetaVAE(L.LightningModule):
    def __init__(self, beta=4.0, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1),
                                 nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(64 * 16, 2 * LATENT))
        self.dec_in = nn.Linear(LATENT, 64 * 16)
        self.dec = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(16, 1, 4, 2, 1))

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, -1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if self.training else mu
        return self.dec(self.dec_in(z).view(-1, 64, 4, 4)), mu, logvar

    def terms(self, x):
        logits, mu, logvar = self(x)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
        kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(-1).mean()
        return recon, kl

    def training_step(self, batch, _):
        recon, kl = self.terms(batch[0])
        loss = recon + self.hparams.beta * kl
        self.log_dict({"train_recon": recon, "train_kl": kl, "train_loss": loss},
                      on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        recon, kl = self.terms(batch[0])
        self.log_dict({"val_recon": recon, "val_kl": kl,
                       "val_loss": recon + self.hparams.beta * kl})

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return BetaVAE()


def main():
    from _thirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = shapes(2800, g)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:2400]),
                                        batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[2400:]), batch_size=200)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="bvae"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print({k: round(float(v), 3) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[2400:2464], x[2400:2464]), causes=[],
           checkpoint="bvae/version_0/checkpoints/last.ckpt", log="bvae/version_0/metrics.csv",
           what="Lightning beta-VAE (beta 4) on dSprites-like shapes (healthy)")


if __name__ == "__main__":
    main()
