"""Lightning: matrix factorisation for movie ratings (1..5 stars), MovieLens-style. User and
item embeddings of size 16, their dot product plus user / item / global biases predicts the
rating directly; MSE, Adam 1e-2 with a little weight decay, early stopping on val_mse.
CSVLogger and ModelCheckpoint (healthy)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

USERS, ITEMS = 300, 200


def ratings(n, g, taste, appeal):
    u = torch.randint(0, USERS, (n,), generator=g)
    i = torch.randint(0, ITEMS, (n,), generator=g)
    score = 3.4 + (taste[u] * appeal[i]).sum(1) + 0.3 * torch.randn(n, generator=g)
    return torch.stack([u, i], 1), score.round().clamp(1, 5)


class MF(L.LightningModule):
    def __init__(self, dim=16, lr=1e-2):
        super().__init__()
        self.save_hyperparameters()
        self.user, self.item = nn.Embedding(USERS, dim), nn.Embedding(ITEMS, dim)
        self.user_bias, self.item_bias = nn.Embedding(USERS, 1), nn.Embedding(ITEMS, 1)
        self.mu = nn.Parameter(torch.tensor(3.5))
        for emb in (self.user, self.item):
            nn.init.normal_(emb.weight, std=0.1)
        for emb in (self.user_bias, self.item_bias):
            nn.init.zeros_(emb.weight)

    def forward(self, pairs):
        u, i = pairs[:, 0], pairs[:, 1]
        dot = (self.user(u) * self.item(i)).sum(1)
        return dot + self.user_bias(u).squeeze(1) + self.item_bias(i).squeeze(1) + self.mu

    def training_step(self, batch, batch_idx):
        pairs, r = batch
        loss = F.mse_loss(self(pairs), r)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        pairs, r = batch
        pred = self(pairs)
        self.log("val_mse", F.mse_loss(pred, r))
        self.log("val_rmse", F.mse_loss(pred.clamp(1, 5), r).sqrt())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=1e-5)


def build():
    torch.manual_seed(0)
    return MF()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    taste = 0.6 * torch.randn(USERS, 4, generator=g)
    appeal = 0.6 * torch.randn(ITEMS, 4, generator=g)
    train, val = ratings(20000, g, taste, appeal), ratings(3000, g, taste, appeal)
    print("rating std", round(val[1].std().item(), 3))
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="mf"),
                        callbacks=[EarlyStopping("val_mse", patience=2),
                                   ModelCheckpoint(monitor="val_mse", save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(*train), batch_size=256, shuffle=True),
                DataLoader(TensorDataset(*val), batch_size=1000))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (val[0][:256], val[1][:256]), causes=[],
           checkpoint="mf/version_0/checkpoints/last.ckpt", log="mf/version_0/metrics.csv",
           what="matrix factorisation with biases on 1..5 ratings, MSE: healthy")


if __name__ == "__main__":
    main()
