"""A two-tower recommender for a recipe site: a user tower (id embedding 32 + 6 profile
features -> MLP -> 32) and an item tower (id embedding 32 + 8 recipe tags -> MLP -> 32), the
score is their dot product, binary cross-entropy with logits on clicks (1 positive : 3 sampled
negatives per user), Adam 3e-3, batch 256, 10 epochs. ``forward(users, items)`` gives the
logits. Bug: to "save memory" the user vectors are computed under ``torch.no_grad()`` in the
training loop (they were meant to be cached for serving), so the user tower -- its id
embeddings and MLP -- never gets a gradient and stays at its random init; only the item tower
learns: val AUC 0.61 (user tower trained: 0.74)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

USERS, ITEMS, DIM = 800, 500, 32


def world(g):
    taste = torch.randn(USERS, 8, generator=g)
    profile = torch.cat([taste[:, :3] + 0.5 * torch.randn(USERS, 3, generator=g),
                         torch.randn(USERS, 3, generator=g)], 1)
    style = torch.randn(ITEMS, 8, generator=g)
    tags = (style + 0.5 * torch.randn(ITEMS, 8, generator=g) > 0.8).float()
    return taste, profile, style, tags


def interactions(n, g, taste, style):
    u = torch.randint(0, USERS, (n,), generator=g)
    i = torch.randint(0, ITEMS, (n,), generator=g)
    logit = (taste[u] * style[i]).sum(1) / 2 - 1.2
    click = (torch.rand(n, generator=g) < torch.sigmoid(2 * logit)).float()
    return u, i, click


class TwoTower(nn.Module):
    def __init__(self, profile, tags):
        super().__init__()
        self.register_buffer("profile", profile)
        self.register_buffer("tags", tags)
        self.user_emb, self.item_emb = nn.Embedding(USERS, DIM), nn.Embedding(ITEMS, DIM)
        self.user_mlp = nn.Sequential(nn.Linear(DIM + 6, 64), nn.ReLU(), nn.Linear(64, DIM))
        self.item_mlp = nn.Sequential(nn.Linear(DIM + 8, 64), nn.ReLU(), nn.Linear(64, DIM))

    def user_tower(self, users):
        return self.user_mlp(torch.cat([self.user_emb(users), self.profile[users]], 1))

    def item_tower(self, items):
        return self.item_mlp(torch.cat([self.item_emb(items), self.tags[items]], 1))

    def forward(self, users, items):
        return (self.user_tower(users) * self.item_tower(items)).sum(1)


def build():
    torch.manual_seed(0)
    _, profile, _, tags = world(torch.Generator().manual_seed(0))
    return TwoTower(profile, tags)


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(order, dtype=torch.float)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=torch.float)
    pos = y.bool()
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return ((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)).item()


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    taste, _, style, _ = world(g)
    u, i, y = interactions(60000, g, taste, style)
    vu, vi, vy = interactions(8000, g, taste, style)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "recs_train.jsonl", "w")
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(y), generator=g).split(256):
            with torch.no_grad():  # BUG: "save memory" -- the user tower never gets a gradient
                user_vec = model.user_tower(u[idx])
            logits = (user_vec * model.item_tower(i[idx])).sum(1)
            loss = F.binary_cross_entropy_with_logits(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            o = model(vu, vi)
        rec = {"epoch": epoch, "train_bce": tot / len(y),
               "val_bce": F.binary_cross_entropy_with_logits(o, vy).item(), "val_auc": auc(o, vy)}
        log.write(json.dumps(rec) + "\n")
        print({k: round(v, 4) for k, v in rec.items()})
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "two_tower.pt")
    finish(out, __file__, {"inputs": vu[:512], "items": vi[:512], "targets": vy[:512]},
           causes=["gradient_not_flowing"], checkpoint="two_tower.pt", log="recs_train.jsonl",
           what="two-tower recommender, user tower run under torch.no_grad() in training",
           complaint="recommender val AUC only gets to 0.61 in 10 epochs and the val loss goes "
                     "up from 0.537 to 0.550 while the train loss keeps falling to 0.467")


if __name__ == "__main__":
    main()
