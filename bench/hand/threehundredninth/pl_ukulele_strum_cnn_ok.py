"""PyTorch Lightning: a 1-D CNN (no batch norm) names the chord in a short clip of a
strummed soprano ukulele, for a play-along app that checks a beginner's chord changes.
Six chords, the first ones a ukulele player learns: C, Am, F, G7, Em, D7 (GCEA tuning,
re-entrant G). A strum: the 4 strings sound one after another 3-12 ms apart (down or up
strum), each string a decaying tone with its 2nd and 3rd harmonics (nylon: the 3rd weak),
string levels uneven by ± 40 %, the whole instrument 0-25 cents out of tune, a little
fret buzz noise. 128 ms at 4 kHz → 512 samples, scaled to unit RMS. Input: (1, 512).
Model: Conv1d 1→16 (k15, stride 2) + ReLU, 16→32 (k9, stride 2) + ReLU, 32→32 (k9,
stride 2) + ReLU, global max and mean pool concatenated (64) → linear 64→6; cross entropy,
RMSprop 1e-3 with ExponentialLR 0.85 from ``configure_optimizers``, batch 40, 10 epochs,
1200 strums, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``strumlab/version_0/metrics.csv`` (``train_ce_step`` every 6 steps,
``train_ce_epoch`` / ``val_ce`` / ``val_acc`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``strumlab/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SR, N = 4000, 512
OPEN = torch.tensor([67, 60, 64, 69]).float()  # G4 C4 E4 A4 (MIDI)
CHORDS = {"C": [0, 0, 0, 3], "Am": [2, 0, 0, 0], "F": [2, 0, 1, 0], "G7": [0, 2, 1, 2],
          "Em": [0, 4, 3, 2], "D7": [2, 2, 2, 3]}
FRETS = torch.tensor(list(CHORDS.values())).float()


def strums(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 6, (n,), generator=g)
    midi = OPEN + FRETS[y] + (0.25 * r(n, 1))
    f = 440 * 2 ** ((midi - 69) / 12)  # (n, 4)
    gap = 0.003 + 0.009 * r(n, 1)
    order = torch.where(r(n, 1) < 0.6, torch.arange(4).float(), 3 - torch.arange(4).float())
    onset = 0.01 * r(n, 1) + order * gap
    level = 1 + 0.4 * (2 * r(n, 4) - 1)
    t = torch.arange(N).float() / SR
    x = torch.zeros(n, N)
    for s in range(4):
        tt = (t - onset[:, s:s + 1]).clamp(min=0)
        on = (t >= onset[:, s:s + 1]).float()
        env = on * level[:, s:s + 1] * torch.exp(-tt / 0.25)
        ph = 2 * torch.pi * f[:, s:s + 1] * tt
        x = x + env * (torch.sin(ph) + 0.4 * torch.sin(2 * ph) + 0.1 * torch.sin(3 * ph))
    x = x + 0.15 * torch.randn(n, N, generator=g)
    x = x / x.pow(2).mean(1, keepdim=True).sqrt()
    return x.unsqueeze(1), y


class StrumCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 15, stride=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 9, stride=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 9, stride=2), nn.ReLU())
        self.head = nn.Linear(64, 6)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(2), h.mean(2)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=1e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return StrumCNN()


def main():
    from _threehundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strums(1200, g)
    xva, yva = strums(360, g)
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="strumlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=6)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="strumlab/version_0/checkpoints/last.ckpt",
           log="strumlab/version_0/metrics.csv",
           what="Lightning 1-D CNN naming the chord in a strummed ukulele clip (6 chords,"
                " healthy)")


if __name__ == "__main__":
    main()
