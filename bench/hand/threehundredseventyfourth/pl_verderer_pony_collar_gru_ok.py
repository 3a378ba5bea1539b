"""PyTorch Lightning: a GRU labels every minute of a New Forest pony's day from a collar, for
the verderers' study of how much the commoners' ponies graze the lawns against the heath:
grazing, walking, resting, each minute. The collar gives per minute: head pitch (degrees,
nose down when grazing), the vertical accelerometer's activity (g RMS), step count (from the
pedometer chip) and neck-swing energy (the side-to-side sweep of a grazing head). Behaviour
comes in bouts (a Markov chain that keeps its state from one minute to the next 93 % of
the time when grazing, 90 % resting, 70 % walking), and the collar's numbers are noisy and overlap minute by minute (a
pony resting with its head low looks like a slow grazer; a grazing pony takes a few steps),
so the neighbouring minutes matter. Input: (90, 4) a 90-minute stretch, standardised with
the train mean / std per channel. Model: GRU 4→40 (1 layer, batch first) + Linear 40→3 per
minute; cross-entropy over all minutes, Adam 4e-3 with ExponentialLR (x0.85 per epoch)
from ``configure_optimizers``, batch 16 stretches, 12 epochs, 640 stretches, validation on
160.
Healthy; numbers in the README.
Log: CSVLogger ``collar/version_0/metrics.csv`` (``minute_ce_step`` every 5 steps,
``minute_ce_epoch`` / ``val_minute_ce`` / ``val_minute_acc`` / ``val_walking_recall`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` → ``collar/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

MINUTES = 90


def stretches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    state = torch.zeros(n, MINUTES, dtype=torch.long)
    s = torch.multinomial(torch.tensor([0.6, 0.1, 0.3]), n, replacement=True, generator=g)
    move = torch.tensor([[0.0, 0.7, 0.3], [0.8, 0.0, 0.2], [0.6, 0.4, 0.0]])
    stay = torch.tensor([0.93, 0.7, 0.9])
    for m in range(MINUTES):
        state[:, m] = s
        nxt = torch.multinomial(move[s], 1, generator=g).squeeze(1)
        s = torch.where(r(n) < stay[s], s, nxt)
    pitch = torch.tensor([-45.0, -10.0, -20.0])[state] + 14 * torch.randn(n, MINUTES, generator=g)
    act = torch.tensor([0.25, 0.55, 0.08])[state] * torch.exp(0.45 * torch.randn(n, MINUTES, generator=g))
    steps = torch.poisson(torch.tensor([6.0, 40.0, 1.0])[state] * (0.5 + r(n, MINUTES)), generator=g)
    swing = torch.tensor([0.6, 0.2, 0.1])[state] + 0.25 * torch.randn(n, MINUTES, generator=g)
    return torch.stack([pitch, act, steps, swing], 2), state


class CollarGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 40, batch_first=True)
        self.head = nn.Linear(40, 3)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, 3), y.reshape(-1))
        self.log("minute_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x).reshape(-1, 3)
        y = y.reshape(-1)
        pred = logits.argmax(1)
        self.log("val_minute_ce", F.cross_entropy(logits, y))
        self.log("val_minute_acc", (pred == y).float().mean())
        self.log("val_walking_recall", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=4e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return CollarGRU()


def main():
    from _threehundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = stretches(640, g)
    rva, yva = stretches(160, g)
    print("minutes per state", torch.bincount(ytr.flatten()).tolist())
    mu, sd = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="collar"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=160))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="collar/version_0/checkpoints/last.ckpt",
           log="collar/version_0/metrics.csv",
           what="Lightning GRU labelling each minute of a forest pony's day (grazing / walking /"
                " resting) from collar readings (healthy)")


if __name__ == "__main__":
    main()
