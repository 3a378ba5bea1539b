"""PyTorch Lightning: a GRU reads the chamber level logger of one lock on a broad canal over
a full cycle (60 readings, every 20 s: fill through the ground paddles, hold at the top
while the boat leaves, empty, hold at the bottom) and names the lock's condition for the
maintenance gang: sound, leaking top gates (the chamber creeps up while it should sit at
the bottom pound's level), leaking bottom gates (it creeps down while it sits at the top),
or a ground paddle stuck half open (the chamber fills at about half the rate). Each lock
has its own fall (1.5-3.5 m) and paddle rate, the steerer opens the paddles at slightly
different times, and passing boats and wind put a wash on the float (±2 cm); a leak moves the level 2-4 cm a reading.
Input: (60, 2) level above the bottom pound in m / 3 and its first difference × 10.
GRU 2→32, 1 layer, mean over time → linear 32→4; cross-entropy. Adam 5e-3 with
StepLR(step 5, ×0.5) from ``configure_optimizers``, batch 48, 15 epochs, 960 cycles,
validation on 240.
Healthy; numbers in the README.
Log: CSVLogger ``flight/version_0/metrics.csv`` (``train_ce`` per step every 5 steps,
``val_ce`` and ``val_acc`` per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``flight/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 60
CONDITIONS = ("sound", "top_gate_leak", "bottom_gate_leak", "paddle_stuck")


def cycles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cond = torch.randint(0, 4, (n,), generator=g)
    fall = 1.5 + 2 * r(n)
    rate = (0.2 + 0.1 * r(n)) * torch.where(cond == 3, 0.5, 1.0)  # m per reading
    t_fill = (2 + 4 * r(n)).long()
    t_empty = (30 + 4 * r(n)).long()
    level = torch.zeros(n, STEPS)
    for i in range(n):
        h, full, empty = 0.0, False, False
        leak = (0.02 + 0.02 * r(1)).item()
        for k in range(STEPS):
            if t_fill[i] <= k < t_empty[i]:
                if not full:  # ground paddles open until the chamber is level with the top
                    h = min(fall[i].item(), h + rate[i].item())
                    full = h >= fall[i].item()
                elif cond[i] == 2:
                    h -= leak  # paddles shut, bottom gates leak: the top hold sags
            elif k >= t_empty[i]:
                if not empty:
                    h = max(0.0, h - 0.25)
                    empty = h <= 0.0
                elif cond[i] == 1:
                    h += leak  # top gates leak: the bottom hold rises
            elif cond[i] == 1:
                h += leak
            level[i, k] = h
    level = level + 0.02 * torch.randn(n, STEPS, generator=g)
    diff = torch.diff(level, dim=1, prepend=level[:, :1])
    return torch.stack([level / 3, diff * 10], 2), cond


class LockGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out.mean(1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_ce", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)]


def build():
    torch.manual_seed(0)
    return LockGRU()


def main():
    from _threehundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cycles(960, g)
    xva, yva = cycles(240, g)
    print("classes", torch.bincount(ytr))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="flight"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=240))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="flight/version_0/checkpoints/last.ckpt",
           log="flight/version_0/metrics.csv",
           what="Lightning GRU naming a canal lock's condition (sound, leaking top or bottom"
                " gates, stuck paddle) from the chamber level over one cycle (healthy)")


if __name__ == "__main__":
    main()
