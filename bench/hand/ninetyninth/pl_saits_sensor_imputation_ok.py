"""PyTorch Lightning: SAITS-lite imputation of missing values in multivariate building-sensor
series (self-attention over time steps). Synthetic data: 8 sensors (temperatures, humidity,
CO2, occupancy-driven power...) over 48 half-hour steps, driven by 3 shared latent signals (a
daily cycle, an occupancy pulse, a slow drift) with sensor-specific loadings, plus noise; 15 % of
the values are missing (random dropouts and short outages of 3–6 steps). The model takes
``[x * mask, mask]`` per step (16 features) → linear 32-d + learned positions → 2 Transformer
encoder layers (2 heads, ff 64, dropout 0.1) → linear back to 8; the output replaces only the
missing values. Training follows SAITS: in every batch another 20 % of the *observed* values are
hidden (MIT, masked imputation task) and the loss is MAE on those hidden values + MAE on the
still-visible ones (ORT, observed reconstruction). AdamW 3e-3, weight decay 1e-4, per-epoch
cosine, batch 64, 14 epochs of 1024 series (224 steps); val = 256 series with a fixed extra 20 %
hidden.
``CSVLogger`` → ``metrics.csv`` (``train_mit_mae``, ``train_ort_mae`` every 6 steps; per epoch
``val_mae`` on the hidden values and the two baselines on the same values, ``val_mae_mean``
(the sensor's series mean) and ``val_mae_locf`` (last observation carried forward)),
``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Healthy, with a slow start: for the first three epochs the model imputes *worse* than carrying
the last observation forward (val MAE 0.325, 0.244, 0.201 vs LOCF 0.194), then passes it:
0.180 (epoch 3) → 0.153 at epoch 13 (series-mean baseline 0.75; the noise alone, σ 0.1, is an
MAE of 0.08), flattening as the cosine lr ends; the train MIT MAE (0.54 → 0.16) stays above the
val MAE (dropout and a fresh random 20 % hidden every batch), the ORT MAE 0.45 → 0.10."""

import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T, D = 48, 8


def building(n, g):
    t = torch.arange(T).float()
    phase = torch.rand(n, 1, generator=g) * 6.283
    daily = torch.sin(6.283 * t / 48 + phase)
    start = torch.randint(10, 30, (n, 1), generator=g).float()
    occ = torch.sigmoid(2 * (t - start)) * torch.sigmoid(2 * (start + 12 - t))
    drift = torch.cumsum(0.05 * torch.randn(n, T, generator=g), 1)
    z = torch.stack([daily, occ, drift], -1)                       # (n, T, 3)
    load = torch.randn(3, D, generator=g)
    x = z @ load + 0.1 * torch.randn(n, T, D, generator=g)
    mask = (torch.rand(n, T, D, generator=g) > 0.08).float()
    for i in range(n):                                              # outages
        if torch.rand(1, generator=g) < 0.7:
            s = int(torch.randint(0, T - 6, (1,), generator=g))
            d = int(torch.randint(0, D, (1,), generator=g))
            mask[i, s:s + int(torch.randint(3, 7, (1,), generator=g)), d] = 0
    return x, mask


def hide(mask, g, rate=0.2):
    extra = (torch.rand(mask.shape, generator=g) < rate).float() * mask
    return mask - extra, extra  # still-visible mask, hidden-for-the-task mask


def locf_baseline(x, vis):
    """Last observation carried forward (the first observation carried back at the start)."""
    idx = torch.where(vis > 0, torch.arange(T)[None, :, None], torch.full_like(vis, -1).long())
    last = idx.cummax(1).values
    first = torch.where(vis > 0, torch.arange(T)[None, :, None], torch.full_like(vis, T).long())
    first = first.flip(1).cummin(1).values.flip(1)
    src = torch.where(last >= 0, last, first).clamp(0, T - 1)
    return x.gather(1, src)


class SAITSLite(L.LightningModule):
    def __init__(self, d_model=32, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.inp = nn.Linear(2 * D, d_model)
        self.pos = nn.Parameter(torch.randn(1, T, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, 2, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.out = nn.Linear(d_model, D)

    def forward(self, x, mask):
        h = self.inp(torch.cat([x * mask, mask], -1)) + self.pos
        return self.out(self.encoder(h))

    @staticmethod
    def masked_mae(pred, x, m):
        return ((pred - x).abs() * m).sum() / m.sum().clamp(min=1)

    def training_step(self, batch, _):
        x, mask = batch
        vis, hidden = hide(mask, None)
        pred = self(x, vis)
        mit, ort = self.masked_mae(pred, x, hidden), self.masked_mae(pred, x, vis)
        self.log("train_mit_mae", mit)
        self.log("train_ort_mae", ort)
        return mit + ort

    def validation_step(self, batch, _):
        x, vis, hidden, locf = batch
        pred = self(x, vis)
        mean = (x * vis).sum(1, keepdim=True) / vis.sum(1, keepdim=True).clamp(min=1)
        self.log("val_mae", self.masked_mae(pred, x, hidden))
        self.log("val_mae_mean", self.masked_mae(mean.expand_as(x), x, hidden))
        self.log("val_mae_locf", self.masked_mae(locf, x, hidden))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)]


def build():
    torch.manual_seed(0)
    return SAITSLite()


def main():
    from _ninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, mask = building(1280, g)
    xtr, mtr, xva, mva = x[:1024], mask[:1024], x[1024:], mask[1024:]
    vis, hidden = hide(mva, g)
    locf = locf_baseline(xva, vis)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, mtr), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, vis, hidden, locf), batch_size=256)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="saits"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=6,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, {"inputs": xva[:64], "mask": vis[:64], "targets": xva[:64],
                           "hidden": hidden[:64]},
           causes=[], checkpoint="saits/version_0/checkpoints/last.ckpt",
           log="saits/version_0/metrics.csv",
           what="Lightning SAITS-lite imputation of building-sensor series (healthy)")


if __name__ == "__main__":
    main()
