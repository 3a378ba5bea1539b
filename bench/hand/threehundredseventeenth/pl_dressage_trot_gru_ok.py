"""PyTorch Lightning: a GRU reads the strides of one extended-trot diagonal (20 strides from
a saddle-girth sensor: stride duration (s), stride length (m), hind overtrack (cm),
head-neck angle (°)) and predicts the mark the judge at C gives the movement (0-10 in
half marks), so a dressage rider can school the lengthening between shows. The mark
rewards a long, ground-covering stride and overtrack, costs for irregular tempo (the
spread of stride durations) and for rushing (duration falling instead of length
growing), for a head behind the vertical, and for a late or abrupt transition (the first
3 strides should already lengthen, the last 3 come back smoothly); judge noise ± 0.3.
Input: (20, 4) standardised per channel with fixed constants. Target: (mark - 6.5) / 1.2.
GRU 4→32, 1 layer, mean over the strides and the last state → linear 64→1; MSE, AdamW
3e-3 (weight decay 1e-3) with StepLR (×0.5 every 5 epochs) from ``configure_optimizers``,
batch 40, 15 epochs, 1600 diagonals, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``arena/version_0/metrics.csv`` (``train_mse_step`` every 5 steps,
``train_mse_epoch`` / ``val_mse`` / ``val_mae_marks`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``arena/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 20


def diagonals(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    k = torch.arange(S).float().unsqueeze(0)
    quality = r(n, 1)
    ramp_in = 1 + (3 * r(n, 1)).round()
    ramp = torch.sigmoid((k - ramp_in) * 2) * torch.sigmoid((S - 3 - k) * (1 + 2 * r(n, 1)))
    length = 2.7 + (0.4 + 0.6 * quality) * ramp + 0.05 * torch.randn(n, S, generator=g)
    rush = 0.1 * r(n, 1) * (r(n, 1) < 0.3).float()
    irreg = 0.01 + 0.04 * r(n, 1)
    dur = 0.78 - rush * ramp + irreg * torch.randn(n, S, generator=g)
    over = (5 + 20 * quality) * ramp + 4 * torch.randn(n, S, generator=g)
    head = 5 - 15 * (r(n, 1) < 0.2).float() * ramp + 3 * torch.randn(n, S, generator=g)
    mark = (5.5 + 3 * (length[:, 3:-3].mean(1, keepdim=True) - 2.9)
            + 0.06 * over[:, 3:-3].mean(1, keepdim=True) - 30 * dur.std(1, keepdim=True)
            - 12 * rush - 0.1 * (head < -2).float().sum(1, keepdim=True)
            - 0.4 * (ramp_in - 1) + 0.3 * torch.randn(n, 1, generator=g))
    mark = (mark * 2).round().clamp(0, 20) / 2
    x = torch.stack([(dur - 0.76) / 0.04, (length - 3.1) / 0.3, (over - 10) / 10, head / 8], 2)
    return x, (mark - 6.5) / 1.2


class TrotGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        out, last = self.gru(x)
        return self.head(torch.cat([out.mean(1), last[-1]], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_marks", 1.2 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return TrotGRU()


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = diagonals(1600, g)
    xva, yva = diagonals(400, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="arena"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="arena/version_0/checkpoints/last.ckpt",
           log="arena/version_0/metrics.csv",
           what="Lightning GRU predicting a dressage judge's mark for an extended-trot"
                " diagonal from 20 strides of girth-sensor readings (healthy)")


if __name__ == "__main__":
    main()
