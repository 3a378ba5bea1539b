"""PyTorch Lightning: a GRU names the hood a hatblocker is pulling over the block (wool felt,
fur felt, parasisal straw) from the 40 s stretch trace of a steam-blocking jig, so the jig can
pick the steam time and the pull for the rest of the cycle. The trace is read once a second:
the pull force (N) as the clamp ring moves down at a set speed, and the steam temperature at
the hood. Felt relaxes under steam (stress relaxation, two time constants): wool felt fast
(2-4 s) to about half its peak, fur felt slower (5-9 s) and further (to about 0.3), straw
barely (to 0.8) but with small cracks, sudden drops as a fibre gives. Peak pull depends on
the hood's weight and size and overlaps between kinds; steam comes on at 3-8 s and the
relaxation only starts once the hood is hot.
Input: (40, 2) force / 50 N and (temperature - 80 °C) / 20. Model: GRU(2→32, 1 layer), last
hidden state, Linear 32→3; cross-entropy, Adam 3e-3 with CosineAnnealingLR (12 epochs) from
``configure_optimizers``, batch 48, 12 epochs, 1440 traces, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``feltlab/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch`` /
``val_xent`` / ``val_accuracy`` / ``val_recall_fur`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``feltlab/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 40


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 3, (n,), generator=g)  # wool felt, fur felt, straw
    t = torch.arange(T).float()
    lo = lambda a: torch.tensor(a)[kind].unsqueeze(1)  # noqa: E731
    tau = lo([2.0, 5.0, 10.0]) + lo([2.0, 4.0, 6.0]) * r(n, 1)
    rest = lo([0.45, 0.25, 0.75]) + 0.12 * r(n, 1)
    peak = 25 + 30 * r(n, 1)
    on = 3 + 5 * r(n, 1)
    temp = 20 + 75 * torch.sigmoid((t - on) / 1.0) + 1.5 * torch.randn(n, T, generator=g)
    hot = (t - on - 2).clamp(min=0)
    ramp = torch.clamp(t / 3.0, max=1.0)
    force = peak * ramp * (rest + (1 - rest) * torch.exp(-hot / tau))
    cracks = (r(n, T) < 0.06).float() * (kind == 2).float().unsqueeze(1) * 0.08 * peak
    force = force - cracks.cumsum(1) * 0.3 + 0.6 * torch.randn(n, T, generator=g)
    x = torch.stack([force / 50, (temp - 80) / 20], 2)
    return x, kind


class FeltGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_accuracy", (pred == y).float().mean())
        self.log("val_recall_fur", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return FeltGRU()


def main():
    from _fourhundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1440, g)
    xva, yva = traces(360, g)
    print("kinds", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="feltlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="feltlab/version_0/checkpoints/last.ckpt",
           log="feltlab/version_0/metrics.csv",
           what="Lightning GRU naming the hood (wool felt / fur felt / straw) from a"
                " steam-blocking jig's stretch trace (healthy)")


if __name__ == "__main__":
    main()
