"""Lightning, mixed precision (``precision="bf16-mixed"``): visual inspection of stamped
washers (16x16 grey crops), a BatchNorm CNN that flags cracked ones. 3 % of the crops are
cracked -- a thin radial gap in the ring at a random angle -- and the rest are good washers
with the same lighting and noise. Plain unweighted cross-entropy over 2 classes, Adam 1e-3,
batch 64, 6 epochs; CSVLogger + ModelCheckpoint(save_last); logs the val accuracy and the
crack recall. Bug: the imbalance is left alone (no class weights, no oversampling): val
accuracy 0.967 in every epoch (the share of good washers) with a crack recall of 0.0,
while the loss keeps falling (0.134 -> 0.081). With class weights 1:30 the same run finds 64 %
of the cracks at val accuracy 0.984."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 16


def washers(n, g, crack_rate=0.03):
    y = (torch.rand(n, generator=g) < crack_rate).long()
    r = torch.linspace(-1, 1, S)
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cx = 0.1 * torch.randn(n, 1, 1, generator=g)
    cy = 0.1 * torch.randn(n, 1, 1, generator=g)
    dist = ((xx - cx) ** 2 + (yy - cy) ** 2).sqrt()
    ang = torch.atan2(yy - cy, xx - cx)
    ring = ((dist > 0.35) & (dist < 0.75)).float()
    at = (torch.rand(n, 1, 1, generator=g) * 2 - 1) * torch.pi
    gap = (torch.remainder(ang - at + torch.pi, 2 * torch.pi) - torch.pi).abs() < 0.6
    img = ring * torch.where(y[:, None, None].bool() & gap, 0.0, 1.0)
    img = img * (0.7 + 0.3 * torch.rand(n, 1, 1, generator=g)) + 0.2 * torch.randn(
        n, S, S, generator=g)
    return ((img - 0.35) / 0.5).unsqueeze(1), y


class WasherInspector(L.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 16, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_crack_recall", ((pred == 1) & (y == 1)).sum() / (y == 1).sum().clamp(min=1))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return WasherInspector()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = washers(2000, g), washers(1000, g)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=6, precision="bf16-mixed",
                        logger=CSVLogger(str(out), name="washers"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(build(), DataLoader(TensorDataset(*train), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(*val), batch_size=1000))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (val[0][:256], val[1][:256]), causes=["class_imbalance"],
           checkpoint="washers/version_0/checkpoints/last.ckpt",
           log="washers/version_0/metrics.csv",
           what="Lightning bf16 BN CNN, 3 % cracked washers, unweighted loss",
           complaint="val accuracy is 96.7% in every epoch but the model has not flagged a single "
                     "cracked washer, crack recall is 0")


if __name__ == "__main__":
    main()
