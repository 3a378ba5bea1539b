"""PyTorch Lightning: a 1-D CNN with batch norm reads a straightedge scan of a handsaw blade
after the sawsmith's hammering (64 gap readings along the blade, in 0.01 mm, taken on the
flat against a precision straightedge) and says which faults are left in it (multi-label):
a lump (a local bump from an off-centre blow, 4-10 readings wide), a twist (the gap growing
linearly from heel to toe as the blade winds), a kink (a sharp step where the blade was
bent). A blade can carry any mix, or none. Readings have a bowl from the blade's tension,
gauge noise and a slight rocking offset.
Input: (1, 64) gaps / 10. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5)
+ BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global max pool, Linear 32→3;
BCE-with-logits, Adam 3e-3 with CosineAnnealingLR from ``configure_optimizers``, batch 40,
12 epochs, 1400 blades, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``hammering/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch``,
``val_bce`` / ``val_exact`` / ``val_f1_kink`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``hammering/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 64


def blades(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(N).float()
    y = (r(n, 3) < torch.tensor([0.35, 0.3, 0.25])).float()  # lump, twist, kink
    bowl = (2 + 4 * r(n, 1)) * ((pos - 31.5) / 31.5) ** 2
    gap = bowl + 3 * r(n, 1)
    c = 6 + 52 * r(n, 1)
    w = 2 + 3 * r(n, 1)
    gap = gap + y[:, :1] * (5 + 6 * r(n, 1)) * torch.exp(-((pos - c) / w) ** 2)
    gap = gap + y[:, 1:2] * (5 + 7 * r(n, 1)) * pos / 63
    k = 8 + 48 * r(n, 1)
    gap = gap + y[:, 2:3] * (4 + 5 * r(n, 1)) * torch.sigmoid((pos - k) * 3)
    gap = gap + 0.8 * torch.randn(n, N, generator=g)
    return (gap / 10).unsqueeze(1), y


class BladeCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (p == y).all(1).float().mean())
        tp = (p[:, 2] * y[:, 2]).sum()
        self.log("val_f1_kink", 2 * tp / (p[:, 2].sum() + y[:, 2].sum()).clamp(min=1))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return BladeCNN()


def main():
    from _threehundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = blades(1400, g)
    xva, yva = blades(360, g)
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="hammering"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hammering/version_0/checkpoints/last.ckpt",
           log="hammering/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging lump / twist / kink (multi-label)"
                " in a sawsmith's straightedge scan of a hammered saw blade (healthy)")


if __name__ == "__main__":
    main()
