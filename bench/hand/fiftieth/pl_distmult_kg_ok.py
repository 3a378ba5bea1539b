"""PyTorch Lightning: DistMult knowledge-graph embedding with negative sampling on a synthetic lab-
equipment graph. 400 entities in 20 groups of 20 (labs, instruments, people ...), 6 symmetric
relations (``shares_room_with``, ``co_author_of`` ...): relation r links a pair of groups (a,
π_r(a)) with π_r an involution, 2 partners drawn per (entity, relation) inside the partner
group; every edge stored both ways. DistMult (dim 48), 16 uniform tail corruptions per positive,
logistic (softplus) loss, L2 3e-4 on the looked-up embeddings, Adam 5e-3, batch 256, 10 epochs,
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Validation ranks the true
tail among all 400 entities (raw). Healthy: val hits@10 0.09 → 0.60–0.645 from epoch 4 on and
MRR level at 0.21 from epoch 4 — the held-out partner is one of 20 look-alikes in its group,
whose other members the model has no way to rank below it — while the train and val losses
(against random negatives) keep falling together (0.34 / 0.33 at the end): the negatives are
pushed away, the ranking inside the group cannot improve."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

ENT, GROUPS, REL, DIM, NEG = 400, 20, 6, 48, 16


def triples(g):
    group = torch.arange(ENT) // (ENT // GROUPS)
    edges = set()
    for r in range(REL):
        p = torch.randperm(GROUPS, generator=g).view(-1, 2)
        partner = torch.empty(GROUPS, dtype=torch.long)
        partner[p[:, 0]], partner[p[:, 1]] = p[:, 1], p[:, 0]
        for h in range(ENT):
            cands = torch.nonzero(group == partner[group[h]]).squeeze(1)
            for t in cands[torch.randperm(len(cands), generator=g)[:2]]:
                edges.add((h, r, int(t)))
                edges.add((int(t), r, h))
    data = torch.tensor(sorted(edges))
    return data[torch.randperm(len(data), generator=g)]


class DistMult(L.LightningModule):
    def __init__(self, lr=5e-3, l2=3e-4):
        super().__init__()
        self.save_hyperparameters()
        self.ent = nn.Embedding(ENT, DIM)
        self.rel = nn.Embedding(REL, DIM)
        nn.init.xavier_uniform_(self.ent.weight)
        nn.init.xavier_uniform_(self.rel.weight)

    def forward(self, hr):
        return (self.ent(hr[:, 0]) * self.rel(hr[:, 1])) @ self.ent.weight.T

    def score(self, h, r, t):
        return (self.ent(h) * self.rel(r) * self.ent(t)).sum(-1)

    def training_step(self, batch, _):
        hr, t = batch
        h, r = hr[:, 0], hr[:, 1]
        neg = torch.randint(0, ENT, (len(t), NEG), device=t.device)
        pos = self.score(h, r, t)
        negs = self.score(h[:, None], r[:, None], neg)
        loss = F.softplus(-pos).mean() + F.softplus(negs).mean()
        reg = self.ent(h).pow(2).sum(1).mean() + self.ent(t).pow(2).sum(1).mean() \
            + self.rel(r).pow(2).sum(1).mean()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss + self.hparams.l2 * reg

    def validation_step(self, batch, _):
        hr, t = batch
        scores = self(hr)
        pos = scores.gather(1, t[:, None])
        neg = scores.gather(1, torch.randint(0, ENT, (len(t), NEG)))
        rank = (scores > pos).sum(1) + 1
        self.log("val_loss", F.softplus(-pos).mean() + F.softplus(neg).mean())
        self.log("val_mrr", (1.0 / rank.float()).mean())
        self.log("val_hits10", (rank <= 10).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return DistMult()


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = triples(g)
    n_val = 600
    tr, va = data[n_val:], data[:n_val]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(tr[:, :2], tr[:, 2]), batch_size=256, shuffle=True)
    val = torch.utils.data.DataLoader(ds(va[:, :2], va[:, 2]), batch_size=600)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="distmult"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=5,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (va[:128, :2], va[:128, 2]), causes=[],
           checkpoint="distmult/version_0/checkpoints/last.ckpt",
           log="distmult/version_0/metrics.csv",
           what="Lightning DistMult, uniform negative sampling, symmetric relations (healthy)")


if __name__ == "__main__":
    main()
