"""PyTorch Lightning: an ELMo-style bidirectional language model on synthetic recipe steps
("add two cups of flour to the bowl", "stir the sauce slowly for five minutes", ...) from a small
grammar with verb–object agreement (you knead dough, not soup), number agreement (one cup / two
cups) and optional adverbs and durations; 40 word types, 6–13 tokens with BOS / EOS, right-padded
to 14 with 0. ELMo's recipe at toy size: a token embedding of 32 shared by both directions, a
forward LSTM (2 layers, 48) predicting the next token and a separate backward LSTM predicting the
previous one, a projection to 32 and a softmax tied to the embedding and shared by both
directions; dropout 0.3 on the embeddings and between layers; the loss is the mean of the two
directions' cross-entropies over real tokens (padding ignored). ``forward(tokens)`` returns the
forward direction's next-token logits (B, 13, vocab), so the saved batch is ``(tokens,
tokens[:, 1:])``. Adam 5e-3, gradient clipping 1.0, batch 32, 8 epochs of 1600 sentences;
``CSVLogger`` → ``metrics.csv`` (train loss per 10 steps and per epoch, val loss, val
perplexity), ``ModelCheckpoint(save_last=True)``. Healthy: val loss 0.82, val perplexity 2.27 (the grammar's own
entropy leaves several good next words in most positions; a unigram model is at 25.4), reached
by epoch 3 and then flat for 5 epochs (the entropy floor), with a train loss that sits above
the val loss throughout (0.84 vs 0.82 at the end: dropout is only on in training)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

LEN = 14
WORDS = ("<pad> <bos> <eos> add stir knead chop pour bake the a one two three cup cups "
         "spoon spoons of flour sugar water milk dough sauce onion onions carrots to into bowl "
         "pan oven slowly gently well for minutes five ten").split()
IDX = {w: i for i, w in enumerate(WORDS)}
VOCAB = len(WORDS)


def sentence(g):
    def pick(opts):
        return opts[int(torch.randint(0, len(opts), (1,), generator=g))]
    verb = pick(["add", "stir", "knead", "chop", "pour", "bake"])
    if verb in ("add", "pour"):
        n = pick(["one", "two", "three", "a"])
        unit = pick(["cup", "spoon"]) if n in ("one", "a") else pick(["cups", "spoons"])
        obj = pick(["flour", "sugar", "water", "milk"] if verb == "add" else ["water", "milk"])
        s = [verb, n, unit, "of", obj, pick(["to", "into"]), "the", pick(["bowl", "pan"])]
    elif verb == "knead":
        s = [verb, "the", "dough"]
    elif verb == "chop":
        s = [verb, "the", pick(["onion", "onions", "carrots"])]
    elif verb == "bake":
        s = [verb, "the", "dough", "into", "the", "oven"][:3 + 3 * (float(torch.rand(1, generator=g)) < 0.3)]
    else:
        s = [verb, "the", pick(["sauce", "dough", "milk"])]
    if float(torch.rand(1, generator=g)) < 0.5:
        s.append(pick(["slowly", "gently", "well"]))
    if float(torch.rand(1, generator=g)) < 0.4:
        s += ["for", pick(["five", "ten"]), "minutes"]
    ids = [IDX["<bos>"]] + [IDX[w] for w in s] + [IDX["<eos>"]]
    return ids[:LEN] + [0] * (LEN - len(ids))


def corpus(n, g):
    return torch.tensor([sentence(g) for _ in range(n)])


class BiLM(L.LightningModule):
    def __init__(self, dim=32, hidden=48, lr=5e-3, dropout=0.3):
        super().__init__()
        self.save_hyperparameters()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=0)
        self.fwd = nn.LSTM(dim, hidden, 2, batch_first=True, dropout=dropout)
        self.bwd = nn.LSTM(dim, hidden, 2, batch_first=True, dropout=dropout)
        self.proj_f, self.proj_b = nn.Linear(hidden, dim), nn.Linear(hidden, dim)
        self.drop = nn.Dropout(dropout)

    def _lm(self, lstm, proj, tokens):
        h, _ = lstm(self.drop(self.emb(tokens)))
        return proj(self.drop(h)) @ self.emb.weight.t()

    def forward(self, tokens):
        return self._lm(self.fwd, self.proj_f, tokens[:, :-1])

    def backward_logits(self, tokens):
        lengths = (tokens != 0).sum(1)
        rev = torch.stack([torch.cat([t[:n].flip(0), t[n:]]) for t, n in zip(tokens, lengths)])  # noqa: B905
        return self._lm(self.bwd, self.proj_b, rev[:, :-1]), rev[:, 1:]

    def _loss(self, tokens):
        f = F.cross_entropy(self(tokens).transpose(1, 2), tokens[:, 1:], ignore_index=0)
        bl, bt = self.backward_logits(tokens)
        b = F.cross_entropy(bl.transpose(1, 2), bt, ignore_index=0)
        return (f + b) / 2

    def training_step(self, batch, _):
        loss = self._loss(batch[0])
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        loss = self._loss(batch[0])
        self.log("val_loss", loss)
        self.log("val_ppl", loss.exp())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return BiLM()


def main():
    from _ninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr, va = corpus(1600, g), corpus(320, g)
    ds = torch.utils.data.TensorDataset
    train = torch.utils.data.DataLoader(ds(tr, tr[:, 1:]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(va, va[:, 1:]), batch_size=320)
    L.seed_everything(0)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="bilm"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=10,
                        gradient_clip_val=1.0, enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (va[:64], va[:64, 1:]), causes=[],
           checkpoint="bilm/version_0/checkpoints/last.ckpt", log="bilm/version_0/metrics.csv",
           what="Lightning ELMo-style biLM (two LSTM directions, tied softmax) on recipe steps "
                "(healthy)")


if __name__ == "__main__":
    main()
