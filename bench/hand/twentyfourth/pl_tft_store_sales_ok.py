"""Lightning: a temporal-fusion-style forecaster (a small take on Lim et al.'s TFT) predicts the
next 7 days of sales of 12 shops from the last 28. Static shop embedding -> context vector that
starts the encoder GRU and gates the output; per-step inputs (scaled sales, weekday sin/cos,
promo flag) through a gated residual network; encoder GRU over the past, decoder GRU over the
known future (weekday, promo); one attention layer from the decoder steps to the encoder steps;
a gated skip and a linear head per step. Synthetic sales: shop level x weekly cycle x promo
lift x slow trend, plus noise; scaled by the training mean and std. MSE, AdamW 3e-3 with
weight decay 1e-4, gradient clipping 1.0, batch 64, 10 epochs, ``CSVLogger`` +
``ModelCheckpoint(save_last=True)``. Healthy: val MSE 0.10 after the first epoch, 0.06-0.08 after
(it wobbles around the noise floor), train MSE 0.24 -> 0.045, per-step train loss noisy."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SHOPS, PAST, HORIZON, DAYS = 12, 28, 7, 420


def shop_sales(g):
    t = torch.arange(DAYS).float()
    level = torch.rand(SHOPS, 1, generator=g) * 80 + 40
    week = 1 + 0.3 * torch.sin(2 * math.pi * (t + torch.randint(0, 7, (SHOPS, 1),
                                                                 generator=g)) / 7)
    promo = (torch.rand(SHOPS, DAYS, generator=g) < 0.1).float()
    trend = 1 + 0.3 * torch.sin(2 * math.pi * t / 300 + torch.rand(SHOPS, 1, generator=g) * 6)
    sales = level * week * trend * (1 + 0.6 * promo)
    sales = sales * (1 + 0.08 * torch.randn(SHOPS, DAYS, generator=g))
    return sales, promo, t


def windows(sales, promo, t, start, stop, mean, std):
    dow = torch.stack([torch.sin(2 * math.pi * t / 7), torch.cos(2 * math.pi * t / 7)], -1)
    past, fut, shop, y = [], [], [], []
    for s in range(SHOPS):
        for d in range(start, stop - PAST - HORIZON + 1):
            p, f = slice(d, d + PAST), slice(d + PAST, d + PAST + HORIZON)
            z = (sales[s, p] - mean) / std
            past.append(torch.cat([z[:, None], dow[p], promo[s, p, None]], 1))
            fut.append(torch.cat([dow[f], promo[s, f, None]], 1))
            shop.append(s)
            y.append((sales[s, f] - mean) / std)
    return torch.stack(past), torch.stack(fut), torch.tensor(shop), torch.stack(y)


class GRN(nn.Module):
    def __init__(self, d_in, d, d_ctx=0):
        super().__init__()
        self.fc1 = nn.Linear(d_in + d_ctx, d)
        self.fc2 = nn.Linear(d, 2 * d)
        self.skip = nn.Linear(d_in, d)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, ctx=None):
        h = x if ctx is None else torch.cat([x, ctx.expand(*x.shape[:-1], ctx.shape[-1])], -1)
        h = F.glu(self.fc2(F.elu(self.fc1(h))), -1)
        return self.norm(self.skip(x) + h)


class TFTLite(L.LightningModule):
    def __init__(self, d=32, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.shop = nn.Embedding(SHOPS, d)
        self.past_grn = GRN(4, d, d)
        self.fut_grn = GRN(3, d, d)
        self.enc = nn.GRU(d, d, batch_first=True)
        self.dec = nn.GRU(d, d, batch_first=True)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.gate = GRN(d, d, d)
        self.head = nn.Linear(d, 1)

    def forward(self, past, fut, shop):
        c = self.shop(shop)[:, None]
        h_past, state = self.enc(self.past_grn(past, c), c.transpose(0, 1).contiguous())
        h_fut, _ = self.dec(self.fut_grn(fut, c), state)
        a, _ = self.attn(h_fut, h_past, h_past)
        return self.head(self.gate(h_fut + a, c)).squeeze(-1)

    def training_step(self, batch, batch_idx):
        past, fut, shop, y = batch
        loss = F.mse_loss(self(past, fut, shop), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        past, fut, shop, y = batch
        pred = self(past, fut, shop)
        self.log("val_mse", F.mse_loss(pred, y))
        self.log("val_mae", (pred - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)


def build():
    torch.manual_seed(0)
    return TFTLite()


def main():
    from _twentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    sales, promo, t = shop_sales(g)
    mean, std = sales[:, :330].mean(), sales[:, :330].std()
    train = TensorDataset(*windows(sales, promo, t, 0, 330, mean, std))
    val = TensorDataset(*windows(sales, promo, t, 330, DAYS, mean, std))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="tft"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        gradient_clip_val=1.0, enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1,
                        log_every_n_steps=10)
    trainer.fit(model, DataLoader(train, batch_size=64, shuffle=True),
                DataLoader(val, batch_size=512))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()}, len(train))
    past, fut, shop, y = val[:64]
    finish(out, __file__, {"inputs": past, "future": fut, "shop": shop, "targets": y},
           causes=[], checkpoint="tft/version_0/checkpoints/last.ckpt",
           log="tft/version_0/metrics.csv",
           what="Lightning temporal-fusion-style shop sales forecaster (healthy)")


if __name__ == "__main__":
    main()
