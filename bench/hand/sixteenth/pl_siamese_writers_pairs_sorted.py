"""PyTorch Lightning: a Siamese encoder that verifies whether two handwriting feature vectors
(48 stroke statistics per sample, already standardised) come from the same writer. 60 writers
(20 samples each),
each with a style vector; a sample is the style plus per-sample variation. The pair table is
built as "all genuine pairs, then all impostor pairs" (3000 + 3000) and read by a
``DataLoader(..., shuffle=False)``; the score is ``b - w * ||e1 - e2||`` into
``BCEWithLogitsLoss``. Encoder MLP 48-64-32, SGD 0.05 with momentum 0.9, batch 100, 12 epochs,
``CSVLogger`` (``metrics.csv``) and ``ModelCheckpoint(save_last=True)``; 1000 shuffled val pairs
from 20 other writers.
Bug: the pair table is never shuffled, so every batch holds one class (all genuine or all
impostor): each epoch first pulls every pair together, then pushes every pair apart, and it
ends on 30 impostor batches. Val pair accuracy 0.47-0.48 at every epoch (500 genuine + 500
impostor pairs), val loss 5-14 in epochs 0-6, then 1.53; control with ``shuffle=True``: val
pair accuracy 0.80-0.85, val loss 0.36-0.41."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

SHUFFLE = False


def writers(n_writers, per, g):
    style = torch.randn(n_writers, 48, generator=g)
    x = style.repeat_interleave(per, 0) + 0.7 * torch.randn(n_writers * per, 48, generator=g)
    return x, torch.arange(n_writers).repeat_interleave(per)


def pairs(x, per, n, g, sort):
    a = torch.randint(0, len(x), (2 * n,), generator=g)
    b = torch.randint(0, len(x), (2 * n,), generator=g)
    b[:n] = a[:n] // per * per + (a[:n] + torch.randint(1, per, (n,), generator=g)) % per
    y = (a // per == b // per).float()
    if not sort:
        p = torch.randperm(2 * n, generator=g)
        a, b, y = a[p], b[p], y[p]
    return x[a], x[b], y


class Siamese(L.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(nn.Linear(48, 64), nn.ReLU(), nn.Linear(64, 32))
        self.w = nn.Parameter(torch.tensor(1.0))
        self.b = nn.Parameter(torch.tensor(3.0))

    def forward(self, x1, x2):
        return self.b - self.w * (self.encoder(x1) - self.encoder(x2)).norm(dim=1)

    def training_step(self, batch, batch_idx):
        x1, x2, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x1, x2), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x1, x2, y = batch
        s = self(x1, x2)
        self.log("val_loss", F.binary_cross_entropy_with_logits(s, y))
        self.log("val_pair_acc", ((s > 0).float() == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def build():
    torch.manual_seed(0)
    return Siamese()


def main():
    from _sixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, _ = writers(80, 20, g)
    t1, t2, ty = pairs(x[:1200], 20, 3000, g, sort=True)
    v1, v2, vy = pairs(x[1200:], 20, 500, g, sort=False)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(t1, t2, ty), batch_size=100, shuffle=SHUFFLE)
    val = DataLoader(TensorDataset(v1, v2, vy), batch_size=1000)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="siamese"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, {"inputs": t1[2950:3050], "inputs_b": t2[2950:3050],
                           "targets": ty[2950:3050]},
           causes=["batch_single_class", "data_not_shuffled"],
           checkpoint="siamese/version_0/checkpoints/last.ckpt",
           log="siamese/version_0/metrics.csv",
           what="Lightning Siamese verifier, genuine pairs then impostor pairs, shuffle=False",
           complaint="签名/笔迹验证的孪生网络：验证集的配对准确率一直在 0.5 左右，模型把所有配对"
                     "都判成“不同的人”，损失也降不下来")


if __name__ == "__main__":
    main()
