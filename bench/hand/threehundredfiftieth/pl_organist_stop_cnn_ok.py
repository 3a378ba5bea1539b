"""PyTorch Lightning: a 1-D CNN with batch norm names which family of organ stop is sounding
from 32 ms of a microphone recording next to the pipe, for an organist who is cataloguing the
stops of an unlabelled church organ: principal (diapason), flute (stopped gedackt), reed
(trumpet) or string (gamba). Tone colour follows the pipe physics: a principal's harmonics fall
off as n^-1.3; a stopped flute sounds almost only odd harmonics (3rd at 0.1-0.2, 5th at
0.03-0.07, evens near 0); a reed's harmonics fall slowly (n^-0.5, up to the 15th); a string has
many harmonics (n^-0.8) over a fundamental weaker than its 2nd. Fundamental 65-1000 Hz (C2 to
about C6), random phases, a little vibrato-free wind noise (chiff), level normalised to unit
RMS; sampled at 8 kHz, 256 samples.
Input: (1, 256). Model: Conv1d 1→16 (k9, stride 2) + BN + ReLU, Conv1d 16→32 (k7, stride 2)
+ BN + ReLU, Conv1d 32→32 (k5) + BN + ReLU, global average pool, Linear 32→4; cross-entropy,
AdamW 3e-3 (weight decay 1e-4) with OneCycleLR stepped per batch, both from
``configure_optimizers``, batch 48, 8 epochs, 1440 recordings, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``stoplist/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_acc_string`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``stoplist/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 8000.0
N = 256
H = 16  # harmonics synthesised


def pipe_tones(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fam = torch.randint(0, 4, (n,), generator=g)
    f0 = 65.0 * (1000.0 / 65.0) ** r(n, 1)
    k = torch.arange(1, H + 1).float()
    amp = torch.zeros(n, H)
    amp[fam == 0] = k ** -1.3
    flute = torch.full((H,), 0.01)
    flute[0] = 1.0
    amp[fam == 1] = flute
    amp[fam == 1, 2] = 0.1 + 0.1 * r(int((fam == 1).sum()))
    amp[fam == 1, 4] = 0.03 + 0.04 * r(int((fam == 1).sum()))
    amp[fam == 2] = k ** -0.5
    string = k ** -0.8
    string[0] = 0.45
    amp[fam == 3] = string
    amp = amp * (0.85 + 0.3 * r(n, H))  # voicing differs pipe to pipe
    amp = amp * (k * f0 < FS / 2).float()  # nothing above Nyquist
    t = torch.arange(N).float() / FS
    ph = 2 * math.pi * r(n, H, 1)
    wave = (amp.unsqueeze(2) * torch.sin(2 * math.pi * (k * f0).unsqueeze(2) * t + ph)).sum(1)
    wave = wave + 0.03 * wave.std(1, keepdim=True) * torch.randn(n, N, generator=g)
    wave = wave / wave.pow(2).mean(1, keepdim=True).sqrt()
    return wave.unsqueeze(1), fam


class StopCNN(L.LightningModule):
    def __init__(self, steps_total=240):
        super().__init__()
        self.steps_total = steps_total
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 9, stride=2, padding=4), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 7, stride=2, padding=3), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x))

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
        self.log("val_acc_string", (pred[y == 3] == 3).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3,
                                                    total_steps=self.steps_total)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return StopCNN()


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pipe_tones(1440, g)
    xva, yva = pipe_tones(360, g)
    print("families", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()  # 1440 / 48 = 30 steps an epoch, 8 epochs
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="stoplist"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="stoplist/version_0/checkpoints/last.ckpt",
           log="stoplist/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming an organ stop's family (principal /"
                " flute / reed / string) from a recording of one pipe (healthy)")


if __name__ == "__main__":
    main()
