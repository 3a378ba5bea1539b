"""Caser (convolutional sequence embedding, Tang & Wang 2018) next-item recommender on
synthetic viewing sessions: 240 items in 24 series of 10 episodes, 400 users with 2 favourite
series each. A session step follows the series (episode k → k + 1 of the same series) with
probability 0.55, jumps to a random episode of one of the user's favourite series with 0.3, and
to any item with 0.15 (the noise floor). The model reads the last L = 5 items as a 5 × 24
embedding "image": 4 horizontal filters of each height 1–5 (max-pooled over time, ReLU), 4
vertical filters (5 × 1), concatenated → a 32-wide fc (ReLU, dropout 0.5) → concatenated with a
24-wide user embedding → scored against an output item embedding and bias for all 240 items;
softmax cross-entropy over all items. Adam 3e-3, batch 128, 8 epochs; the held-out step is each
user's last 2 transitions. JSON lines per epoch: train xent, val xent, val HR@10. Healthy: val
HR@10 0.62–0.63 from epoch 4 (about 0.69 is the ceiling: the random jumps and the choice among 20
favourite-series episodes are unpredictable), the train xent above the val xent for 6 epochs
(dropout 0.5 only acts in training; 5.21 / 4.44 after epoch 1, 3.21 / 3.48 at the end), the val
xent flat at 3.47–3.48 over the last 3 epochs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ITEMS, N_USERS, L, D = 240, 400, 5, 24


def sessions(g, steps=40):
    fav = torch.stack([torch.randperm(24, generator=g)[:2] for _ in range(N_USERS)])
    seqs = torch.zeros(N_USERS, steps, dtype=torch.long)
    cur = torch.randint(0, N_ITEMS, (N_USERS,), generator=g)
    for t in range(steps):
        seqs[:, t] = cur
        r = torch.rand(N_USERS, generator=g)
        nxt_series = (cur // 10) * 10 + (cur % 10 + 1) % 10
        pick = fav[torch.arange(N_USERS), torch.randint(0, 2, (N_USERS,), generator=g)]
        nxt_fav = pick * 10 + torch.randint(0, 10, (N_USERS,), generator=g)
        nxt_any = torch.randint(0, N_ITEMS, (N_USERS,), generator=g)
        cur = torch.where(r < 0.55, nxt_series, torch.where(r < 0.85, nxt_fav, nxt_any))
    return seqs


def windows(seqs, t0, t1):
    users, hist, nxt = [], [], []
    for t in range(max(t0, L), t1):
        users.append(torch.arange(N_USERS))
        hist.append(seqs[:, t - L:t])
        nxt.append(seqs[:, t])
    return torch.cat(users), torch.cat(hist), torch.cat(nxt)


class Caser(nn.Module):
    def __init__(self, nh=4, nv=4):
        super().__init__()
        self.item_emb = nn.Embedding(N_ITEMS, D)
        self.user_emb = nn.Embedding(N_USERS, D)
        self.conv_v = nn.Conv2d(1, nv, (L, 1))
        self.conv_h = nn.ModuleList([nn.Conv2d(1, nh, (h, D)) for h in range(1, L + 1)])
        self.fc1 = nn.Linear(nv * D + nh * L, 32)
        self.drop = nn.Dropout(0.5)
        self.W2 = nn.Embedding(N_ITEMS, 32 + D)
        self.b2 = nn.Embedding(N_ITEMS, 1)
        nn.init.normal_(self.W2.weight, std=1.0 / (32 + D))
        nn.init.zeros_(self.b2.weight)

    def forward(self, users, hist):
        e = self.item_emb(hist).unsqueeze(1)                       # B 1 L D
        out_v = self.conv_v(e).flatten(1)
        out_h = [F.relu(c(e).squeeze(3)).amax(2) for c in self.conv_h]
        z = self.drop(F.relu(self.fc1(torch.cat([out_v] + out_h, 1))))
        x = torch.cat([z, self.user_emb(users)], 1)
        return x @ self.W2.weight.t() + self.b2.weight.t()


def build():
    torch.manual_seed(0)
    return Caser()


def main():
    from _seventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    seqs = sessions(g)
    utr, htr, ytr = windows(seqs, 0, 38)
    uva, hva, yva = windows(seqs, 38, 40)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "caser_history.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(ytr), generator=g).split(128):
            loss = F.cross_entropy(model(utr[idx], htr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(uva, hva)
            vx = F.cross_entropy(s, yva).item()
            hr = (s.topk(10, 1).indices == yva[:, None]).any(1).float().mean().item()
        row = {"ep": epoch, "xent": round(tot / len(ytr), 4), "val_xent": round(vx, 4),
               "val_hit@10": round(hr, 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"caser": model.state_dict(), "adam_moments": opt.state_dict(),
                "n_items": N_ITEMS, "epochs_trained": 8}, out / "caser_final.pth")
    finish(out, __file__, {"inputs": hva[:128], "users": uva[:128], "targets": yva[:128]},
           causes=[], checkpoint="caser_final.pth", log="caser_history.jsonl",
           what="Caser next-item recommender on viewing sessions (healthy)")


if __name__ == "__main__":
    main()
