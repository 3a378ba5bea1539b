"""PyTorch Lightning: a 1-D CNN without batch norm names the clogging step a dancer just
danced (5 classes) from 1.28 s of the dance board's sound envelope (100 Hz, 128 samples, two
bands: 2-6 kHz for the toe and jingle taps, 80-400 Hz for heel drops and stamps), for a
practice app that counts a routine's figures: double toe (toe strike and a quick brush),
rock step (two even toe strikes), triple (toe, brush, toe in quick succession), heel-toe (a
low heel drop then a toe) and stamp (one loud strike in both bands). Each tap is a sharp
attack with an exponential ring-out at its band's level; the tempo is 120-150 bpm, the step
starts 0.05-0.35 s into the window, the dancer's loudness varies, and the board hums.
Input: (2, 128) envelope in dB above the floor / 20. Model: Conv1d 2→16 (k7) + ReLU +
MaxPool2, Conv1d 16→32 (k5) + ReLU + MaxPool2, Conv1d 32→32 (k3) + ReLU, global max pool,
Linear 32→5; cross-entropy, AdamW 3e-3 (weight decay 1e-3) with CosineAnnealingLR over 12
epochs from ``configure_optimizers``, batch 48, 12 epochs, 1440 windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``tapstudio/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_triple`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``tapstudio/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 100.0
N = 128
# (band, beats after the step start, level dB): band 0 toe/high, 1 heel/low, 2 both
STEPS = [[(0, 0.0, 30), (0, 0.25, 22)], [(0, 0.0, 30), (0, 0.5, 30)],
         [(0, 0.0, 30), (0, 0.25, 22), (0, 0.5, 28)], [(1, 0.0, 28), (0, 0.5, 30)],
         [(2, 0.0, 36)]]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(N).float() / FS
    x = 3 + 2 * r(n, 2, 1) + 1.5 * torch.randn(n, 2, N, generator=g).abs()
    for i in range(n):
        beat = 60.0 / (120 + 30 * r(1).item())
        start = 0.05 + 0.3 * r(1).item()
        loud = 6 * (r(1).item() - 0.5)
        for band, beats, lvl in STEPS[cls[i]]:
            t0 = start + beats * beat + 0.01 * (r(1).item() - 0.5)
            env = torch.where(t >= t0, torch.exp(-(t - t0) / 0.045), torch.zeros(N))
            bands = [0, 1] if band == 2 else [band]
            for b in bands:
                x[i, b] = torch.maximum(x[i, b], (lvl + loud) * env)
            if band == 0:
                x[i, 1] = torch.maximum(x[i, 1], 0.3 * (lvl + loud) * env)
    return x / 20.0, cls


class StepCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, x):
        return self.net(x)

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
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_triple", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return StepCNN()


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1440, g)
    xva, yva = windows(360, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="tapstudio"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tapstudio/version_0/checkpoints/last.ckpt",
           log="tapstudio/version_0/metrics.csv",
           what="Lightning 1-D CNN without batch norm naming the clogging step (double toe /"
                " rock / triple / heel-toe / stamp) from a dance board's two-band sound"
                " envelope (healthy)")


if __name__ == "__main__":
    main()
