"""A two-tower recommender for article clicks: a user tower (id embedding + 8 profile features
-> MLP) and an item tower (id embedding + topic one-hot -> MLP), score = dot product, one
sampled negative per click, ``BCEWithLogitsLoss`` on the raw scores, Adagrad lr 0.05 (as in
the old TF-Recommenders examples), CSV log per epoch with val loss and AUC. Healthy: train
loss falls to ~0.38, val loss to ~0.52 (the id embeddings memorise a little; uniform negatives
are sometimes real likes, so val cannot reach 0) and val AUC rises to ~0.83."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

USERS, ITEMS, TOPICS = 300, 200, 8


def world(g):
    taste = torch.randn(USERS, TOPICS, generator=g)
    topic = torch.randint(0, TOPICS, (ITEMS,), generator=g)
    profile = taste + 0.3 * torch.randn(USERS, TOPICS, generator=g)
    return taste, topic, profile


def interactions(n, taste, topic, g):
    u = torch.randint(0, USERS, (n,), generator=g)
    pos = torch.multinomial(F.softmax(3 * taste[u][:, topic], 1), 1, generator=g)[:, 0]
    neg = torch.randint(0, ITEMS, (n,), generator=g)
    users = torch.cat([u, u])
    items = torch.cat([pos, neg])
    return torch.stack([users, items], 1), torch.cat([torch.ones(n), torch.zeros(n)])


class TwoTower(nn.Module):
    def __init__(self, profile, topic, d=32):
        super().__init__()
        self.register_buffer("profile", profile)
        self.register_buffer("topic", F.one_hot(topic, TOPICS).float())
        self.user_emb, self.item_emb = nn.Embedding(USERS, d), nn.Embedding(ITEMS, d)
        self.user_mlp = nn.Sequential(nn.Linear(d + TOPICS, 64), nn.ReLU(), nn.Linear(64, d))
        self.item_mlp = nn.Sequential(nn.Linear(d + TOPICS, 64), nn.ReLU(), nn.Linear(64, d))

    def forward(self, pairs):
        u, i = pairs[:, 0], pairs[:, 1]
        uv = self.user_mlp(torch.cat([self.user_emb(u), self.profile[u]], 1))
        iv = self.item_mlp(torch.cat([self.item_emb(i), self.topic[i]], 1))
        return (uv * iv).sum(1)


def build():
    taste, topic, profile = world(torch.Generator().manual_seed(42))
    torch.manual_seed(0)
    return TwoTower(profile, topic)


def auc(score, label):
    pos, neg = score[label == 1], score[label == 0]
    return (pos[:, None] > neg[None, :]).float().mean().item()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    taste, topic, _ = world(torch.Generator().manual_seed(42))
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = interactions(6000, taste, topic, g), interactions(1000, taste, topic, g)
    model = build()
    loss_fn = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_auc"])
        for epoch in range(7):
            model.train()
            perm, tot = torch.randperm(len(x), generator=g), 0.0
            for i in range(0, len(x), 256):
                idx = perm[i:i + 256]
                loss = loss_fn(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                s = model(vx)
            w.writerow([epoch, tot / len(x), loss_fn(s, vy).item(), auc(s, vy)])
            print(epoch, tot / len(x), loss_fn(s, vy).item(), auc(s, vy))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "two_tower.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=[], checkpoint="two_tower.pt",
           log="train_log.csv", what="two-tower recommender, Adagrad, BCE on logits (healthy)")


if __name__ == "__main__":
    main()
