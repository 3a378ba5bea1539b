"""PyTorch Lightning: a GRU reads 3 s of an organ's wind system (every 0.1 s: the blower
speed, how many stops are drawn, how many keys are down, and the reservoir's pressure in mm
water column, 30 readings) and predicts the pressure 0.5 s after the last reading, so the
organbuilder can tune the reservoir springs and the curtain valve before the wind goes
unsteady in big chords. The reservoir is a leaky integrator: the blower fills it, the open
pipes (stops × keys) draw it down, the springs push back toward 80 mm, with a little sensor
noise. Target: (pressure - 80) / 6. Input: (30, 4) standardised.
GRU 4→32, 1 layer, last state → linear 32→1; Huber loss, Adam 3e-3 with StepLR (×0.5 every
4 epochs) from ``configure_optimizers``, batch 64, 10 epochs, 1400 sequences, validation on
350.
Healthy; numbers in the README.
Log: CSVLogger ``windchest/version_0/metrics.csv`` (``huber_step`` every 5 steps,
``huber_epoch`` / ``val_huber`` / ``val_mae_mm`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``windchest/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS, AHEAD = 30, 5


def wind(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    total = STEPS + AHEAD
    blower = 0.8 + 0.4 * r(n, 1) + 0.05 * torch.randn(n, total, generator=g)
    stops = torch.randint(2, 20, (n, 1), generator=g).float().expand(n, total)
    keys = torch.zeros(n, total)
    k = torch.randint(0, 8, (n,), generator=g).float()
    for t in range(total):
        change = r(n) < 0.25
        k = torch.where(change, torch.randint(0, 12, (n,), generator=g).float(), k)
        keys[:, t] = k
    p = torch.full((n,), 80.0) + 4 * torch.randn(n, generator=g)
    ps = []
    for t in range(total):
        p = p + 0.1 * (3.3 * blower[:, t] - 0.05 * stops[:, t] * keys[:, t] - 0.4 * (p - 80))
        ps.append(p)
    ps = torch.stack(ps, 1)
    y = ps[:, -1:]
    seen = ps[:, :STEPS] + 0.3 * torch.randn(n, STEPS, generator=g)
    x = torch.stack([(blower[:, :STEPS] - 1) / 0.2, (stops[:, :STEPS] - 10) / 5,
                     (keys[:, :STEPS] - 6) / 3.5, (seen - 80) / 6], 2)
    return x, (y - 80) / 6


class ReservoirGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.huber_loss(self(x), y)
        self.log("huber", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_huber", F.huber_loss(p, y))
        self.log("val_mae_mm", 6 * (p - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return ReservoirGRU()


def main():
    from _threehundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wind(1400, g)
    xva, yva = wind(350, g)
    print("target", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="windchest"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=350))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="windchest/version_0/checkpoints/last.ckpt",
           log="windchest/version_0/metrics.csv",
           what="Lightning GRU predicting an organ reservoir's wind pressure 0.5 s ahead from"
                " blower, stops, keys and pressure readings (healthy)")


if __name__ == "__main__":
    main()
