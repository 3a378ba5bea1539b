"""PyTorch Lightning: a bidirectional GRU logs the strata down a quarry blast hole from the
drill rig's measurement-while-drilling record, so the quarrier can deck the charge (no
explosive against the clay bands) and see where the good limestone starts: for each 0.25 m
of depth (64 steps, 16 m hole) one of overburden (soil and weathered cap), shale / clay
band, limestone. The hole starts in overburden 0-4 m deep, then beds of limestone (1-5 m)
with shale bands (0.5-2 m) between them. The rig logs penetration rate (m/min: overburden
fast, shale fast, limestone slow), torque pressure (bar) and feed pressure (bar), each with
its stratum's level, bed-to-bed variation, a bit-wear drift down the hole, a one-step lag
and sensor noise, so single readings of shale and overburden overlap and the order matters.
Input: (64, 3) standardised with the train mean / std. Model: GRU 3→32 bidirectional,
Linear 64→3 on every step; cross-entropy over all steps, Adam 3e-3 with CosineAnnealingLR
from ``configure_optimizers``, batch 16, 10 epochs, 480 holes, validation on 120.
Healthy; numbers in the README.
Log: CSVLogger ``mwd/version_0/metrics.csv`` (``step_ce_step`` every 5 steps, ``step_ce_epoch`` /
``val_ce`` / ``val_step_acc`` / ``val_acc_shale`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``mwd/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

T = 64
STRATA = ["overburden", "shale", "limestone"]


def holes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    lab = torch.full((n, T), 2, dtype=torch.long)
    for i in range(n):
        d = int(16 * r(1))
        lab[i, :d] = 0
        lime = True
        while d < T:
            k = int(4 + 16 * r(1)) if lime else int(2 + 6 * r(1))
            lab[i, d:d + k] = 2 if lime else 1
            d += k
            lime = not lime
    rate = torch.tensor([2.4, 1.9, 0.9])[lab]
    torque = torch.tensor([45.0, 60.0, 85.0])[lab]
    feed = torch.tensor([40.0, 55.0, 70.0])[lab]
    bed = 1 + 0.2 * torch.randn(n, 1, generator=g)
    wear = 1 - 0.15 * torch.linspace(0, 1, T)
    rate = rate * bed * wear * (1 + 0.18 * torch.randn(n, T, generator=g))
    torque = torque * (1 + 0.12 * torch.randn(n, T, generator=g)) / wear
    feed = feed + 8 * torch.randn(n, T, generator=g)
    x = torch.stack([rate, torque, feed], 2)
    x = torch.cat([x[:, :1], 0.5 * (x[:, 1:] + x[:, :-1])], 1)  # the rig's one-step lag
    return x, lab


class StrataGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True, bidirectional=True)
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(self.gru(x)[0])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x).reshape(-1, 3), y.reshape(-1))
        self.log("step_ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(-1)
        self.log("val_ce", F.cross_entropy(logits.reshape(-1, 3), y.reshape(-1)))
        self.log("val_step_acc", (pred == y).float().mean())
        self.log("val_acc_shale", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)]


def build():
    torch.manual_seed(0)
    return StrataGRU()


def main():
    from _threehundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = holes(480, g)
    rva, yva = holes(120, g)
    mu, sd = rtr.reshape(-1, 3).mean(0), rtr.reshape(-1, 3).std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("strata share", [round(v, 3) for v in (torch.bincount(ytr.flatten()) / ytr.numel()).tolist()])
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="mwd"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="mwd/version_0/checkpoints/last.ckpt",
           log="mwd/version_0/metrics.csv",
           what="Lightning bidirectional GRU logging overburden / shale / limestone per 0.25 m"
                " down a quarry blast hole from measurement-while-drilling (healthy)")


if __name__ == "__main__":
    main()
