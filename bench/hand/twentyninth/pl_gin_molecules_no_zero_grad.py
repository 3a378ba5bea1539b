"""PyTorch Lightning: a graph isomorphism network (GIN) classifies small molecule-like graphs.
A graph is a carbon backbone of 6–16 atoms (a chain with branches, one ring closure in half
of them) with some atoms swapped for N, O, S or Cl; "active" graphs (half) carry a nitro-like
group, an N bonded to two O atoms, that inactive ones never have (they hold N and O atoms
too, never two O on one N); 5 % of the labels are flipped (assay noise). Node features are the
one-hot element (5); GIN layers ``h' = MLP((1 + eps) h + Σ neighbours)`` (3 layers, hidden 64,
learnable eps, BatchNorm in the MLPs), a sum readout of every layer's node states, a linear
head. Graphs are batched block-diagonally (``forward(x, edge_index, graph_index)``). SGD 0.002
momentum 0.9, batch 32, 15 epochs over 800 graphs, 200 for validation. The author switched to
manual optimisation to step a linear warm-up by hand (``automatic_optimization = False``, the
lr of each param group set before ``manual_backward`` and ``opt.step()``); ``CSVLogger`` →
``metrics.csv``, ``ModelCheckpoint(save_last=True)`` → ``last.ckpt``.
Bug: with manual optimisation Lightning no longer zeroes the gradients, and the training
step has no ``opt.zero_grad()``: each step's gradient is added to the sum of all earlier
ones, so the step grows with the number of steps taken (the losses reach 1e13 in the fourth
epoch) and the run never settles where the same script with ``opt.zero_grad()`` does."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

ELEMENTS = 5  # C, N, O, S, Cl


def molecule(active, g):
    n = int(torch.randint(6, 17, (1,), generator=g))
    edges = [(i, int(torch.randint(max(0, i - 3), i, (1,), generator=g))) for i in range(1, n)]
    if torch.rand(1, generator=g) < 0.5 and n > 5:
        a = int(torch.randint(0, n - 4, (1,), generator=g))
        edges.append((a, a + 4))
    elem = torch.zeros(n, dtype=torch.long)
    swap = torch.rand(n, generator=g) < 0.25
    elem[swap] = torch.randint(1, ELEMENTS, (int(swap.sum()),), generator=g)
    # no N may carry two O unless the motif is planted: turn a second O on an N into S
    for _ in range(2):
        for i in range(n):
            if elem[i] == 1:
                nbrs = [b for a, b in edges if a == i] + [a for a, b in edges if b == i]
                os_ = [j for j in nbrs if elem[j] == 2]
                for j in os_[1:]:
                    elem[j] = 3
    if active:
        hub = int(torch.randint(0, n, (1,), generator=g))
        elem[hub] = 1
        edges += [(n, hub), (n + 1, hub)]
        elem = torch.cat([elem, torch.tensor([2, 2])])
        n += 2
    x = F.one_hot(elem, ELEMENTS).float()
    e = torch.tensor(edges).T
    return x, torch.cat([e, e.flip(0)], 1)


def collate(items):
    xs, es, gi, ys, offset = [], [], [], [], 0
    for k, (x, e, y) in enumerate(items):
        xs.append(x)
        es.append(e + offset)
        gi.append(torch.full((len(x),), k))
        ys.append(y)
        offset += len(x)
    return torch.cat(xs), torch.cat(es, 1), torch.cat(gi), torch.stack(ys)


class GINLayer(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.eps = nn.Parameter(torch.zeros(1))
        self.mlp = nn.Sequential(nn.Linear(fin, fout), nn.BatchNorm1d(fout), nn.ReLU(),
                                 nn.Linear(fout, fout), nn.ReLU())

    def forward(self, h, edge_index):
        agg = torch.zeros_like(h).index_add_(0, edge_index[1], h[edge_index[0]])
        return self.mlp((1 + self.eps) * h + agg)


class GIN(L.LightningModule):
    def __init__(self, hidden=64, lr=0.002, warmup=50):
        super().__init__()
        self.save_hyperparameters()
        self.automatic_optimization = False
        self.layers = nn.ModuleList([GINLayer(ELEMENTS, hidden), GINLayer(hidden, hidden),
                                     GINLayer(hidden, hidden)])
        self.head = nn.Linear(ELEMENTS + 3 * hidden, 2)

    def forward(self, x, edge_index, graph_index):
        graphs = int(graph_index.max()) + 1
        h, readouts = x, [x]
        for layer in self.layers:
            h = layer(h, edge_index)
            readouts.append(h)
        pooled = [torch.zeros(graphs, r.shape[1]).index_add_(0, graph_index, r)
                  for r in readouts]
        return self.head(torch.cat(pooled, 1))

    def training_step(self, batch, _):
        opt = self.optimizers()
        x, e, gi, y = batch
        loss = F.cross_entropy(self(x, e, gi), y)
        for group in opt.param_groups:  # linear warm-up, stepped by hand
            group["lr"] = self.hparams.lr * min(1.0, (self.global_step + 1) / self.hparams.warmup)
        self.manual_backward(loss)
        opt.step()
        self.log("train_loss", loss, on_step=True, on_epoch=True, batch_size=len(y))

    def validation_step(self, batch, _):
        x, e, gi, y = batch
        logits = self(x, e, gi)
        self.log("val_loss", F.cross_entropy(logits, y), batch_size=len(y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), batch_size=len(y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def build():
    torch.manual_seed(0)
    return GIN()


def main():
    from _twentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = []
    for i in range(1000):
        active = i % 2 == 0
        x, e = molecule(active, g)
        label = int(active) ^ int(torch.rand(1, generator=g) < 0.05)
        data.append((x, e, torch.tensor(label)))
    order = torch.randperm(1000, generator=g).tolist()
    data = [data[i] for i in order]
    train = torch.utils.data.DataLoader(data[:800], batch_size=32, shuffle=True,
                                        collate_fn=collate)
    val = torch.utils.data.DataLoader(data[800:], batch_size=200, collate_fn=collate)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=15, logger=CSVLogger(str(out), name="gin"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    model = build()
    trainer.fit(model, train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    x, e, gi, y = collate(data[800:832])
    finish(out, __file__, {"inputs": x, "edge_index": e, "graph_index": gi, "targets": y},
           causes=["missing_zero_grad"], checkpoint="gin/version_0/checkpoints/last.ckpt",
           log="gin/version_0/metrics.csv",
           what="Lightning GIN, manual optimisation (warm-up stepped by hand), "
                "no opt.zero_grad()",
           complaint="GIN on the molecule graphs: the loss blows up to astronomically large "
                     "numbers in the first epochs, then comes back down but never below about "
                     "7, and validation accuracy is stuck around 0.75-0.8")

if __name__ == "__main__":
    main()
