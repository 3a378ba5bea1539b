"""PyTorch Lightning: an LSTM reads the last 16 strokes of a K1 sprint canoe (stroke rate in
strokes/min and peak blade force in N from an instrumented paddle shaft) and predicts the
boat speed 5 s later, so the coach's tablet can show where a 500 m split is heading. Physics:
the boat (paddler + hull 85-105 kg) is pushed by each stroke's impulse and slowed by a drag
of c·v² (c depends on the hull, 2.6-3.4, not measured); speed is integrated at 0.2 s and
the target is read 5 s after the last stroke with the last rate and force held.
Target: (v - 6.9) / 0.8 (m/s). Input: (16, 2) (rate - 100) / 20 and (force - 250) / 60.
LSTM 2→32, 1 layer, last state → linear 32→1; MSE, Adam 2e-3 with cosine annealing over
the 8 epochs from ``configure_optimizers``, batch 48, 1440 pieces, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``k1/version_0/metrics.csv`` (``mse_step`` every 6 steps, ``val_mse`` and
``val_mae_ms`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``k1/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STROKES = 16


def pieces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mass = 85 + 20 * r(n)
    c = 2.6 + 0.8 * r(n)
    rate = 80 + 40 * r(n, 1) + 6 * torch.randn(n, STROKES, generator=g).cumsum(1) / 4
    force = 190 + 120 * r(n, 1) + 25 * torch.randn(n, STROKES, generator=g)
    v = 3.5 + 1.5 * r(n)
    for k in range(STROKES):
        period = 60 / rate[:, k]
        impulse = force[:, k] * 0.35
        v = v + impulse / mass
        for _ in range(3):
            v = v - c * v ** 2 / mass * period / 3
    for _ in range(25):  # 5 s at the last rate and force
        v = v + force[:, -1] * 0.35 / mass * 0.2 * rate[:, -1] / 60 - c * v ** 2 / mass * 0.2
    x = torch.stack([(rate - 100) / 20, (force - 250) / 60], 2)
    return x, ((v - 6.9) / 0.8).unsqueeze(1)


class SplitLSTM(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.lstm(x)[0][:, -1])

    def training_step(self, batch, i):
        loss = F.mse_loss(self(batch[0]), batch[1])
        self.log("mse_step", loss)
        return loss

    def validation_step(self, batch, i):
        p = self(batch[0])
        self.log("val_mse", F.mse_loss(p, batch[1]))
        self.log("val_mae_ms", (p - batch[1]).abs().mean() * 0.8)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return SplitLSTM()


def main():
    from _threehundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pieces(1440, g)
    xva, yva = pieces(360, g)
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="k1"), log_every_n_steps=6,
                        callbacks=[ModelCheckpoint(save_last=True)], accelerator="cpu",
                        enable_progress_bar=False, enable_model_summary=False, deterministic=True)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print(trainer.callback_metrics)
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="k1/version_0/checkpoints/last.ckpt", log="k1/version_0/metrics.csv",
           what="Lightning LSTM predicting a sprint canoe's speed 5 s ahead from the last 16"
                " strokes' rate and blade force (healthy)")


if __name__ == "__main__":
    main()
