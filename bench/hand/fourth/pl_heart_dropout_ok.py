"""Lightning: heart-disease risk from 13 clinical columns (Cleveland-style, standardised) with
a small MLP, dropout 0.5 after each hidden layer and batches of 16, logged every 10 steps:
the per-step training loss is noisy and, with dropout active only in training, sits above
the validation loss (healthy). AdamW 1e-3, CSVLogger and ModelCheckpoint."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def patients(n, g):
    x = torch.randn(n, 13, generator=g)
    risk = (0.9 * x[:, 0] + 0.7 * x[:, 2] - 0.8 * x[:, 7] + 0.6 * x[:, 9] + 0.5 * x[:, 11]
            + 0.4 * x[:, 0] * x[:, 2])
    y = (risk + 0.5 * torch.randn(n, generator=g) > 0).float()
    return x, y


class HeartNet(L.LightningModule):
    def __init__(self, p=0.5, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Dropout(p),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Dropout(p), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_acc", ((logits > 0).float() == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)


def build():
    torch.manual_seed(0)
    return HeartNet()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = patients(800, g), patients(300, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="heart"),
                        log_every_n_steps=10,
                        callbacks=[ModelCheckpoint(monitor="val_loss", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=300))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=[],
           checkpoint="heart/version_0/checkpoints/last.ckpt",
           log="heart/version_0/metrics.csv",
           what="dropout MLP, batch 16: noisy steps, val below train: healthy")


if __name__ == "__main__":
    main()
