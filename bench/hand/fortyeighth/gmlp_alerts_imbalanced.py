"""gMLP (Liu et al. 2021) written by hand: flag security-relevant lines in synthetic server
logs. A line is 24 tokens from a 200-token vocabulary; a relevant line carries two of 8
"incident" tokens (and common tokens around them); of the ordinary lines 25 % carry one and 6 %
two (so a line with two is relevant about a third of the time). Embedding
32, two gMLP blocks (LayerNorm, channel projection 32 → 64, GELU, spatial gating unit: half the
channels LayerNorm'd and mixed across the 24 positions by a Linear started at weight ≈ 0,
bias 1, times the other half, projection back, residual), mean pool, linear head to one logit.
BCEWithLogits, Adam 1e-3, batch 64, 8 epochs over 4000 lines, 1000 held out; the log is a CSV
per epoch (train loss, val loss, val accuracy, val recall and precision of the flagged class).
Bug: only 3 % of the lines are relevant, and the loss is a plain ``BCEWithLogitsLoss()`` with no
``pos_weight`` (nor a balanced sampler), so the model settles on "never flag"."""
import csv

import torch
import torch.nn as nn

VOCAB, LEN, POS_RATE, POS_WEIGHT = 200, 24, 0.03, None


def log_lines(n, g):
    x = torch.randint(20, VOCAB, (n, LEN), generator=g)
    y = (torch.rand(n, generator=g) < POS_RATE).float()
    for i in range(n):
        r = float(torch.rand(1, generator=g))
        k = 2 if y[i] else (2 if r < 0.06 else int(r < 0.31))
        pos = torch.randperm(LEN, generator=g)[:k]
        x[i, pos] = torch.randint(0, 8, (k,), generator=g)
    return x, y


class SpatialGatingUnit(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.spatial = nn.Linear(LEN, LEN)
        nn.init.uniform_(self.spatial.weight, -1e-3, 1e-3)
        nn.init.ones_(self.spatial.bias)

    def forward(self, x):
        u, v = x.chunk(2, dim=-1)
        v = self.spatial(self.norm(v).transpose(1, 2)).transpose(1, 2)
        return u * v


class GMLPBlock(nn.Module):
    def __init__(self, d=32, ff=64):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.proj_in = nn.Linear(d, ff)
        self.sgu = SpatialGatingUnit(ff // 2)
        self.proj_out = nn.Linear(ff // 2, d)

    def forward(self, x):
        return x + self.proj_out(self.sgu(nn.functional.gelu(self.proj_in(self.norm(x)))))


class GMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.blocks = nn.Sequential(GMLPBlock(), GMLPBlock())
        self.norm = nn.LayerNorm(32)
        self.head = nn.Linear(32, 1)

    def forward(self, tokens):
        return self.head(self.norm(self.blocks(self.emb(tokens))).mean(1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return GMLP()


def main():
    from _fortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = log_lines(5000, g)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss(pos_weight=POS_WEIGHT)
    with open(out / "gmlp_train.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_recall_pos",
                    "val_precision_pos"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(4000, generator=g)
            tot = 0.0
            for i in range(0, 4000, 64):
                idx = perm[i:i + 64]
                loss = crit(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                z = model(xva)
                vl = nn.functional.binary_cross_entropy_with_logits(z, yva).item()
                p = (z > 0).float()
                tp = (p * yva).sum().item()
                rec, prec = tp / max(yva.sum().item(), 1), tp / max(p.sum().item(), 1)
                acc = (p == yva).float().mean().item()
            row = [epoch, round(tot / 4000, 4), round(vl, 4), round(acc, 4), round(rec, 4),
                   round(prec, 4)]
            w.writerow(row)
            print(row, int(yva.sum().item()))
    torch.save({"gmlp": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "gmlp_alerts.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["class_imbalance"],
           checkpoint="gmlp_alerts.ckpt", log="gmlp_train.csv",
           what="hand-written gMLP flagging 3 % relevant log lines, unweighted BCE",
           complaint="the alert classifier shows 97 % validation accuracy but it basically "
                     "never flags anything, it misses almost every real incident line")


if __name__ == "__main__":
    main()
