"""PyTorch Lightning: LightGCN on a synthetic user–item graph (240 users, 160 items, hidden
4-dim tastes; each user has 12–24 interactions drawn by softmax affinity, 2 per user held out
for validation). Ego embeddings of dimension 32 are propagated over the symmetrically normalised
bipartite adjacency for 3 layers and averaged; the score is the dot product of the user's and
the item's propagated embeddings. BPR loss with one uniformly sampled negative per positive plus
1e-4 × the L2 of the batch's ego embeddings, Adam 5e-3, batch 512, 30 epochs; ``CSVLogger`` →
``metrics.csv`` (train_bpr per epoch, val_bpr on held-out positives against fixed negatives,
val_recall@10 over all unseen items), ``ModelCheckpoint(save_last=True)``.
Healthy: val recall@10 0.33 after one epoch, 0.81 at the end and levelling; the val BPR falls
0.69 → 0.256 and flattens (the last five epochs within 0.004), the train BPR sits at the same
level (0.26, noisier: its negatives are resampled every epoch) — a recommender that has taken
what the sampled interactions give."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

USERS, ITEMS, DIM, LAYERS = 240, 160, 32, 3


def interactions(g):
    tu = torch.randn(USERS, 4, generator=g)
    ti = torch.randn(ITEMS, 4, generator=g)
    pref = torch.softmax(1.5 * tu @ ti.T, 1)
    train, held = [], []
    for u in range(USERS):
        k = int(torch.randint(12, 25, (1,), generator=g))
        items = torch.multinomial(pref[u], k, generator=g)
        held += [(u, int(i)) for i in items[:2]]
        train += [(u, int(i)) for i in items[2:]]
    return torch.tensor(train), torch.tensor(held)


def norm_adj(train):
    n = USERS + ITEMS
    a = torch.zeros(n, n)
    a[train[:, 0], USERS + train[:, 1]] = 1.0
    a = a + a.T
    d = a.sum(1).clamp(min=1) ** -0.5
    return d[:, None] * a * d[None]


class LightGCN(L.LightningModule):
    def __init__(self, lr=5e-3, reg=1e-4):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(USERS + ITEMS, DIM)
        nn.init.normal_(self.emb.weight, std=0.1)
        self.register_buffer("adj", torch.zeros(USERS + ITEMS, USERS + ITEMS))
        self.register_buffer("seen", torch.zeros(USERS, ITEMS, dtype=torch.bool))

    def propagate(self):
        e = self.emb.weight
        layers = [e]
        for _ in range(LAYERS):
            e = self.adj @ e
            layers.append(e)
        return torch.stack(layers).mean(0)

    def forward(self, users, items):
        e = self.propagate()
        return (e[users] * e[USERS + items]).sum(-1)

    def training_step(self, batch, _):
        u, i, j = batch
        e = self.propagate()
        pos = (e[u] * e[USERS + i]).sum(-1)
        neg = (e[u] * e[USERS + j]).sum(-1)
        bpr = F.softplus(neg - pos).mean()
        ego = self.emb.weight
        reg = (ego[u] ** 2 + ego[USERS + i] ** 2 + ego[USERS + j] ** 2).sum(-1).mean() / 2
        self.log("train_bpr", bpr, on_step=False, on_epoch=True)
        return bpr + self.hparams.reg * reg

    def validation_step(self, batch, _):
        u, i, j = batch
        e = self.propagate()
        pos = (e[u] * e[USERS + i]).sum(-1)
        neg = (e[u] * e[USERS + j]).sum(-1)
        self.log("val_bpr", F.softplus(neg - pos).mean())
        scores = e[:USERS] @ e[USERS:].T
        scores[self.seen] = -1e9
        top = scores[u].topk(10, dim=1).indices
        self.log("val_recall@10", (top == i[:, None]).any(1).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return LightGCN()


class Triples(torch.utils.data.Dataset):
    def __init__(self, pos, g):
        self.pos, self.g = pos, g

    def __len__(self):
        return len(self.pos)

    def __getitem__(self, k):
        return self.pos[k, 0], self.pos[k, 1], torch.randint(0, ITEMS, (), generator=self.g)


def main():
    from _fortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, held = interactions(g)
    vneg = torch.randint(0, ITEMS, (len(held),), generator=g)
    L.seed_everything(0)
    model = build()
    model.adj.copy_(norm_adj(train))
    model.seen[train[:, 0], train[:, 1]] = True
    tl = torch.utils.data.DataLoader(Triples(train, g), batch_size=512, shuffle=True)
    vl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(held[:, 0], held[:, 1],
                                                                    vneg),
                                     batch_size=len(held))
    trainer = L.Trainer(max_epochs=30, logger=CSVLogger(str(out), name="lightgcn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(model, tl, vl)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, {"inputs": held[:128, 0].repeat(2),
                           "items": torch.cat([held[:128, 1], vneg[:128]]),
                           "targets": torch.cat([torch.ones(128), torch.zeros(128)])},
           causes=[], checkpoint="lightgcn/version_0/checkpoints/last.ckpt",
           log="lightgcn/version_0/metrics.csv",
           what="Lightning LightGCN, BPR loss, recall@10 (healthy)")


if __name__ == "__main__":
    main()
