"""PyTorch Lightning: TransE link prediction on a synthetic knowledge graph. 400 entities with
hidden 8-d positions, 6 relations that are hidden translations; (h, r, t) holds when t is
one of the 3 entities nearest to pos(h) + rel(r) (so ``(h, r, ?)`` has 3 right answers).
TransE with 32-d embeddings scores every entity as a tail, score = -||e_h + r - e_t||,
trained 1-to-N with cross-entropy over all 400 tails (the style of the newer KGE papers);
Adagrad 0.5, batch 128, 15 epochs. ``CSVLogger`` (train_loss every 10 steps; val_loss,
val_mrr and val_hits@3 per epoch on 1000 held-out triples, raw ranks: the other two right
tails count against it), ``ModelCheckpoint(save_last=True)``. Healthy: the loss cannot go
below ln 3 = 1.10 (three right tails share the mass); train loss 1.7-1.9 at the end, val
loss 3.59 -> 2.56 and levelling off, val hits@3 0.43 -> 0.64, val MRR 0.36 -> 0.43 at epoch
6 and 0.42-0.43 after (the raw rank of a right tail is often 2 or 3 behind its siblings, so
MRR stops rising while hits@3 still does)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N_ENT, N_REL, DIM = 400, 6, 32


def graph(g):
    pos = torch.randn(N_ENT, 8, generator=g)
    rel = 0.8 * torch.randn(N_REL, 8, generator=g)
    triples = []
    for r in range(N_REL):
        d = torch.cdist(pos + rel[r], pos)
        tails = d.topk(3, largest=False).indices
        for k in range(3):
            triples.append(torch.stack([torch.arange(N_ENT), torch.full((N_ENT,), r),
                                        tails[:, k]], 1))
    t = torch.cat(triples)
    return t[torch.randperm(len(t), generator=g)]


class TransE(L.LightningModule):
    def __init__(self, lr=0.5):
        super().__init__()
        self.save_hyperparameters()
        self.ent = nn.Embedding(N_ENT, DIM)
        self.rel = nn.Embedding(N_REL, DIM)
        nn.init.uniform_(self.ent.weight, -0.5, 0.5)
        nn.init.uniform_(self.rel.weight, -0.5, 0.5)

    def forward(self, heads, rels):
        q = self.ent(heads) + self.rel(rels)
        return -torch.cdist(q, self.ent.weight)

    def training_step(self, batch, batch_idx):
        h, r, t = batch
        loss = F.cross_entropy(self(h, r), t)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        h, r, t = batch
        scores = self(h, r)
        rank = (scores > scores.gather(1, t[:, None])).sum(1) + 1
        self.log("val_loss", F.cross_entropy(scores, t))
        self.log("val_mrr", (1.0 / rank).mean())
        self.log("val_hits@3", (rank <= 3).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adagrad(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return TransE()


def main():
    from _twentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = graph(g)
    train, val = tr[:-1000], tr[-1000:]
    L.seed_everything(0, verbose=False)
    tl = DataLoader(TensorDataset(train[:, 0], train[:, 1], train[:, 2]), batch_size=128,
                    shuffle=True)
    vl = DataLoader(TensorDataset(val[:, 0], val[:, 1], val[:, 2]), batch_size=1000)
    model = build()
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="transe"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, tl, vl)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, {"inputs": val[:128, 0], "rels": val[:128, 1],
                           "targets": val[:128, 2]},
           causes=[], checkpoint="transe/version_0/checkpoints/last.ckpt",
           log="transe/version_0/metrics.csv",
           what="Lightning TransE, 1-to-N cross-entropy over all tails, Adagrad 0.5 (healthy)")


if __name__ == "__main__":
    main()
