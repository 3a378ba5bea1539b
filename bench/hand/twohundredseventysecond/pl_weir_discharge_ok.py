"""PyTorch Lightning: an MLP rates the discharge over a sharp-crested rectangular weir from 5
numbers a hydrographer has for each gauging: the head over the crest (m), the crest length
(m), the crest height above the approach-channel bed (m), the approach-channel width (m) and
the water temperature (degC, does not matter). Truth is the Kindsvater-Carter rating,
Q = Ce 2/3 sqrt(2g) (L + kL) (h + 0.001)^1.5 with Ce = 0.602 + 0.075 h/P and the end
contractions of a crest narrower than the channel (kL and Ce fall as L/B falls), with 3 %
gauging noise. The net fits log10 Q (standardised), inputs standardised inside the module.
Linear 5→64-SiLU-64→64-SiLU→1, MSE, AdamW 2e-3 (weight decay 1e-4) with StepLR(5, 0.5) from
``configure_optimizers``, batch 64, 15 epochs of 2500 gaugings, validation on 600 (val MSE,
val mean abs error in % of Q).
Log: ``rating/version_0/metrics.csv`` (CSVLogger); checkpoint
``rating/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def gaugings(n, g):
    h = 0.03 + 0.57 * torch.rand(n, generator=g)
    crest_len = 0.3 + 1.7 * torch.rand(n, generator=g)
    p = 0.1 + 0.9 * torch.rand(n, generator=g)
    b = crest_len * (1 + 1.5 * torch.rand(n, generator=g))
    temp = 2 + 20 * torch.rand(n, generator=g)
    ratio = crest_len / b
    ce = 0.587 + 0.015 * ratio + (0.075 * ratio - 0.03 * (1 - ratio)) * h / p
    kl = 0.0024 * (1 - ratio) * 10
    q = ce * (2 / 3) * (2 * 9.81) ** 0.5 * (crest_len + kl) * (h + 0.001) ** 1.5
    q = q * (1 + 0.03 * torch.randn(n, generator=g))
    return torch.stack([h, crest_len, p, b, temp], 1), torch.log10(q)


class WeirRating(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        for k, v in dict(x_mean=x_mean, x_std=x_std, y_mean=y_mean, y_std=y_std).items():
            self.register_buffer(k, v)
        self.net = nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        s = self(x)
        self.log("val_mse", F.mse_loss(s, (y - self.y_mean) / self.y_std))
        q_hat = 10 ** (s * self.y_std + self.y_mean)
        self.log("val_err_pct", (100 * (q_hat / 10 ** y - 1).abs()).mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, 5, 0.5)}


def stats():
    x, y = gaugings(2500, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return WeirRating(xm, xs, ym, ys)


def main():
    from _twohundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = gaugings(600, torch.Generator().manual_seed(1))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="rating"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="rating/version_0/checkpoints/last.ckpt",
           log="rating/version_0/metrics.csv",
           what="Lightning MLP rating the discharge over a sharp-crested weir (healthy)")


if __name__ == "__main__":
    main()
