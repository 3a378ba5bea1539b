"""PyTorch Lightning: a GRU reads what a climbing boy's brush rods log on the way up a house
flue (48 readings, one every foot: rod push force, the draught at the hearth, and the soot
falling into the cloth) and names the faults the master sweep must report to the household,
any number of them at once (multi-label): a soot crust (force and soot fall up over a
stretch), a bird's nest (a sharp force peak, then the draught drops as the rods open it), a
cracked liner (the draught steps down past the crack and mortar dust falls, no force) and a
tight bend (a broad force bump). Fault rates 35 / 20 / 25 / 30 %, positions and sizes
random, clean-flue friction and draught vary by house, reading noise.
Input: (48, 3). Model: GRU 3→40, the last state and the max over steps, Linear 80→4 (logits);
BCE with logits, Adam 3e-3 with CosineAnnealingLR over 12 epochs from ``configure_optimizers``,
batch 48, 1920 flues, validation on 480.
Healthy; numbers in the README.
Log: CSVLogger ``flues/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch`` /
``val_bce`` / ``val_f1_micro`` / ``val_exact`` / ``val_recall_nest`` per epoch); checkpoint
``ModelCheckpoint(dirpath="ckpt", save_last=True)`` → ``ckpt/last.ckpt`` beside the best-by-
``val_bce`` ``ckpt/flue-epoch=N.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

P = 48


def flues(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 4) < torch.tensor([0.35, 0.2, 0.25, 0.3])).float()
    ft = torch.arange(P).float()
    force = 1.0 + 0.3 * r(n, 1) + 0.01 * ft * r(n, 1)
    draught = 1.0 + 0.3 * r(n, 1) - 0.004 * ft
    fall = 0.1 + 0.2 * r(n, 1) * torch.ones(n, P)
    a = (r(n, 1) * 32).floor()
    crust = ((ft >= a) & (ft < a + 6 + 10 * r(n, 1))).float()
    force = force + y[:, 0:1] * crust * (0.5 + 0.4 * r(n, 1))
    fall = fall + y[:, 0:1] * crust * (0.5 + 0.4 * r(n, 1))
    b = 6 + (r(n, 1) * 38).floor()
    force = force + y[:, 1:2] * 1.4 * torch.exp(-((ft - b) / 1.2) ** 2)
    draught = draught - y[:, 1:2] * 0.3 * (ft >= b).float()
    c = 6 + (r(n, 1) * 38).floor()
    draught = draught - y[:, 2:3] * 0.25 * (ft >= c).float()
    fall = fall + y[:, 2:3] * 0.4 * torch.exp(-((ft - c) / 2) ** 2)
    d = 8 + (r(n, 1) * 32).floor()
    force = force + y[:, 3:4] * 0.5 * torch.exp(-((ft - d) / 4) ** 2)
    x = torch.stack([force - 1, draught - 1, fall], 2)
    return x + 0.08 * torch.randn(n, P, 3, generator=g), y


class FlueGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 40, batch_first=True)
        self.fc = nn.Linear(80, 4)

    def forward(self, x):
        h, last = self.gru(x)
        return self.fc(torch.cat([last[0], h.amax(1)], 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        p = (logits > 0).float()
        tp = (p * y).sum()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_f1_micro", 2 * tp / (p.sum() + y.sum()))
        self.log("val_exact", (p == y).all(1).float().mean())
        self.log("val_recall_nest", (p[:, 1] * y[:, 1]).sum() / y[:, 1].sum())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return FlueGRU()


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flues(1920, g)
    xva, yva = flues(480, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(dirpath=str(out / "ckpt"), filename="flue-{epoch}", monitor="val_bce",
                           save_top_k=1, save_last=True)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="flues"), callbacks=[ckpt],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=480))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="ckpt/last.ckpt", log="flues/version_0/metrics.csv",
           what="Lightning GRU naming soot crust / bird's nest / cracked liner / tight bend"
                " (multi-label) from a sweep's brush-rod log up a flue (healthy)")


if __name__ == "__main__":
    main()
