"""PyTorch Lightning: a Linformer-style text classifier (self-attention whose keys and values
are projected along the sequence from n = 64 to k = 16 by learned E, F matrices shared across
heads) on synthetic token sequences. Vocabulary 60 (0 = padding), 4 classes; a sequence of
24–64 tokens is filler with 2–4 cue tokens of its class placed anywhere, and 15 % of the
filler also carries one cue token of a different class (so a single cue is not enough, the
counts decide); 5 % of the labels are wrong. 2 pre-LN blocks, d 48, 4 heads, dropout 0.2,
mean pooling over the non-padded positions; Adam 2e-3, batch 64, 3 epochs
over 3 200 sequences. ``CSVLogger`` →
``metrics.csv`` (train loss every 10 steps, val loss / val acc per epoch),
``ModelCheckpoint(save_last=True)``. Healthy: val accuracy 0.91 and val loss 0.41, still
falling at the end (label noise and stray cues cap it near there); the train loss is noisy
(0.30–0.51 over the last steps)."""
import lightning as L
import torch
import torch.nn as nn
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

VOCAB, N, K, CLASSES = 60, 64, 16, 4


def sequences(n, g):
    cues = torch.arange(4, 4 + CLASSES * 4).view(CLASSES, 4)
    y = torch.randint(0, CLASSES, (n,), generator=g)
    lengths = torch.randint(24, N + 1, (n,), generator=g)
    ids = torch.randint(20, VOCAB, (n, N), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]), generator=g)[:k + 1]
        ids[i, pos[:k]] = cues[y[i], torch.randint(0, 4, (k,), generator=g)]
        if torch.rand(1, generator=g).item() < 0.15:
            other = (y[i] + int(torch.randint(1, CLASSES, (1,), generator=g))) % CLASSES
            ids[i, pos[k]] = cues[other, int(torch.randint(0, 4, (1,), generator=g))]
    ids = ids * (torch.arange(N)[None] < lengths[:, None])
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, (y + torch.randint(1, CLASSES, (n,), generator=g)) % CLASSES, y)
    return ids, y


class LinformerBlock(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.E = nn.Parameter(torch.randn(K, N) / N ** 0.5)
        self.F = nn.Parameter(torch.randn(K, N) / N ** 0.5)
        self.proj = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        b, n, d = x.shape
        h = self.ln1(x) * mask[..., None]
        q, k, v = self.qkv(h).chunk(3, -1)
        k, v = self.E @ k, self.F @ v                                   # (b, K, d)
        q = q.view(b, n, self.heads, -1).transpose(1, 2)
        k = k.view(b, K, self.heads, -1).transpose(1, 2)
        v = v.view(b, K, self.heads, -1).transpose(1, 2)
        att = (q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5).softmax(-1)
        x = x + self.drop(self.proj((att @ v).transpose(1, 2).reshape(b, n, d)))
        return x + self.drop(self.ff(self.ln2(x)))


class LinformerClassifier(L.LightningModule):
    def __init__(self, d=48, heads=4, dropout=0.2, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.embed = nn.Embedding(VOCAB, d, padding_idx=0)
        self.pos = nn.Parameter(0.02 * torch.randn(1, N, d))
        self.blocks = nn.ModuleList([LinformerBlock(d, heads, dropout) for _ in range(2)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, CLASSES)

    def forward(self, ids):
        mask = (ids != 0).float()
        x = self.embed(ids) + self.pos
        for blk in self.blocks:
            x = blk(x, mask)
        x = (self.ln(x) * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.head(x)

    def training_step(self, batch, _):
        ids, y = batch
        loss = nn.functional.cross_entropy(self(ids), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        ids, y = batch
        logits = self(ids)
        self.log("val_loss", nn.functional.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return LinformerClassifier()


def main():
    from _thirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = sequences(3600, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(ids[:3200], y[:3200]), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(ds(ids[3200:], y[3200:]), batch_size=400)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=3, logger=CSVLogger(str(out), name="linformer"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (ids[3200:3264], y[3200:3264]), causes=[],
           checkpoint="linformer/version_0/checkpoints/last.ckpt",
           log="linformer/version_0/metrics.csv",
           what="Lightning Linformer-style classifier on synthetic token sequences (healthy)")


if __name__ == "__main__":
    main()
