"""PyTorch Lightning link prediction on a synthetic friendship graph (stochastic block model:
300 people in 5 groups, 12 % chance of a link inside a group, 0.5 % across; 20 % of the links
held out; 16 profile features per person, a group mean plus unit noise). A two-layer GCN over
the training links (symmetric normalisation, self loops), a dot-product decoder, and in each
``training_step`` as many uniformly drawn non-links as positive links, BCEWithLogits on both;
Adam lr 5e-3, batch 256 links, 40 epochs. ``CSVLogger`` (``metrics.csv``: ``train_loss`` per
step and per epoch, ``val_loss``, ``val_auc`` on the held-out links against as many fixed
non-links) and ``ModelCheckpoint(save_last=True)``. A random non-link is now and then a
held-out link or a same-group pair, so the AUC tops out near 0.85."""

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N, K = 300, 5


def graph():
    g = torch.Generator().manual_seed(3)
    group = torch.arange(N) % K
    p = torch.where(group[:, None] == group[None, :], 0.12, 0.005)
    a = torch.triu((torch.rand(N, N, generator=g) < p).float(), 1)
    edges = a.nonzero()
    perm = torch.randperm(len(edges), generator=g)
    n_val = len(edges) // 5
    feats = torch.randn(K, 16, generator=g)[group] + torch.randn(N, 16, generator=g)
    return edges[perm[n_val:]], edges[perm[:n_val]], feats


class LitGCNLinks(L.LightningModule):
    def __init__(self, train_edges, feats, lr=5e-3):
        super().__init__()
        self.lr = lr
        a = torch.zeros(N, N)
        a[train_edges[:, 0], train_edges[:, 1]] = 1
        a = a + a.T + torch.eye(N)
        d = a.sum(1).rsqrt()
        self.register_buffer("adj", d[:, None] * a * d[None, :])
        self.register_buffer("feats", feats)
        self.lin1 = nn.Linear(16, 64)
        self.lin2 = nn.Linear(64, 32)

    def embed(self):
        h = F.relu(self.lin1(self.adj @ self.feats))
        return self.lin2(self.adj @ h)

    def forward(self, pairs):  # pairs: (batch, 2) node ids -> link logits
        z = self.embed()
        return (z[pairs[:, 0]] * z[pairs[:, 1]]).sum(-1)

    def training_step(self, batch, batch_idx):
        (pos,) = batch
        neg = torch.randint(0, N, pos.shape, device=pos.device)
        labels = torch.cat([torch.ones(len(pos)), torch.zeros(len(neg))])
        loss = F.binary_cross_entropy_with_logits(self(torch.cat([pos, neg])), labels)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        pairs, labels = batch
        s = self(pairs)
        self.log("val_loss", F.binary_cross_entropy_with_logits(s, labels))
        self.log("val_auc", auc(s, labels))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def auc(scores, labels):
    pos, neg = scores[labels == 1], scores[labels == 0]
    return ((pos[:, None] > neg[None, :]).float().mean()
            + 0.5 * (pos[:, None] == neg[None, :]).float().mean())


def build():
    torch.manual_seed(0)
    train_edges, _, feats = graph()
    return LitGCNLinks(train_edges, feats)


def main():
    from _eighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_edges, val_edges, _ = graph()
    nv = len(val_edges)
    val_pairs = torch.cat([val_edges, torch.randint(0, N, (nv, 2), generator=g)])
    val_labels = torch.cat([torch.ones(nv), torch.zeros(nv)])
    L.seed_everything(0, verbose=False)
    train = DataLoader(TensorDataset(train_edges), batch_size=256, shuffle=True)
    val = DataLoader(TensorDataset(val_pairs, val_labels), batch_size=2 * nv)
    model = build()
    trainer = L.Trainer(max_epochs=40, logger=CSVLogger(str(out), name="gcn_links"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=4)
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    idx = torch.randperm(2 * nv, generator=g)[:256]
    finish(out, __file__, (val_pairs[idx], val_labels[idx]), causes=[],
           checkpoint="gcn_links/version_0/checkpoints/last.ckpt",
           log="gcn_links/version_0/metrics.csv",
           what="Lightning GCN link predictor with negative sampling")


if __name__ == "__main__":
    main()
