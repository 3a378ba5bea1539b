"""PyTorch Lightning: a GRU listens to the attack of a bugle note (the first 0.6 s:
mouthpiece pressure and the lip-vibration amplitude from a small piezo on the rim, 40
readings) and says whether the note cracked (split to the neighbouring partial), for a
cadet bugler's practice trainer. The player's pressure rises to a target with an
overshoot; the lips lock onto the partial after a delay that grows with the partial; a note
cracks when the overshoot is large while the lips are still unlocked (overshoot above 30 %
and the lock later than 0.1 s), or when the pressure keeps drifting after the lock;
a split shows as a short dip in the lip amplitude after the lock; player-to-player gain,
± noise. About 55 % of notes crack.
Input: (40, 2) (pressure kPa - 4) / 2 and lip amplitude. Target: (1,) 0/1.
GRU 2→32, 1 layer, max over time → linear 32→1; BCE with logits, Adam 1e-2 with
ExponentialLR(0.9) per epoch from ``configure_optimizers``, batch 64, 14 epochs, 1400
notes, validation on 350.
Healthy; numbers in the README.
Log: CSVLogger ``crackcheck/version_0/metrics.csv`` (``bce_step`` every 5 steps,
``bce_epoch`` / ``val_bce`` / ``val_acc`` / ``val_crack_recall`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``crackcheck/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

STEPS = 40


def attacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(STEPS).float() * 0.015
    target = 2.5 + 4 * r(n, 1)
    over = 0.6 * r(n, 1)
    rise = 0.04 + 0.06 * r(n, 1)
    press = target * (1 - torch.exp(-t / rise)) * (1 + over * torch.exp(-((t - 2 * rise) / 0.05) ** 2))
    drift = (r(n, 1) < 0.2).float() * (0.8 + 0.8 * r(n, 1))
    press = press + drift * (t - 0.3).clamp(min=0)
    lock = 0.05 + 0.04 * (target - 2.5) + 0.1 * r(n, 1)
    lip = torch.sigmoid((t - lock) / 0.02) * (0.8 + 0.4 * r(n, 1))
    crack = (((over > 0.3) & (lock > 0.1)) | (drift > 0)).float()
    # a split note: the lips lose the partial for a moment after locking on
    split = lock + 0.08 + 0.1 * (drift > 0).float()
    lip = lip * (1 - 0.5 * crack * torch.exp(-((t - split) / 0.04) ** 2))
    x = torch.stack([(press - 4) / 2, lip], 2) + 0.04 * torch.randn(n, STEPS, 2, generator=g)
    return x, crack


class CrackGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out.amax(1))  # strongest response over the attack

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        z = self(x)
        p = (z > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(z, y))
        self.log("val_acc", (p == y).float().mean())
        self.log("val_crack_recall", p[y == 1].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)]


def build():
    torch.manual_seed(0)
    return CrackGRU()


def main():
    from _threehundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = attacks(1400, g)
    xva, yva = attacks(350, g)
    print("crack share", ytr.mean().item(), yva.mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="crackcheck"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=350))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="crackcheck/version_0/checkpoints/last.ckpt",
           log="crackcheck/version_0/metrics.csv",
           what="Lightning GRU predicting whether a bugle note cracks from the first 0.6 s of"
                " mouthpiece pressure and lip vibration (healthy)")


if __name__ == "__main__":
    main()
