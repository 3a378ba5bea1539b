"""PyTorch Lightning: a 2-D CNN with batch norm sorts a wheeltapper's hammer notes into what
the carriage-and-wagon examiner should do next: sound wheel (pass), cracked tyre (stop the
carriage), loose tyre (send to the wheel shop) or a binding brake block (call the fitter). A
microphone on the hammer records 64 ms at 4 kHz from each blow. The rule behind the notes: a
wheel rings in 3 bending modes (520, 1150 and 1780 Hz × wheel size 0.8-1.2); a sound wheel
rings long (τ 35-70 ms); a crack damps the modes hard (τ 4-12 ms), splits each into two
close tones and adds rattle after the blow; a loose tyre rings but knocks on its centre
again 12-30 ms after the blow (a second strike, 0.6-1.0 of the ring's level); a binding
brake block damps the ring part way (τ 12-25 ms) with no split and no rattle. Hammer
strength varies 3×, platform noise 5-15 % of the blow.
Input: log magnitude of a short-time Fourier transform (32-point window, hop 16), (1, 17,
17) frequency × time, standardised with one train mean / std. Model: Conv2d 1→16 (3×3) + BN
+ ReLU + MaxPool 2, Conv2d 16→32 (3×3) + BN + ReLU, global average pool, Linear 32→4;
cross-entropy, Adam 2e-3 with CosineAnnealingLR over 10 epochs from
``configure_optimizers``, batch 64, 1600 notes, validation on 400.
Healthy; numbers in the README.
Log: CSVLogger ``tapshed/version_0/metrics.csv`` (``loss_step`` every 5 steps,
``loss_epoch`` / ``val_loss`` / ``val_acc`` / ``val_recall_cracked`` per epoch); checkpoint
``ModelCheckpoint(monitor="val_loss", save_top_k=1, save_last=True)`` →
``tapshed/version_0/checkpoints/last.ckpt`` (the best epoch's ``best-epoch=N.ckpt`` beside
it)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS, N = 4000.0, 256
NOTES = ["sound", "cracked", "loose_tyre", "brake_binding"]


def notes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(N).float() / FS
    size = 0.8 + 0.4 * r(n, 1)
    crk = (cls == 1).float().unsqueeze(1)
    lo = torch.tensor([0.035, 0.004, 0.035, 0.012])[cls].unsqueeze(1)
    hi = torch.tensor([0.070, 0.012, 0.070, 0.025])[cls].unsqueeze(1)
    x = torch.zeros(n, N)
    for f0 in (520.0, 1150.0, 1780.0):
        f = f0 * size * (0.97 + 0.06 * r(n, 1))
        tau = lo + (hi - lo) * r(n, 1)
        ph = 2 * math.pi * r(n, 1)
        split = 1 + crk * (0.02 + 0.03 * r(n, 1))
        tone = 0.5 * (torch.sin(2 * math.pi * f * t + ph)
                      + torch.sin(2 * math.pi * f * split * t + ph))
        x = x + (0.4 + 0.6 * r(n, 1)) * tone * torch.exp(-t / tau)
    x = x + crk * 0.25 * torch.randn(n, N, generator=g) * torch.exp(-t / 0.02)
    knock_at = 0.012 + 0.018 * r(n, 1)
    after = (t > knock_at).float()
    knock = (cls == 2).float().unsqueeze(1) * (0.6 + 0.4 * r(n, 1)) * after * torch.exp(
        -(t - knock_at).clamp(min=0) / 0.003) * torch.randn(n, N, generator=g)
    blow = 1 + 2 * r(n, 1)
    x = blow * (x + knock) + (0.05 + 0.1 * r(n, 1)) * 2 * torch.randn(n, N, generator=g)
    spec = torch.stft(x, 32, hop_length=16, window=torch.hann_window(32), return_complex=True)
    return torch.log(spec.abs() + 1e-3).unsqueeze(1), cls


class NoteCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                 nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                                 nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_cracked", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)}


def build():
    torch.manual_seed(0)
    return NoteCNN()


def main():
    from _threehundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    str_, ytr = notes(1600, g)
    sva, yva = notes(400, g)
    mean, std = str_.mean(), str_.std()
    xtr, xva = (str_ - mean) / std, (sva - mean) / std
    print("classes", torch.bincount(ytr).tolist(), "input", tuple(xtr.shape[1:]))
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(monitor="val_loss", save_top_k=1, save_last=True,
                           filename="best-{epoch}")
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="tapshed"),
                        callbacks=[ckpt], enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1,
                        log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tapshed/version_0/checkpoints/last.ckpt",
           log="tapshed/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm sorting a wheeltapper's hammer notes into"
                " sound / cracked tyre / loose tyre / binding brake (healthy)")


if __name__ == "__main__":
    main()
