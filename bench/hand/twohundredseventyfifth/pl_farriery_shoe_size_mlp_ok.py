"""PyTorch Lightning: an MLP picks the horseshoe size a farrier should shape for a foot, as a
4-class multi-class problem (sizes 0 / 1 / 2 / 3 of one maker's keg shoes, by the width the
shoe has to cover). Inputs, 6 per foot: hoof width and length at the last trim (mm), weeks of
growth since, fore or hind, breed build (0 = pony .. 1 = draught) and body weight (kg). The
foot spreads about 0.6 mm a week (faster on heavy horses), fronts are rounder than hinds, and
the width the shoe must cover is the grown width plus 4 mm of expansion at the heels;
cut points 118 / 128 / 140 mm; a 1.5 mm tape-reading error makes the borders fuzzy. Inputs
standardised inside the module from training means and sds stored as buffers.
MLP 6→64→64→4 (ReLU, dropout 0.1), cross-entropy with label smoothing 0.05, SGD lr 0.1
Nesterov momentum 0.9, OneCycleLR over 14 epochs, batch 32, 2000 feet, validation on 500
(val loss, val acc, val acc within one size).
Log: ``shoes/version_0/metrics.csv`` (CSVLogger); checkpoint
``shoes/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

EPOCHS, BATCH = 14, 32


def feet(n, g):
    width = 100 + 35 * torch.rand(n, generator=g)
    length = width * (1.0 + 0.15 * torch.rand(n, generator=g))
    weeks = 4 + 6 * torch.rand(n, generator=g)
    hind = (torch.rand(n, generator=g) < 0.5).float()
    build = torch.rand(n, generator=g)
    weight = 250 + 550 * build + 60 * torch.randn(n, generator=g)
    grown = width + 0.6 * weeks * (1 + (weight - 500) / 500) - 5 * hind * (length / width - 1)
    cover = grown + 4 + 1.5 * torch.randn(n, generator=g)
    size = torch.bucketize(cover, torch.tensor([118.0, 128.0, 140.0]))
    return torch.stack([width, length, weeks, hind, build, weight], 1), size


class ShoeMLP(L.LightningModule):
    def __init__(self, mean=None, std=None):
        super().__init__()
        self.register_buffer("mean", torch.zeros(6) if mean is None else mean)
        self.register_buffer("std", torch.ones(6) if std is None else std)
        self.net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64),
                                 nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 4))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.05)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_within1", ((pred - y).abs() <= 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9, nesterov=True)
        steps = EPOCHS * ((2000 + BATCH - 1) // BATCH)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def build():
    torch.manual_seed(0)
    return ShoeMLP()


def main():
    from _twohundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = feet(2000, g)
    xva, yva = feet(500, g)
    print("size shares", torch.bincount(ytr, minlength=4) / len(ytr))
    L.seed_everything(0, verbose=False)
    model = build()
    model.mean.copy_(xtr.mean(0))
    model.std.copy_(xtr.std(0))
    trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(str(out), name="shoes"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shoes/version_0/checkpoints/last.ckpt",
           log="shoes/version_0/metrics.csv",
           what="Lightning MLP choosing the keg shoe size for a horse's foot (healthy)")


if __name__ == "__main__":
    main()
