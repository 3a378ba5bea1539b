"""PyTorch Lightning: a GRU reads the last 14 days of a pregnant ewe's collar (daily lying
hours, steps in thousands, rumination hours) and predicts the days left until she lambs
(0-10), so the shepherd knows which ewes to bring into the lambing shed. Close to lambing
rumination drops, lying bouts get shorter and restless walking rises, each ewe on her own
baseline. Target: days / 5. Input (14, 3), standardised by fixed constants.
GRU 3→24, 1 layer, last state → linear 24→1; MSE, AdamW 3e-3 (weight decay 1e-3) with
StepLR(4, 0.5) from ``configure_optimizers``, batch 40, 10 epochs, 1000 ewes, validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``lambingshed/version_0/metrics.csv`` (``mse_step`` every 5 steps,
``mse_epoch`` / ``val_mse`` / ``val_mae_days`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``lambingshed/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 14


def ewes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    left = 10 * r(n, 1)
    t = torch.arange(DAYS - 1, -1, -1).float()  # days before today
    to_lamb = left + t  # days to lambing on each recorded day
    near = torch.exp(-to_lamb / 2.5)
    lying = 11 + 2 * r(n, 1) - 3 * near + 0.5 * torch.randn(n, DAYS, generator=g)
    steps = 3 + 2 * r(n, 1) + 4 * near + 0.6 * torch.randn(n, DAYS, generator=g)
    rum = 8 + 1.5 * r(n, 1) - 4 * near + 0.5 * torch.randn(n, DAYS, generator=g)
    x = torch.stack([(lying - 10.5) / 1.5, (steps - 4.5) / 1.5, (rum - 7.5) / 1.5], 2)
    return x, left / 5


class LambingGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 24, batch_first=True)
        self.head = nn.Linear(24, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_days", 5 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, 4, 0.5)]


def build():
    torch.manual_seed(0)
    return LambingGRU()


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ewes(1000, g)
    xva, yva = ewes(250, g)
    print("target", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="lambingshed"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="lambingshed/version_0/checkpoints/last.ckpt",
           log="lambingshed/version_0/metrics.csv",
           what="Lightning GRU predicting days to lambing from 14 days of ewe collar data (healthy)")


if __name__ == "__main__":
    main()
