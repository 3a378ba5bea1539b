"""Wedding planner: will an invited guest actually come? One row per invitation from past
weddings' guest lists: side (bride / groom), relation (family, friend, colleague, plus-one),
travel distance (log km), invited to the ceremony or the evening only, weekday wedding,
children invited, days between the invitation and the wedding, how many of the guest's
household are invited, and a hashed guest-town id (an embedding of 50 towns, some are far
and rarely make it). An MLP (11 numeric columns, the relation one-hot, + 8-dim town embedding → 64 → 32, ReLU, dropout 0.3,
one logit) trained with ``BCEWithLogitsLoss``; AdamW 2e-3 (weight decay 1e-4), batch 64, 15
epochs of 4000 invitations; validation on 1000 from other weddings. The training guest lists
were typed in by the couples, 8 % of the "attended" ticks are wrong; the validation lists were
checked against the seating plan. A ``history.json`` (a list of per-epoch dicts: ``epoch``,
``train_bce``, ``val_bce``, ``val_auc``, ``val_acc``) and ``rsvp_mlp.pt``.
Healthy, with its val loss *below* its train loss at every epoch (dropout + the wrong ticks in
training only): train BCE 0.660, 0.539, ... 0.449 at epoch 15; val BCE 0.534, 0.401, then
slowly 0.393 → 0.362; val AUC 0.894 → 0.925, val accuracy 0.81 → 0.84. The gain after epoch 2
is small: most of what the form can tell is learnt in two epochs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_TOWNS = 50


def invitations(n, g, flip=0.0):
    side = (torch.rand(n, generator=g) < 0.5).float()
    rel = torch.randint(0, 4, (n,), generator=g)
    dist = torch.rand(n, generator=g) * 7                       # log km
    evening = (torch.rand(n, generator=g) < 0.3).float()
    weekday = (torch.rand(n, generator=g) < 0.2).float()
    kids = (torch.rand(n, generator=g) < 0.35).float()
    notice = 30 + 200 * torch.rand(n, generator=g)
    household = torch.randint(1, 5, (n,), generator=g).float()
    town = torch.randint(0, N_TOWNS, (n,), generator=g)
    towns = torch.randperm(N_TOWNS, generator=torch.Generator().manual_seed(9))
    town_effect = torch.linspace(1.0, -1.5, N_TOWNS)[towns]
    logit = (1.6 + torch.tensor([1.5, 0.6, -0.4, 0.3])[rel] - 0.45 * dist * (1 - 0.5 * (rel == 0).float())
             - 0.6 * evening - 0.9 * weekday + 0.5 * kids * (household > 2) + 0.004 * (notice - 100)
             + town_effect[town])
    y = (torch.rand(n, generator=g) < torch.sigmoid(2 * logit)).float()
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, 1 - y, y)
    num = torch.stack([side, *(F.one_hot(rel, 4).float().T), dist / 3.5 - 1, evening, weekday,
                       kids, (notice - 130) / 58, household / 2 - 1.25], 1)
    return num, town, y


class RSVPNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.town = nn.Embedding(N_TOWNS, 8)
        self.mlp = nn.Sequential(nn.Linear(11 + 8, 64), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))

    def forward(self, x, town):
        return self.mlp(torch.cat([x, self.town(town)], 1)).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RSVPNet()


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y.bool()
    return ((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum())).item()


def main():
    from _hundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(8)
    xtr, ttr, ytr = invitations(4000, g, flip=0.08)
    xva, tva, yva = invitations(1000, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    crit = nn.BCEWithLogitsLoss()
    history = []
    for epoch in range(1, 16):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx], ttr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(xva, tva)
        history.append({"epoch": epoch, "train_bce": round(tot / 4000, 4),
                        "val_bce": round(crit(s, yva).item(), 4), "val_auc": round(auc(s, yva), 4),
                        "val_acc": round(((s > 0).float() == yva).float().mean().item(), 4)})
        print(history[-1])
        with open(out / "history.json", "w") as f:
            json.dump(history, f, indent=1)
    torch.save({"state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 15, "n_towns": N_TOWNS}, out / "rsvp_mlp.pt")
    finish(out, __file__, {"inputs": xva[:64], "town": tva[:64], "targets": yva[:64]},
           causes=[], checkpoint="rsvp_mlp.pt", log="history.json",
           what="wedding RSVP attendance MLP with a town embedding, noisy training ticks (healthy)")


if __name__ == "__main__":
    main()
