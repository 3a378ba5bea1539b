"""PyTorch Lightning: ComplEx knowledge-graph completion on a synthetic supply-chain graph.
300 entities (suppliers, parts, plants …) in 30 types of 10, 8 relations; relation r maps a
head of type t to a tail of type perm_r(t), 3 tails per (head, relation) drawn from that
type, so a held-out (head, relation) → tail can be answered only at the type level (hits@10
is the honest metric; the exact tail is a 1-in-10 guess at best). ComplEx with rank 32
(real and imaginary tables), 1-N scoring against every entity, cross-entropy with label
smoothing 0.1, N3-style penalty 3e-3 on the looked-up factors, Adam 5e-3, batch 128, 12 epochs,
``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``. Healthy: val hits@10
0.78 and still creeping up while val MRR sits near 0.19 (the exact tail is a guess within a
type), the val loss levels at 3.50 above the train loss 2.72 (smoothing, three right tails per
query, a 1-in-10 answer at best)."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

ENT, TYPES, REL, RANK = 300, 30, 8, 32


def triples(g):
    etype = torch.arange(ENT) // (ENT // TYPES)
    perms = torch.stack([torch.randperm(TYPES, generator=g) for _ in range(REL)])
    rows = []
    for h in range(ENT):
        for r in range(REL):
            t_type = perms[r, etype[h]]
            cands = torch.nonzero(etype == t_type).squeeze(1)
            for t in cands[torch.randperm(len(cands), generator=g)[:3]]:
                rows.append((h, r, int(t)))
    data = torch.tensor(rows)
    return data[torch.randperm(len(data), generator=g)]


class ComplEx(L.LightningModule):
    def __init__(self, lr=5e-3, reg=3e-3, smoothing=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.ent_re, self.ent_im = nn.Embedding(ENT, RANK), nn.Embedding(ENT, RANK)
        self.rel_re, self.rel_im = nn.Embedding(REL, RANK), nn.Embedding(REL, RANK)
        for e in (self.ent_re, self.ent_im, self.rel_re, self.rel_im):
            nn.init.normal_(e.weight, std=0.1)

    def forward(self, hr):
        hre, him = self.ent_re(hr[:, 0]), self.ent_im(hr[:, 0])
        rre, rim = self.rel_re(hr[:, 1]), self.rel_im(hr[:, 1])
        a, b = hre * rre - him * rim, hre * rim + him * rre
        return a @ self.ent_re.weight.T + b @ self.ent_im.weight.T

    def training_step(self, batch, _):
        hr, t = batch
        loss = nn.functional.cross_entropy(self(hr), t, label_smoothing=self.hparams.smoothing)
        factors = [self.ent_re(hr[:, 0]), self.ent_im(hr[:, 0]), self.rel_re(hr[:, 1]),
                   self.rel_im(hr[:, 1]), self.ent_re(t), self.ent_im(t)]
        reg = sum(f.abs().pow(3).sum() for f in factors) / len(t)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss + self.hparams.reg * reg

    def validation_step(self, batch, _):
        hr, t = batch
        scores = self(hr)
        rank = (scores > scores.gather(1, t[:, None])).sum(1) + 1
        self.log("val_loss", nn.functional.cross_entropy(scores, t))
        self.log("val_mrr", (1.0 / rank.float()).mean())
        self.log("val_hits10", (rank <= 10).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return ComplEx()


def main():
    from _twentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = triples(g)
    tr, va = data[:6400], data[6400:]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(tr[:, :2], tr[:, 2]), batch_size=128, shuffle=True)
    val = torch.utils.data.DataLoader(ds(va[:, :2], va[:, 2]), batch_size=800)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="kg"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    finish(out, __file__, (va[:128, :2], va[:128, 2]), causes=[],
           checkpoint="kg/version_0/checkpoints/last.ckpt", log="kg/version_0/metrics.csv",
           what="Lightning ComplEx, 1-N scoring with label smoothing, N3 penalty (healthy)")


if __name__ == "__main__":
    main()
