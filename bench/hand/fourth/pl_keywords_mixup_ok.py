"""Lightning: keyword spotting on small log-mel spectrograms (16 mel bands x 32 frames, six
keywords) with a 2-D CNN trained with mixup (alpha 0.4): each batch is blended with a
shuffled copy of itself and the loss mixes the two labels. The training loss therefore stays
well above the validation loss (healthy). Adam 1e-3, CSVLogger, ModelCheckpoint."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

MELS, FRAMES, WORDS = 16, 32, 6


def clips(n, g):
    """Each keyword is a sequence of three formant bands at fixed mel bins."""
    plan = torch.Generator().manual_seed(7)
    bands = torch.randint(1, MELS - 1, (WORDS, 3), generator=plan)
    y = torch.randint(0, WORDS, (n,), generator=g)
    spec = 0.3 * torch.randn(n, MELS, FRAMES, generator=g)
    start = torch.randint(0, 8, (n,), generator=g)
    for i in range(n):
        for k in range(3):
            s = int(start[i]) + 8 * k
            b = int(bands[y[i], k])
            spec[i, b - 1:b + 2, s:s + 8] += 1.5
    return spec.unsqueeze(1), y


class KWS(L.LightningModule):
    def __init__(self, alpha=0.4, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                                  nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 4)))
        self.fc = nn.Linear(32 * 4, WORDS)

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        lam = float(torch.distributions.Beta(self.hparams.alpha, self.hparams.alpha).sample())
        perm = torch.randperm(len(x))
        logits = self(lam * x + (1 - lam) * x[perm])
        loss = lam * F.cross_entropy(logits, y) + (1 - lam) * F.cross_entropy(logits, y[perm])
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return KWS()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = clips(1500, g), clips(400, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="kws"),
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=200))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:64], vy[:64]), causes=[],
           checkpoint="kws/version_0/checkpoints/last.ckpt", log="kws/version_0/metrics.csv",
           what="mixup CNN for keyword spotting: healthy (train loss above val by design)")


if __name__ == "__main__":
    main()
