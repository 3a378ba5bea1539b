"""Matrix factorisation for a small film-rating table (600 users x 400 films, 1-5 stars, 24k
observed ratings from a rank-4 taste model plus user / film offsets and noise): user and item
embeddings of 16, user and item biases, a global mean; ``forward(pairs)`` takes (N, 2) long
(user, item) pairs; MSE on the stars, Adam 1e-2, batch 512, 9 epochs, RMSE logged per epoch.
Bug: ``weight_decay=1.0``, the lambda of a paper's regularised objective copied into Adam's
``weight_decay`` (an L2 term added to every gradient): it pulls the embeddings, the biases and
the global mean towards 0, so the RMSE *rises* from the first epoch -- train 1.15 -> 1.58, val
1.17 -> 1.57, above the log's "predict each film's mean" baseline of 1.00 (weight decay 1e-4:
train 0.42, val 0.72)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

USERS, ITEMS = 600, 400


def ratings(g):
    pu, qi = torch.randn(USERS, 4, generator=g), torch.randn(ITEMS, 4, generator=g)
    bu, bi = 0.4 * torch.randn(USERS, generator=g), 0.6 * torch.randn(ITEMS, generator=g)
    n = 30000
    u = torch.randint(0, USERS, (n,), generator=g)
    i = torch.randint(0, ITEMS, (n,), generator=g)
    r = 3.4 + bu[u] + bi[i] + 0.45 * (pu[u] * qi[i]).sum(1) + 0.5 * torch.randn(n, generator=g)
    r = r.round().clamp(1, 5)
    return torch.stack([u, i], 1), r


class MF(nn.Module):
    def __init__(self, k=16):
        super().__init__()
        self.user_emb = nn.Embedding(USERS, k)
        self.item_emb = nn.Embedding(ITEMS, k)
        self.user_bias = nn.Embedding(USERS, 1)
        self.item_bias = nn.Embedding(ITEMS, 1)
        self.mu = nn.Parameter(torch.tensor(3.4))
        for e in (self.user_emb, self.item_emb):
            nn.init.normal_(e.weight, std=0.1)
        for e in (self.user_bias, self.item_bias):
            nn.init.zeros_(e.weight)

    def forward(self, pairs):
        u, i = pairs[:, 0], pairs[:, 1]
        dot = (self.user_emb(u) * self.item_emb(i)).sum(1)
        return self.mu + self.user_bias(u).squeeze(1) + self.item_bias(i).squeeze(1) + dot


def build():
    torch.manual_seed(0)
    return MF()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pairs, r = ratings(g)
    perm = torch.randperm(len(r), generator=g)
    tr, va = perm[:24000], perm[24000:]
    x, y, vx, vy = pairs[tr], r[tr], pairs[va], r[va]
    item_mean = torch.zeros(ITEMS).index_add_(0, x[:, 1], y) / torch.bincount(
        x[:, 1], minlength=ITEMS).clamp(min=1)
    baseline = (item_mean[vx[:, 1]] - vy).pow(2).mean().sqrt().item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1.0)  # BUG: the paper's lambda
    f = open(out / "mf_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_rmse", "val_rmse", "val_rmse_item_mean_baseline"])
    for epoch in range(9):
        model.train()
        se = 0.0
        for idx in torch.randperm(len(y), generator=g).split(512):
            loss = F.mse_loss(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            se += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vr = F.mse_loss(model(vx), vy).sqrt().item()
        w.writerow([epoch, (se / len(y)) ** 0.5, vr, baseline])
        print(epoch, round((se / len(y)) ** 0.5, 4), round(vr, 4), round(baseline, 4))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch}, out / "mf.pt")
    finish(out, __file__, (vx[:512], vy[:512]), causes=["over_regularization"],
           checkpoint="mf.pt", log="mf_history.csv",
           what="matrix factorisation, Adam weight_decay=1.0",
           complaint="film ratings MF: the RMSE goes up every epoch instead of down, train "
                     "1.15 -> 1.58 and val 1.17 -> 1.57, worse than just predicting each "
                     "film's average (1.00)")


if __name__ == "__main__":
    main()
