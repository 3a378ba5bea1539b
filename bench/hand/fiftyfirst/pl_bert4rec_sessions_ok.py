"""PyTorch Lightning: a BERT4Rec-style masked item model on synthetic shop sessions. 120 items
in 6 categories; a session is 16 items that mostly walk forward inside one category (the next
item is 1–2 places on, 20 % of the time a random item of the category, 5 % a stray click on
any item). Item embedding 64 (+ a mask token and positions), 2 transformer encoder layers (4
heads, feed-forward 128, dropout 0.1), a linear head over the items. Training masks 20 % of the
positions afresh for every batch (in the collate function) and takes cross-entropy on them
(labels −100 elsewhere); validation masks the last item of held-out sessions (loss and
hit-rate@10). Adam 3e-3, batch 64, 20 epochs over 2000 sessions, 400 held out; ``CSVLogger`` →
``metrics.csv`` (train_loss per 10 steps, val_loss, val_hr10), ``ModelCheckpoint(save_last=True)``.
Healthy: val loss sits near 3.3 (the category's items, HR@10 0.5) for 11 epochs until the
attention finds the previous position, then falls to 2.40 with HR@10 0.81 — better than a
count-based bigram predictor on the same sessions (2.48, 0.78). The train loss (1.5) is lower
because a masked middle item sees both neighbours; the last item sees one."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

ITEMS, LEN, CATS = 120, 16, 6
MASK = ITEMS  # the mask token's id


def sessions(n, g):
    per = ITEMS // CATS
    cat = torch.randint(0, CATS, (n,), generator=g)
    s = torch.empty(n, LEN, dtype=torch.long)
    pos = torch.randint(0, per, (n,), generator=g)
    for t in range(LEN):
        s[:, t] = cat * per + pos
        r = torch.rand(n, generator=g)
        step = torch.randint(1, 3, (n,), generator=g)
        pos = torch.where(r < 0.8, (pos + step) % per, torch.randint(0, per, (n,), generator=g))
        noise = r > 0.95  # a stray click on any item; the walk goes on from where it was
        s[noise, t] = torch.randint(0, ITEMS, (int(noise.sum()),), generator=g)
    return s


def mask_random(s, g=None, rate=0.2):
    m = torch.rand(s.shape, generator=g) < rate
    m[:, -1] |= ~m.any(1)
    return torch.where(m, MASK, s), torch.where(m, s, -100)


def masked_batch(rows):  # collate: a fresh mask every time a session is drawn
    return mask_random(torch.stack(rows))


class BERT4Rec(L.LightningModule):
    def __init__(self, d=64, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.item = nn.Embedding(ITEMS + 1, d)
        self.pos = nn.Embedding(LEN, d)
        layer = nn.TransformerEncoderLayer(d, 4, 128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, ITEMS)

    def forward(self, seq):
        return self.head(self.norm(self.encoder(self.item(seq) + self.pos.weight)))

    def training_step(self, batch, _):
        seq, labels = batch
        loss = nn.functional.cross_entropy(self(seq).reshape(-1, ITEMS), labels.reshape(-1))
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        seq, labels = batch
        logits = self(seq)[:, -1]
        self.log("val_loss", nn.functional.cross_entropy(logits, labels[:, -1]))
        top = logits.topk(10, 1).indices
        self.log("val_hr10", (top == labels[:, -1:]).any(1).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return BERT4Rec()


def main():
    from _fiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = sessions(2400, g)
    tr_seq, tr_lab = mask_random(s[:64], g)  # one fixed masked batch, for dldoctor
    va = s[2000:]
    va_seq = va.clone()
    va_seq[:, -1] = MASK
    va_lab = torch.full_like(va, -100)
    va_lab[:, -1] = va[:, -1]
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(list(s[:2000]), batch_size=64, shuffle=True,
                                        collate_fn=masked_batch)
    val = torch.utils.data.DataLoader(ds(va_seq, va_lab), batch_size=400)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="bert4rec"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (tr_seq[:64], tr_lab[:64]), causes=[],
           checkpoint="bert4rec/version_0/checkpoints/last.ckpt",
           log="bert4rec/version_0/metrics.csv",
           what="Lightning BERT4Rec-style masked item model on shop sessions (healthy)")


if __name__ == "__main__":
    main()
