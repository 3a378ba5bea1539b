"""Lightning: "pneumonia or not" from 32x32 chest-film crops (synthetic: a faint, blurry
opacity on a noisy lung texture), a wide CNN + 256-unit head (~0.3 M parameters) trained on
only 96 labelled crops for 40 epochs, Adam 1e-3, no augmentation, no weight decay, no early
stopping; CSVLogger + ModelCheckpoint(save_last). Bug: overfitting -- train loss goes to ~0
by epoch 20 while val loss bottoms out at 0.58 (epoch 15) and then climbs to 1.06; val accuracy
stays at ~0.68 and the *last* checkpoint is the one shipped."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def films(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    c = 8 + 16 * torch.rand(n, 2, 1, 1, generator=g)
    blob = torch.exp(-((yy - c[:, 0]) ** 2 + (xx - c[:, 1]) ** 2) / 30)
    ribs = 0.3 * torch.sin(yy / 2 + 3 * torch.rand(n, 1, 1, generator=g))
    img = ribs + 0.3 * y[:, None, None] * blob + 0.8 * torch.randn(n, 32, 32, generator=g)
    return img[:, None], y


class XrayNet(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 16, 256), nn.ReLU(),
                                  nn.Linear(256, 2))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True,
                 on_step=False)
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
    return XrayNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = films(96, g), films(300, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=40, logger=CSVLogger(str(out), name="xray"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=["overfitting"],
           checkpoint="xray/version_0/checkpoints/last.ckpt", log="xray/version_0/metrics.csv",
           what="0.3 M-parameter CNN, 96 training images, 40 epochs, no regularisation",
           complaint="train acc 100% but val acc only ~70% and val_loss keeps going up")


if __name__ == "__main__":
    main()
