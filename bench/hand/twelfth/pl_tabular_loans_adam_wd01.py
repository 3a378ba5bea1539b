"""Lightning: a tabular model with entity embeddings for small-business loan outcomes (repaid
/ late / defaulted) from 3 categorical columns (industry: 40 values, region: 12, bank branch:
60; an embedding of 8 each) and 6 standardised numeric columns (revenue, age of the firm,
loan size, ...); concatenated into an MLP 30-64-32-3 with ReLU and dropout 0.1. The outcome
depends on an industry risk, a branch effect and the numbers. Cross-entropy, Adam 2e-3,
batch 128, 15 epochs, ``CSVLogger`` + ``ModelCheckpoint(save_last=True)``. Bug:
``Adam(..., weight_decay=0.1)`` -- the value from an AdamW recipe given to plain Adam, where
it is an L2 term in the gradient on every weight and embedding: all weights are pulled to
~0, train and val loss end at 0.82 and the val accuracy at 0.63, the share of the majority
class (``weight_decay=1e-5``: train loss 0.23, val loss 0.33, val acc 0.844)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

CARDS = (40, 12, 60)


def loans(n, g):
    cats = torch.stack([torch.randint(0, c, (n,), generator=g) for c in CARDS], 1)
    nums = torch.randn(n, 6, generator=g)
    industry_risk = 1.5 * torch.randn(CARDS[0], generator=g)
    branch = 1.0 * torch.randn(CARDS[2], generator=g)
    region = 0.5 * torch.randn(CARDS[1], generator=g)
    risk = (industry_risk[cats[:, 0]] + branch[cats[:, 2]] + region[cats[:, 1]]
            - 1.2 * nums[:, 0] + 0.8 * nums[:, 2] - 0.6 * nums[:, 1] * nums[:, 3]
            + 0.5 * torch.randn(n, generator=g))
    y = torch.bucketize(risk, torch.tensor([0.6, 2.2]))
    return cats, nums, y


class LoanNet(L.LightningModule):
    def __init__(self, lr=2e-3, weight_decay=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.embs = nn.ModuleList(nn.Embedding(c, 8) for c in CARDS)
        self.mlp = nn.Sequential(nn.Linear(8 * len(CARDS) + 6, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))

    def forward(self, cats, nums):
        e = [emb(cats[:, i]) for i, emb in enumerate(self.embs)]
        return self.mlp(torch.cat([*e, nums], 1))

    def training_step(self, batch, batch_idx):
        cats, nums, y = batch
        loss = F.cross_entropy(self(cats, nums), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        cats, nums, y = batch
        logits = self(cats, nums)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        # BUG: 0.1 came from an AdamW recipe; in Adam it is a (coupled) L2 penalty
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr,
                                weight_decay=self.hparams.weight_decay)


def build():
    torch.manual_seed(0)
    return LoanNet()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cats, nums, y = loans(6000, g)
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(cats[:5000], nums[:5000], y[:5000]), batch_size=128,
                       shuffle=True)
    val = DataLoader(TensorDataset(cats[5000:], nums[5000:], y[5000:]), batch_size=1000)
    torch.manual_seed(0)
    model = LoanNet()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="loans"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    print("class shares", torch.bincount(y[5000:]).float() / 1000)
    finish(out, __file__, {"inputs": cats[5000:5128], "nums": nums[5000:5128],
                           "targets": y[5000:5128]},
           causes=["over_regularization"], checkpoint="loans/version_0/checkpoints/last.ckpt",
           log="loans/version_0/metrics.csv",
           what="Lightning entity-embedding loan model, Adam(weight_decay=0.1)",
           complaint="loan outcome model with category embeddings: train and validation loss "
                     "both flatten out early at a high value and the accuracy is no better "
                     "than always predicting 'repaid'")


if __name__ == "__main__":
    main()
