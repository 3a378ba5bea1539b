"""PyTorch Lightning: a Transformer-XL-style language model (Dai et al. 2019) on a synthetic
token stream. Segment-level recurrence: each segment of 32 tokens attends to its own causal past
and to a memory of the previous segment's hidden states at every layer (the memory is stored
detached, as in the paper), with a learned per-head relative-distance bias instead of absolute
positions. 2 layers, d 64, 4 heads, vocabulary 48, dropout 0.1. The stream: a sparse first-order
Markov chain (each token has 3 successors, p 0.6 / 0.25 / 0.15; 5 % of the tokens uniform noise)
in which every 40th token repeats the token 40 positions earlier — only a model that sees past
the 32-token segment (through the memory) can predict those. 16 parallel columns of the training
stream are read in order (no shuffling: the memory needs consecutive segments), AdamW 2e-3, 6
epochs of 60 segments; ``CSVLogger`` → ``metrics.csv``, ``ModelCheckpoint(save_last=True)``.
Healthy: the validation loss is 1.41 after the first epoch and levels at 1.349 (the stream's
entropy rate is ≈ 1.28 nats: the successor choice and the noise tokens are not learnable), the
epoch train loss 1.30 just below it with dropout on; the per-step train loss is noisy."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

VOCAB, D, HEADS, LAYERS, SEG, MEM, COLS = 48, 64, 4, 2, 32, 32, 16


def stream(n, g):
    nxt = torch.randint(0, VOCAB, (VOCAB, 3), generator=g)
    probs = torch.tensor([0.6, 0.25, 0.15])
    out = torch.randint(0, VOCAB, (n,), generator=g)
    choice = torch.multinomial(probs, n, replacement=True, generator=g)
    noise = torch.rand(n, generator=g) < 0.05
    for t in range(2, n):
        if t >= 40 and t % 40 == 0:
            out[t] = out[t - 40]
        elif not noise[t]:
            out[t] = nxt[out[t - 1], choice[t]]
    return out


class XLLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.out = nn.Linear(D, D)
        self.rel_bias = nn.Parameter(torch.zeros(HEADS, SEG + MEM))
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.ff = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))
        self.drop = nn.Dropout(0.1)

    def forward(self, h, mem):
        b, s, _ = h.shape
        ctx = torch.cat([mem, h], 1)
        m = ctx.shape[1] - s
        q = self.qkv(self.ln1(h))[..., :D]
        k, v = self.qkv(self.ln1(ctx))[..., D:].split(D, -1)
        q, k, v = (t.view(b, -1, HEADS, D // HEADS).transpose(1, 2) for t in (q, k, v))
        dist = (torch.arange(s)[:, None] + m) - torch.arange(ctx.shape[1])[None]
        att = q @ k.transpose(-1, -2) / math.sqrt(D // HEADS)
        att = att + self.rel_bias[:, dist.clamp(0, SEG + MEM - 1)]
        att = att.masked_fill(dist[None, None] < 0, float("-inf"))
        y = (F.softmax(att, -1) @ v).transpose(1, 2).reshape(b, s, D)
        h = h + self.drop(self.out(y))
        return h + self.drop(self.ff(self.ln2(h)))


class TransformerXL(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, D)
        self.layers = nn.ModuleList(XLLayer() for _ in range(LAYERS))
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, VOCAB)
        self.mems = None

    def forward(self, x, mems=None):
        h = self.emb(x)
        new = []
        for i, layer in enumerate(self.layers):
            new.append(h.detach()[:, -MEM:])
            mem = mems[i] if mems is not None else h[:, :0]
            h = layer(h, mem)
        self.last_mems = new
        return self.head(self.norm(h))

    def step(self, batch):
        x, y = batch
        x, y = x[0], y[0]                     # one (COLS, SEG) segment per loader item
        if self.mems is not None and self.mems[0].shape[0] != x.shape[0]:
            self.mems = None
        logits = self(x, self.mems)
        self.mems = self.last_mems
        return F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))

    def on_train_epoch_start(self):
        self.mems = None

    def on_validation_epoch_start(self):
        self.train_mems, self.mems = self.mems, None

    def on_validation_epoch_end(self):
        self.mems = self.train_mems

    def training_step(self, batch, _):
        loss = self.step(batch)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        loss = self.step(batch)
        self.log("val_loss", loss)
        self.log("val_ppl", loss.exp())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)


class Segments(torch.utils.data.Dataset):
    def __init__(self, tokens):
        n = (len(tokens) - 1) // COLS
        self.x = tokens[:n * COLS].view(COLS, n)
        self.y = tokens[1:n * COLS + 1].view(COLS, n)
        self.count = n // SEG

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        return self.x[:, i * SEG:(i + 1) * SEG], self.y[:, i * SEG:(i + 1) * SEG]


def build():
    torch.manual_seed(0)
    return TransformerXL()


def main():
    from _fiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tokens = stream(COLS * SEG * 60 + COLS * SEG * 12 + 2, g)
    split = COLS * SEG * 60 + 1
    train, val = Segments(tokens[:split]), Segments(tokens[split - 1:])
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=6, logger=CSVLogger(str(out), name="txl"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        enable_model_summary=False)
    trainer.fit(build(), torch.utils.data.DataLoader(train, batch_size=1, shuffle=False),
                torch.utils.data.DataLoader(val, batch_size=1))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    x, y = val[0]
    finish(out, __file__, (x, y), causes=[],
           checkpoint="txl/version_0/checkpoints/last.ckpt", log="txl/version_0/metrics.csv",
           what="Lightning Transformer-XL-style LM with segment memory on a synthetic stream "
                "(healthy)")


if __name__ == "__main__":
    main()
