"""PyTorch Lightning: a 1-D CNN with batch norm tells a harpist's practice app which pitch
classes are sounding in a plucked chord (multi-label, 12 pitch classes), so it can check the
pedal setting: a pedal harp plays in the key its seven pedals are set to, and a chord with an
F where the key wants F sharp means a pedal was left up. The input is a 0.2 s magnitude
spectrum on a log-frequency axis, one bin a semitone, 72 bins from C2 up (6 octaves). Each
chord is 1-4 strings of a random key's diatonic scale (the pedal setting) within the harp's
range C2-C6; a plucked string sounds its first 6 partials (k·f0, falling off as 1/k, the
higher ones faster on a damped or lower-tension string), the k-th partial lands 12·log2(k)
semitones up and spreads a little into the next bin (tuning drift up to ±30 cents), plus a
room-noise floor. Label: the pitch classes of the strings plucked.
Input: (1, 72) log(1 + 20·magnitude). Model: Conv1d 1→24 (k7) + BN + ReLU, Conv1d 24→32 (k13,
dilation 2 to reach the octave and twelfth partials) + BN + ReLU, Conv1d 32→1 (k1) giving a
salience per bin, then a max over the octaves of each pitch class (12 outputs, logits);
BCE-with-logits, Adam 2e-3 with ExponentialLR (×0.85 per epoch) from ``configure_optimizers``,
batch 64, 10 epochs, 1600 chords, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``harpchroma/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_f1`` / ``val_exact`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``harpchroma/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

NB = 72
MAJOR = torch.tensor([0, 2, 4, 5, 7, 9, 11])


def chords(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    spec = torch.zeros(n, NB)
    pcs = torch.zeros(n, 12)
    key = torch.randint(0, 12, (n,), generator=g)
    nstr = torch.randint(1, 5, (n,), generator=g)
    for i in range(n):
        scale = (MAJOR + key[i]) % 12
        strings = [int(p) for p in range(NB - 24) if (p % 12) in scale.tolist()]
        pick = torch.randperm(len(strings), generator=g)[: int(nstr[i])]
        damp = 0.5 + 1.0 * r(1).item()
        for j in pick.tolist():
            root = strings[j]
            pcs[i, root % 12] = 1.0
            vel = 0.5 + r(1).item()
            drift = 0.6 * (r(1).item() - 0.5)
            for k in range(1, 7):
                pos = root + 12 * math.log2(k) + drift
                lo = int(math.floor(pos))
                frac = pos - lo
                a = vel / k * math.exp(-damp * (k - 1) / 3)
                if lo < NB:
                    spec[i, lo] += a * (1 - frac)
                if lo + 1 < NB:
                    spec[i, lo + 1] += a * frac
    spec = spec + 0.04 * r(n, NB)
    return torch.log1p(20 * spec).unsqueeze(1), pcs


class ChromaCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.Conv1d(24, 32, 13, padding=12, dilation=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.Conv1d(32, 1, 1))

    def forward(self, x):
        sal = self.net(x).squeeze(1)  # (batch, 72) salience per semitone
        return sal.view(-1, NB // 12, 12).amax(1)  # (batch, 12) pitch-class logits

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred * y).sum()
        f1 = 2 * tp / (pred.sum() + y.sum())
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_f1", f1)
        self.log("val_exact", (pred == y).all(1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def build():
    torch.manual_seed(0)
    return ChromaCNN()


def main():
    from _threehundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = chords(1600, g)
    xva, yva = chords(400, g)
    print("pitch classes per chord", ytr.sum(1).mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="harpchroma"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="harpchroma/version_0/checkpoints/last.ckpt",
           log="harpchroma/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming the pitch classes of a plucked harp"
                " chord from its log-frequency spectrum (healthy)")


if __name__ == "__main__":
    main()
