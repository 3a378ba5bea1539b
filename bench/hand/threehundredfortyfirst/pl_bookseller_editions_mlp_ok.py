"""PyTorch Lightning: a plain MLP tells an independent bookseller which editions of a newly
announced title to order (multi-label, 5 editions: hardback, trade paperback, mass-market
paperback, large print, audiobook CD), from 9 facts in the publisher's catalogue: genre (5,
one-hot: literary, crime, romance, biography, children's), the author's last sales (log
copies), whether the author is a debut, the list price of the first edition and the length
(pages). The rule behind the orders (the shop's own buying notes, with some noise in how
the buyer applied them): hardback for established authors in literary / crime / biography
or any author selling over 8000; trade paperback for nearly everything but children's;
mass-market for crime and romance; large print for crime, romance and biography by
authors over 3000 copies; audiobook CD for long crime and biography by known authors.
Input: (9,) standardised with the train mean / std. Model: 9→64→ReLU→64→ReLU→5;
BCE with logits, Adam 2e-3 with ReduceLROnPlateau on ``val_bce`` from
``configure_optimizers``, batch 64, 14 epochs, 2000 titles, validation on 500.
Healthy; numbers in the README.
Log: CSVLogger ``buying/version_0/metrics.csv`` (``bce_step`` every 8 steps, ``bce_epoch``
/ ``val_bce`` / ``val_exact`` / ``val_f1_large_print`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``buying/version_0/checkpoints/last.ckpt``."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

EDITIONS = ["hardback", "trade_pb", "mass_market", "large_print", "audio_cd"]


def titles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    genre = torch.randint(0, 5, (n,), generator=g)
    debut = r(n) < 0.3
    sales = torch.where(debut, 300 + 1500 * r(n), torch.exp(6 + 4 * r(n)))  # 400-22000
    price = 14 + 12 * r(n) - 6 * (genre == 4).float()
    pages = torch.exp(5.2 + 0.8 * r(n)) * (1 - 0.6 * (genre == 4).float())
    lit, crime, rom, bio, kids = [(genre == k) for k in range(5)]
    s = sales * torch.exp(0.15 * torch.randn(n, generator=g))  # the buyer's feel for the numbers
    y = torch.stack([((lit | crime | bio) & ~debut) | (s > 8000),
                     ~kids,
                     crime | rom,
                     (crime | rom | bio) & (s > 3000),
                     (crime | bio) & ~debut & (pages > 380)], 1).float()
    flip = r(n, 5) < 0.03
    y = torch.where(flip, 1 - y, y)
    x = torch.cat([F.one_hot(genre, 5).float(),
                   torch.stack([torch.log(sales), debut.float(), price, pages], 1)], 1)
    return x, y


class Buyer(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 5))

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        tp = (pred[:, 3] * y[:, 3]).sum()
        f1 = 2 * tp / (pred[:, 3].sum() + y[:, 3].sum()).clamp_min(1)
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_f1_large_print", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_bce"}}


def build():
    torch.manual_seed(0)
    return Buyer()


def main():
    from _threehundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = titles(2000, g)
    fva, yva = titles(500, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    print("edition shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=14, logger=CSVLogger(str(out), name="buying"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="buying/version_0/checkpoints/last.ckpt",
           log="buying/version_0/metrics.csv",
           what="Lightning MLP choosing which editions of a new title a bookseller orders"
                " (multi-label, healthy)")


if __name__ == "__main__":
    main()
