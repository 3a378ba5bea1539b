"""PyTorch Lightning: a GRU is a soft sensor for a cotton dyehouse's reactive dyeing jet:
from the machine's minute-by-minute log (bath temperature, salt dosed so far, soda ash dosed
so far, the recipe's dye depth) it gives the bath exhaustion at every minute (share of the
dye that has left the bath for the fibre), so the operator need not pull a bath sample for
the spectrophotometer each time. Bath physics: exhaustion moves towards an equilibrium at a
rate that doubles every 14 °C (Arrhenius-like); the equilibrium rises with the salt (Langmuir
in g/L), falls a little with temperature and with a deeper shade, and rises again once the
soda ash is in (the dye fixes, the bath keeps giving dye up). Each run: start at 30-40 °C,
ramp 1-2 °C/min to a 55-70 °C hold, salt in 2-3 portions (40-80 g/L in all), soda ash 10-20
g/L at minute 30-42, 60 minutes; the bath samples carry 1 % reading noise.
Input: (60, 4) = temperature / 100, salt / 80, soda / 20, depth % / 4. Model: GRU 4→32, one
layer, Linear 32→1 at every minute (per-step regression on exhaustion 0-1); MSE, AdamW 3e-3
(weight decay 1e-4) with CosineAnnealingLR over 12 epochs from ``configure_optimizers``,
batch 16, 480 runs, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``jetbath/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``
/ ``val_mse`` / ``val_mae_pct`` / ``val_mae_end_pct`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``jetbath/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 60


def jet_runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    start = 30 + 10 * r(n, 1)
    hold = 55 + 15 * r(n, 1)
    temp = torch.minimum(start + (1 + r(n, 1)) * t, hold)
    salt = torch.zeros(n, T)
    total = 40 + 40 * r(n)
    for i in range(n):
        k = 2 + int(r(1).item() < 0.5)
        at = sorted((2 + 22 * r(k)).long().tolist())
        for m in at:
            salt[i, m:] += total[i] / k
    soda_at = (30 + 12 * r(n)).long()
    soda = (t.unsqueeze(0) >= soda_at.unsqueeze(1)).float() * (10 + 10 * r(n, 1))
    depth = 0.5 + 3.5 * r(n, 1)
    ex = torch.zeros(n)
    out = []
    for m in range(T):
        tc = temp[:, m]
        eq = (0.85 * salt[:, m] / (salt[:, m] + 25) - 0.003 * (tc - 60) - 0.04 * depth[:, 0]
              + 0.25 * soda[:, m] / (soda[:, m] + 6)).clamp(0.02, 0.97)
        k = 0.05 * torch.exp(0.05 * (tc - 60))
        ex = ex + k * (eq - ex)
        out.append(ex)
    y = torch.stack(out, 1) + 0.01 * torch.randn(n, T, generator=g)
    x = torch.stack([temp / 100, salt / 80, soda / 20, depth.expand(n, T) / 4], 2)
    return x, y.unsqueeze(2)


class BathGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", 100 * (p - y).abs().mean())
        self.log("val_mae_end_pct", 100 * (p[:, -1] - y[:, -1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return BathGRU()


def main():
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jet_runs(480, g)
    xva, yva = jet_runs(120, g)
    print("end exhaustion", ytr[:, -1].mean().item(), ytr[:, -1].std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="jetbath"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="jetbath/version_0/checkpoints/last.ckpt",
           log="jetbath/version_0/metrics.csv",
           what="Lightning GRU soft sensor giving a reactive dye bath's exhaustion at every"
                " minute from the jet's temperature / salt / soda log (healthy)")


if __name__ == "__main__":
    main()
