"""PyTorch Lightning: an MLP predicts a two-man bobsleigh run's finish time (s) from 8 numbers
the timing office and the team's own logbook give per run: 50 m push time (s), crew mass
(kg), runner temperature offset to the track (°C), track air temperature (°C), start number,
pilot's steering-error count from the video review, plus two that do not matter (helmet
colour code, bib parity). The finish time is a glide model: the push sets the entry speed,
crew mass helps against air drag, warm runners and a soft track cost friction, late start
numbers meet a rutted track, every steering error costs ~0.04 s; plus 0.03 s of timing noise.
MLP 8→64→64→1 (SiLU, dropout 0.1), MSE on the standardised time, AdamW 2e-3 with
CosineAnnealingLR(T_max=20) from ``configure_optimizers``, batch 48, 20 epochs of 1200 runs,
validation on 300 runs each epoch (val MSE, val MAE in s).
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def runs(n, g):
    push = 5.0 + 0.5 * torch.rand(n, generator=g)
    mass = 165 + 30 * torch.rand(n, generator=g)
    runner = -2 + 6 * torch.rand(n, generator=g)
    air = -12 + 12 * torch.rand(n, generator=g)
    start = torch.randint(1, 31, (n,), generator=g).float()
    errors = torch.poisson(torch.full((n,), 1.5), generator=g)
    junk = torch.stack([torch.randint(0, 6, (n,), generator=g).float(),
                        torch.randint(0, 2, (n,), generator=g).float()], 1)
    entry = 40 / push
    time = (48.5 + 2.6 * (5.25 - push) * -1 + 0.004 * (180 - mass) * entry
            + 0.03 * runner.clamp(min=0) ** 1.5 + 0.02 * (air + 6)
            + 0.004 * start + 0.04 * errors)
    time = time + 0.03 * torch.randn(n, generator=g)
    x = torch.cat([torch.stack([push, mass, runner, air, start, errors], 1), junk], 1)
    return x, time


class FinishTime(L.LightningModule):
    def __init__(self, x_mean, x_std, y_mean, y_std):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.y_mean, self.y_std = float(y_mean), float(y_std)
        self.net = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Dropout(0.1), nn.Linear(64, 64),
                                 nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.x_mean) / self.x_std).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), (y - self.y_mean) / self.y_std)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_mse", nn.functional.mse_loss(pred, (y - self.y_mean) / self.y_std))
        self.log("val_mae_s", (pred * self.y_std + self.y_mean - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)}


def stats():
    x, y = runs(1200, torch.Generator().manual_seed(0))
    return x, y, x.mean(0), x.std(0), y.mean(), y.std()


def build():
    torch.manual_seed(0)
    _, _, xm, xs, ym, ys = stats()
    return FinishTime(xm, xs, ym, ys)


def main():
    from _twohundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr, *_ = stats()
    xva, yva = runs(300, torch.Generator().manual_seed(1))
    print("finish time mean/std", ytr.mean().item(), ytr.std().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="finish"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="finish/version_0/checkpoints/last.ckpt",
           log="finish/version_0/metrics.csv",
           what="Lightning MLP regressing a two-man bobsleigh finish time from push and logbook"
                " numbers (healthy)")


if __name__ == "__main__":
    main()
