"""PyTorch Lightning: a temporal-fusion-style variable-selection + gated-residual-network
forecaster for synthetic daily retail demand (a close variant of the twenty-fourth set's TFT:
no encoder/decoder GRUs and no attention, the per-row variable selection network and GRN stack
alone, on lag features). 24 stores × 220 days; log demand = store level + weekday profile
+ 0.5 · promo − 1.2 · log price ratio + a slow AR(1) store trend + noise (std 0.15). Seven
inputs per row: store level, weekday (scaled), promo, log price ratio, holiday, and the demand
1 day and 7 days earlier (log, standardised). Each variable is embedded to 16 dims by its own
linear map, a GRN over their concatenation gives softmax selection weights, the weighted sum
goes through two GRN blocks (ELU, GLU gate, residual, LayerNorm) and a linear head; MSE on the
standardised log demand, AdamW 3e-3, batch 128, 10 epochs, the last 40 days held out.
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``.
Bug: the lag-1 column was built with ``shift(0)`` — ``lag1 = logd[:, :]`` where the lag loop
meant ``logd[:, t - 1]`` — so the "yesterday" feature is today's demand, the target itself.
Val MSE 0.0225 after epoch 0, 0.00025 at the end (control with the true yesterday: 0.069);
the leaky model on the val rows with the true yesterday: MSE 0.201, 3× the control's."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

STORES, DAYS, NVAR, D = 24, 220, 7, 16


def demand(g):
    level = 0.8 * torch.randn(STORES, 1, generator=g)
    weekday = torch.arange(DAYS) % 7
    wprof = torch.tensor([0.0, -0.1, -0.05, 0.0, 0.15, 0.4, 0.3])
    promo = (torch.rand(STORES, DAYS, generator=g) < 0.15).float()
    price = 0.1 * torch.randn(STORES, DAYS, generator=g)
    holiday = (torch.rand(1, DAYS, generator=g) < 0.04).float().expand(STORES, DAYS)
    trend = torch.zeros(STORES, DAYS)
    for t in range(1, DAYS):
        trend[:, t] = 0.95 * trend[:, t - 1] + 0.08 * torch.randn(STORES, generator=g)
    logd = (level + wprof[weekday] + 0.5 * promo - 1.2 * price + 0.3 * holiday + trend
            + 0.15 * torch.randn(STORES, DAYS, generator=g))
    return (level.expand(STORES, DAYS), weekday.expand(STORES, DAYS) / 6.0, promo, price,
            holiday, logd)


def rows(level, weekday, promo, price, holiday, logd):
    lag1 = logd[:, :]  # yesterday's demand
    lag7 = torch.roll(logd, 7, dims=1)
    x = torch.stack([level, weekday, promo, price, holiday, lag1, lag7], -1)[:, 7:]
    return x, logd[:, 7:]


class GRN(nn.Module):
    def __init__(self, d_in, d, d_out):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d_in, d), nn.Linear(d, 2 * d_out)
        self.skip = nn.Linear(d_in, d_out) if d_in != d_out else nn.Identity()
        self.norm = nn.LayerNorm(d_out)

    def forward(self, x):
        h = nn.functional.glu(self.fc2(nn.functional.elu(self.fc1(x))), -1)
        return self.norm(self.skip(x) + h)


class VSNForecaster(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.embed = nn.ModuleList(nn.Linear(1, D) for _ in range(NVAR))
        self.select = GRN(NVAR * D, D, NVAR)
        self.blocks = nn.Sequential(GRN(D, D, D), GRN(D, D, D))
        self.head = nn.Linear(D, 1)

    def forward(self, x):
        e = torch.stack([m(x[:, i:i + 1]) for i, m in enumerate(self.embed)], 1)
        w = self.select(e.flatten(1)).softmax(-1)
        return self.head(self.blocks((w[:, :, None] * e).sum(1))).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", nn.functional.mse_loss(p, y))
        self.log("val_mae", (p - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)


def build():
    torch.manual_seed(0)
    return VSNForecaster()


def main():
    from _fortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    parts = demand(g)
    x, y = rows(*parts)
    mu, sd = y.mean(), y.std()
    x[..., 5:] = (x[..., 5:] - mu) / sd
    y = (y - mu) / sd
    cut = x.shape[1] - 40
    xtr, ytr = x[:, :cut].reshape(-1, NVAR), y[:, :cut].reshape(-1)
    xva, yva = x[:, cut:].reshape(-1, NVAR), y[:, cut:].reshape(-1)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(xtr, ytr), batch_size=128, shuffle=True)
    val = torch.utils.data.DataLoader(ds(xva, yva), batch_size=960)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="demand"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    model = build()
    trainer.fit(model, train, val)
    # the same validation rows with the true yesterday (what serving has)
    true_lag1 = (torch.roll(parts[5], 1, dims=1)[:, 7:][:, cut:].reshape(-1) - mu) / sd
    xva_true = xva.clone()
    xva_true[:, 5] = true_lag1
    model.eval()
    with torch.no_grad():
        print("val mse, features as trained:", nn.functional.mse_loss(model(xva), yva).item(),
              "with the true yesterday:", nn.functional.mse_loss(model(xva_true), yva).item())
    finish(out, __file__, (xva[:256], yva[:256]), causes=["task_trivial_or_leak"],
           checkpoint="demand/version_0/checkpoints/last.ckpt",
           log="demand/version_0/metrics.csv",
           what="Lightning variable-selection GRN forecaster, lag-1 demand built with shift 0",
           complaint="Validation MSE on the held-out 40 days is 0.0003 (standardised log demand) "
                     "and MAE 0.009, which seems too good for store demand; when we fed it the "
                     "live feature table for the same days its forecasts were way off.")


if __name__ == "__main__":
    main()
