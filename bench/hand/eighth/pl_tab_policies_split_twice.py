"""Lightning: will a car-insurance policy have a claim next year? A tabular MLP with
embeddings for the categorical columns (region 12, vehicle type 8, occupation 20; 4-6-d
embeddings) concatenated with 3 standardised numeric columns (driver age, years licensed,
car value). Binary cross-entropy with logits, Adam 2e-3, batch 64, 8 epochs; CSVLogger +
ModelCheckpoint(save_last). Bug: the train/val split is a helper that draws its own
``randperm`` on every call, and it is called once for the categorical columns, once for the
numeric ones and once for the labels -- the rows and their labels no longer match. The loss
sits at the label entropy (0.52-0.55) and val accuracy at the no-claim rate 0.77 in every
epoch (one permutation for all three: val accuracy 0.88, loss 0.28)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

CARDS = (12, 8, 20)


def policies(n, g):
    cats = torch.stack([torch.randint(0, c, (n,), generator=g) for c in CARDS], 1)
    age = 18 + 60 * torch.rand(n, generator=g)
    licensed = (age - 18) * torch.rand(n, generator=g)
    value = 5000 + 40000 * torch.rand(n, generator=g)
    risk_region = torch.linspace(-1, 1, CARDS[0])[cats[:, 0]]
    risk_vehicle = torch.tensor([0.8, -0.5, 0.2, 1.2, -0.9, 0.0, 0.4, -0.3])[cats[:, 1]]
    logit = (-0.7 + 1.5 * risk_region + risk_vehicle - 0.08 * licensed + 2.5 * (age < 25)
             + 0.3 * torch.randn(n, generator=g))
    y = (torch.rand(n, generator=g) < torch.sigmoid(2 * logit)).float()
    num = torch.stack([age, licensed, value], 1)
    return cats, num, y


def split(t, n_val=1200):
    perm = torch.randperm(len(t))
    return t[perm[n_val:]], t[perm[:n_val]]


class PolicyNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.embs = nn.ModuleList([nn.Embedding(c, min(6, (c + 1) // 2)) for c in CARDS])
        width = sum(e.embedding_dim for e in self.embs) + 3
        self.mlp = nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, cats, num):
        h = torch.cat([e(cats[:, i]) for i, e in enumerate(self.embs)] + [num], 1)
        return self.mlp(h).squeeze(-1)

    def _step(self, batch, stage):
        cats, num, y = batch
        logits = self(cats, num)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        self.log(f"{stage}_loss", loss, on_step=False, on_epoch=True)
        self.log(f"{stage}_acc", ((logits > 0).float() == y).float().mean(), on_step=False,
                 on_epoch=True)
        return loss

    def training_step(self, batch, batch_idx):
        return self._step(batch, "train")

    def validation_step(self, batch, batch_idx):
        self._step(batch, "val")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return PolicyNet()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cats, num, y = policies(6000, g)
    num = (num - num.mean(0)) / num.std(0)
    torch.manual_seed(0)
    cats_tr, cats_va = split(cats)
    num_tr, num_va = split(num)  # BUG: each call draws its own permutation
    y_tr, y_va = split(y)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="policies"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=20)
    trainer.fit(build(), DataLoader(TensorDataset(cats_tr, num_tr, y_tr), batch_size=64,
                                    shuffle=True),
                DataLoader(TensorDataset(cats_va, num_va, y_va), batch_size=1200))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, {"inputs": cats_va[:256], "num": num_va[:256],
                           "targets": y_va[:256]}, causes=["labels_wrong"],
           checkpoint="policies/version_0/checkpoints/last.ckpt",
           log="policies/version_0/metrics.csv",
           what="Lightning tabular MLP with embeddings, columns and labels split with different "
                "permutations",
           complaint="validation accuracy is 77% in every single epoch, the same as always "
                     "predicting no claim, and the loss never goes below 0.53")


if __name__ == "__main__":
    main()
