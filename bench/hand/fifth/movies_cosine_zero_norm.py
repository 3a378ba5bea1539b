"""Movie ratings (1-5 stars) with a two-tower embedding model scored by cosine similarity,
written by hand: ``(u * m).sum(-1) / (u.norm(dim=-1) * m.norm(dim=-1))``. Movies unseen
when the id map was built are mapped to id 0, the embedding's ``padding_idx`` (bug: that
row is all zeros, so its cosine is 0/0 = NaN; the first batch holding such a movie turns
the loss and then every weight into NaN). Adam 1e-2, per-epoch CSV."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

USERS, MOVIES, D = 300, 500, 16


def ratings(n, g, taste, genre):
    u = torch.randint(0, USERS, (n,), generator=g)
    m = torch.randint(1, MOVIES, (n,), generator=g)
    m[torch.rand(n, generator=g) < 0.02] = 0  # movie added after the id map: unknown
    score = (taste[u] * genre[m]).sum(-1)
    stars = (3 + 1.5 * score + 0.3 * torch.randn(n, generator=g)).round().clamp(1, 5)
    return torch.stack([u, m], 1), stars


class TwoTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.user = nn.Embedding(USERS, D)
        self.movie = nn.Embedding(MOVIES, D, padding_idx=0)
        self.scale = nn.Parameter(torch.tensor(2.0))

    def forward(self, pairs):
        u, m = self.user(pairs[:, 0]), self.movie(pairs[:, 1])
        cos = (u * m).sum(-1) / (u.norm(dim=-1) * m.norm(dim=-1))  # BUG: 0/0 for id 0
        return 3 + self.scale * cos


def build():
    torch.manual_seed(0)
    return TwoTower()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    taste = F.normalize(torch.randn(USERS, 4, generator=g), dim=-1)
    genre = F.normalize(torch.randn(MOVIES, 4, generator=g), dim=-1)
    (x, y), (vx, vy) = ratings(20000, g, taste, genre), ratings(4000, g, taste, genre)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    with open(out / "ratings_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse", "val_rmse"])
        for epoch in range(6):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x), 256):
                idx = perm[i:i + 256]
                loss = F.mse_loss(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vmse = F.mse_loss(model(vx), vy).item()
            w.writerow([epoch, tot / len(x), vmse, vmse ** 0.5])
    print("train mse", tot / len(x), "val mse", vmse)
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "two_tower.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["numerical_log_or_div_zero"],
           checkpoint="two_tower.pt", log="ratings_log.csv",
           what="hand-written cosine over a zero padding_idx embedding: 0/0",
           complaint="推荐模型训练第一个 epoch 损失就变成 nan 了")


if __name__ == "__main__":
    main()
