"""Two-tower recommender for an online-course site: a user tower (user id embedding + 6
profile features) and a course tower (course id embedding + 4 course features), each an MLP
to a 32-dim vector; the score is their dot product, trained on enrolments (1) against
sampled non-enrolled courses (0) with ``BCEWithLogitsLoss``. 500 users, 120 courses, hidden
tastes behind the clicks; SGD 0.05 with momentum 0.9, batch 256, 8 epochs, 30000 / 6000
pairs, CSV log of the epoch's train loss, val loss and val AUC.
Bug: ``optimizer.zero_grad()`` sits at the top of the epoch loop instead of inside the batch
loop, so the gradients add up over the 118 batches of an epoch and every step follows the
running sum: the steps grow within the epoch until the weights overflow. Train and val
loss NaN from epoch 0 on, val AUC 0.516 (constant scores); control (``zero_grad`` per batch):
train loss 0.64 -> 0.49, val loss 0.61 -> 0.54, val AUC 0.69 -> 0.78."""
import csv

import torch
import torch.nn as nn

USERS, COURSES, TASTE = 500, 120, 8


def enrolments(n, g):
    u_taste = torch.randn(USERS, TASTE, generator=g)
    c_taste = torch.randn(COURSES, TASTE, generator=g)
    u_feat = u_taste[:, :6] + 0.5 * torch.randn(USERS, 6, generator=g)
    c_feat = c_taste[:, :4] + 0.5 * torch.randn(COURSES, 4, generator=g)
    u = torch.randint(0, USERS, (n,), generator=g)
    c = torch.randint(0, COURSES, (n,), generator=g)
    logit = (u_taste[u] * c_taste[c]).sum(1) - 1.0
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    return u, c, u_feat, c_feat, y


class Tower(nn.Module):
    def __init__(self, n_ids, n_feat):
        super().__init__()
        self.emb = nn.Embedding(n_ids, 16)
        self.mlp = nn.Sequential(nn.Linear(16 + n_feat, 64), nn.ReLU(), nn.Linear(64, 32))

    def forward(self, ids, feats):
        return self.mlp(torch.cat([self.emb(ids), feats], 1))


class TwoTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.user, self.course = Tower(USERS, 6), Tower(COURSES, 4)

    def forward(self, batch):
        return (self.user(batch[:, 0].long(), batch[:, 2:8])
                * self.course(batch[:, 1].long(), batch[:, 8:12])).sum(1)


def build():
    torch.manual_seed(0)
    return TwoTower()


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y == 1
    return ((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2)
            / (pos.sum() * (~pos).sum())).item()


def main():
    from _sixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    u, c, uf, cf, y = enrolments(36000, g)
    rows = torch.cat([u[:, None].float(), c[:, None].float(), uf[u], cf[c]], 1)  # (n, 12)
    tx, ty, vx, vy = rows[:30000], y[:30000], rows[30000:], y[30000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.BCEWithLogitsLoss()
    f = open(out / "history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_auc"])
    for epoch in range(8):
        model.train()
        opt.zero_grad()
        total = 0.0
        for idx in torch.randperm(30000, generator=g).split(256):
            loss = loss_fn(model(tx[idx]), ty[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(vx)
            row = [epoch, round(total / 30000, 4), round(loss_fn(s, vy).item(), 4),
                   round(auc(s, vy), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "batch_size": 256}, out / "twotower.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["missing_zero_grad"],
           checkpoint="twotower.pt", log="history.csv",
           what="two-tower recommender, zero_grad() once per epoch instead of per batch (SGD)",
           complaint="two-tower course recommender: train and validation loss are NaN already "
                     "after the first epoch, the validation AUC is stuck at 0.52")


if __name__ == "__main__":
    main()
