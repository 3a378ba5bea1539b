"""PyTorch Lightning: an edge-conditioned message-passing network (MPNN, NNConv-style: an edge
network turns each bond's features into a D×D message matrix) regresses a synthetic molecular
property. Molecules are random trees of 6–14 atoms plus 0–2 ring-closing bonds; atoms are one
of 4 types (one-hot + a degree feature), bonds one of 3 types (one-hot). The property is a sum
of per-atom contributions, per-bond (type, atom pair) contributions and a small 3-path term,
standardised, plus measurement noise σ 0.15 (in standard units). 3 message-passing steps with
a GRU update (D 32), sum readout, MLP head, MSE. Adam 3e-3, batch 32 molecules (graphs
concatenated with a graph index), 20 epochs, ``CSVLogger`` → ``metrics.csv``,
``ModelCheckpoint(save_last=True)``. Healthy: the val MSE falls from 0.56 to ~0.065 by epoch
12 and stays at 0.064–0.072 after (one blip to 0.099), with the train MSE at the same level
(R² ≈ 0.93 on a target whose noise alone allows 0.98), no over-fit."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

ATOMS, BONDS, D = 4, 3, 32


def molecules(n, g):
    atom_w = torch.tensor([0.5, 1.2, -0.7, 0.3])
    bond_w = torch.randn(BONDS, ATOMS, ATOMS, generator=g) * 0.4
    mols = []
    for _ in range(n):
        k = int(torch.randint(6, 15, (1,), generator=g))
        types = torch.randint(0, ATOMS, (k,), generator=g)
        edges = [(int(torch.randint(0, i, (1,), generator=g)), i) for i in range(1, k)]
        for _ in range(int(torch.randint(0, 3, (1,), generator=g))):
            a, b = (int(v) for v in torch.randint(0, k, (2,), generator=g))
            if a != b and (a, b) not in edges and (b, a) not in edges:
                edges.append((a, b))
        e = torch.tensor(edges).T
        btype = torch.randint(0, BONDS, (e.shape[1],), generator=g)
        deg = torch.zeros(k).index_add_(0, e.reshape(-1), torch.ones(e.numel()))
        y = atom_w[types].sum() + bond_w[btype, types[e[0]], types[e[1]]].sum()
        y = y + 0.1 * (deg * (deg - 1) / 2).sum()  # 3-paths through each atom
        x = torch.cat([nn.functional.one_hot(types, ATOMS).float(), deg[:, None] / 4], 1)
        ea = nn.functional.one_hot(btype, BONDS).float()
        mols.append((x, torch.cat([e, e.flip(0)], 1), torch.cat([ea, ea]), float(y)))
    ys = torch.tensor([m[3] for m in mols])
    mu, sd = ys.mean(), ys.std()
    noise = 0.15 * torch.randn(n, generator=g)
    return [(x, e, ea, float((y - mu) / sd + z))
            for (x, e, ea, y), z in zip(mols, noise, strict=True)]


def collate(items):
    xs, es, eas, gs, off = [], [], [], [], 0
    for i, (x, e, ea, _) in enumerate(items):
        xs.append(x)
        es.append(e + off)
        eas.append(ea)
        gs.append(torch.full((len(x),), i))
        off += len(x)
    return (torch.cat(xs), torch.cat(es, 1), torch.cat(eas), torch.cat(gs),
            torch.tensor([it[3] for it in items]))


class MPNN(L.LightningModule):
    def __init__(self, lr=3e-3, steps=3):
        super().__init__()
        self.save_hyperparameters()
        self.embed = nn.Linear(ATOMS + 1, D)
        self.edge_net = nn.Sequential(nn.Linear(BONDS, 64), nn.ReLU(), nn.Linear(64, D * D))
        self.gru = nn.GRUCell(D, D)
        self.head = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, inputs, edge_index, edge_attr, graph):
        h = torch.relu(self.embed(inputs))
        w = self.edge_net(edge_attr).view(-1, D, D) / D ** 0.5
        for _ in range(self.hparams.steps):
            msg = torch.bmm(h[edge_index[0]].unsqueeze(1), w).squeeze(1)
            m = torch.zeros_like(h).index_add_(0, edge_index[1], msg)
            h = self.gru(m, h)
        pooled = torch.zeros(int(graph.max()) + 1, D).index_add_(0, graph, h)
        return self.head(pooled).squeeze(1)

    def training_step(self, batch, _):
        x, e, ea, gi, y = batch
        loss = nn.functional.mse_loss(self(x, e, ea, gi), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True, batch_size=len(y))
        return loss

    def validation_step(self, batch, _):
        x, e, ea, gi, y = batch
        pred = self(x, e, ea, gi)
        self.log("val_mse", nn.functional.mse_loss(pred, y), batch_size=len(y))
        self.log("val_mae", (pred - y).abs().mean(), batch_size=len(y))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return MPNN()


def main():
    from _fiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    mols = molecules(1500, g)
    tr, va = mols[:1200], mols[1200:]
    DL = torch.utils.data.DataLoader
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="mpnn"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), DL(tr, batch_size=32, shuffle=True, collate_fn=collate),
                DL(va, batch_size=300, collate_fn=collate))
    print(trainer.callback_metrics)
    x, e, ea, gi, y = collate(va[:32])
    finish(out, __file__, {"inputs": x, "edge_index": e, "edge_attr": ea, "graph": gi,
                           "targets": y}, causes=[],
           checkpoint="mpnn/version_0/checkpoints/last.ckpt", log="mpnn/version_0/metrics.csv",
           what="Lightning edge-conditioned MPNN (NNConv + GRU, sum readout), molecular "
                "property regression with measurement noise (healthy)")


if __name__ == "__main__":
    main()
