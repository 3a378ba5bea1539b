"""SAINT-style tabular transformer (Somepalli et al. 2021) written by hand: predict churn of
synthetic subscription customers from 10 numeric columns (tenure, spend, tickets, …, all
standardised) and 3 categorical ones (plan, region, channel). The churn probability comes from
a logistic model with two interactions and a plan effect (about 30 % churn). Each column is
embedded to 16 (a Linear(1, 16) per numeric column, an Embedding per categorical one) beside a
CLS token; 2 blocks of column attention (pre-LN multi-head self-attention across the 14 tokens
and a feed-forward) followed by row attention (each row's flattened tokens attend across the
rows of the batch); an MLP head (64, 64) on the CLS token to one logit. BCE with logits,
AdamW 3e-4, batch 128, 400 steps over 4000 customers, 1000 held out. The log is a CSV every 25
steps.
Bug: a "make the embeddings start with unit variance" loop re-initialises **every** Linear
layer of the network (attention projections, feed-forwards, head) with ``normal_(std=1.0)``:
the feed-forward outputs on a batch are 10–70 in mean size (vs about 1 with PyTorch's default
init) and the head's logits about 70: the first 25 steps average a loss of
9.5, and after 400 steps the loss is still well above the same model's with the default init."""
import csv

import torch
import torch.nn as nn

NUM, CAT_CARD, D = 10, (4, 6, 3), 16
COLS = NUM + len(CAT_CARD) + 1


def customers(n, g):
    xn = torch.randn(n, NUM, generator=g)
    xc = torch.stack([torch.randint(0, c, (n,), generator=g) for c in CAT_CARD], 1)
    w = torch.randn(NUM, generator=g) * 0.6
    plan = torch.tensor([0.8, 0.0, -0.5, -1.2])
    logit = -0.9 + xn @ w + 0.9 * xn[:, 0] * xn[:, 1] - 0.7 * (xn[:, 2] > 0.5) * xn[:, 3]
    logit = logit + plan[xc[:, 0]]
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    return torch.cat([xn, xc.float()], 1), y


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.col_attn = nn.MultiheadAttention(D, 4, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(D, 2 * D), nn.GELU(), nn.Linear(2 * D, D))
        self.n3, self.n4 = nn.LayerNorm(COLS * D), nn.LayerNorm(COLS * D)
        self.row_attn = nn.MultiheadAttention(COLS * D, 4, batch_first=True)
        self.row_ff = nn.Sequential(nn.Linear(COLS * D, 64), nn.GELU(), nn.Linear(64, COLS * D))

    def forward(self, h):
        b = h.shape[0]
        a = self.n1(h)
        h = h + self.col_attn(a, a, a)[0]
        h = h + self.ff(self.n2(h))
        r = h.reshape(1, b, COLS * D)
        a = self.n3(r)
        r = r + self.row_attn(a, a, a)[0]
        r = r + self.row_ff(self.n4(r))
        return r.view(b, COLS, D)


class SAINT(nn.Module):
    def __init__(self):
        super().__init__()
        self.num_emb = nn.ModuleList(nn.Linear(1, D) for _ in range(NUM))
        self.cat_emb = nn.ModuleList(nn.Embedding(c, D) for c in CAT_CARD)
        self.cls = nn.Parameter(torch.zeros(1, 1, D))
        self.blocks = nn.Sequential(Block(), Block())
        self.head = nn.Sequential(nn.LayerNorm(D), nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64),
                                  nn.ReLU(), nn.Linear(64, 1))
        for m in self.modules():  # embeddings should start at unit variance
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=1.0)

    def forward(self, x):
        toks = [emb(x[:, i:i + 1]) for i, emb in enumerate(self.num_emb)]
        toks += [emb(x[:, NUM + j].long()) for j, emb in enumerate(self.cat_emb)]
        h = torch.cat([self.cls.expand(len(x), 1, D), torch.stack(toks, 1)], 1)
        return self.head(self.blocks(h)[:, 0]).squeeze(1)


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score).scatter_(0, order, torch.arange(1, len(score) + 1.0))
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def build():
    torch.manual_seed(0)
    return SAINT()


def main():
    from _fiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = customers(5000, g)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "saint_steps.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["step", "train_bce", "val_bce", "val_auc"])
        run = []
        for step in range(1, 401):
            model.train()
            idx = torch.randint(0, 4000, (128,), generator=g)
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.append(loss.item())
            if step % 25 == 0:
                model.eval()
                with torch.no_grad():
                    z = torch.cat([model(xva[i:i + 125]) for i in range(0, 1000, 125)])
                row = [step, round(sum(run) / len(run), 4), round(crit(z, yva).item(), 4),
                       round(auc(z, yva), 4)]
                w.writerow(row)
                print(row)
                run = []
    torch.save({"net": model.state_dict(), "opt_state": opt.state_dict(), "global_step": step},
               out / "saint_churn.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["bad_weight_init"],
           checkpoint="saint_churn.ckpt", log="saint_steps.csv",
           what="hand-written SAINT churn model, every Linear re-initialised normal(std=1)",
           complaint="the SAINT churn model starts with a huge loss, and after 400 steps the "
                     "validation loss is still around 0.7 and jumping around, AUC only 0.83; "
                     "the team's gradient boosting model does clearly better")


if __name__ == "__main__":
    main()
