"""Plain torch: a CNN with BatchNorm reads a 9×9 go board in the late middle game (two planes:
black stones, white stones) and predicts whether black leads on area after 6.5 komi. The
label is computed from the position: each point's influence is the sum of (black − white)
stones in its 3×3 neighbourhood, a point counts for whoever has positive influence, and black
leads when black's points minus white's points exceed the komi. Boards have 25–60 stones, the
colours clustered in random groups. Conv(2→16)-BN-ReLU, Conv(16→32)-BN-ReLU, Conv(32→32)-BN-ReLU,
global average pool, Linear(32→1), ``BCEWithLogitsLoss``; Adam 2e-3, batch 32, 10 epochs of
1024 boards, shuffled every epoch.
Healthy, if a little bumpy: 41 % of the boards have black leading; val accuracy 0.85 after epoch
1, 0.95 after epoch 2, then 0.875–0.95 (one dip at epoch 8: val loss 0.24); at epoch 10 train
loss 0.089, val loss 0.151, val accuracy 0.934."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 9


def boards(n, g):
    x = torch.zeros(n, 2, N, N)
    for i in range(n):
        k = int(torch.randint(25, 61, (1,), generator=g))
        centres = torch.randint(0, N, (4, 2), generator=g)
        side = torch.randint(0, 2, (4,), generator=g)
        pts = torch.randperm(N * N, generator=g)[:k]
        for p in pts.tolist():
            r, c = divmod(p, N)
            d = ((centres - torch.tensor([r, c])) ** 2).sum(1).float()
            colour = int(side[d.argmin()])
            if torch.rand(1, generator=g) < 0.2:
                colour = 1 - colour
            x[i, colour, r, c] = 1.0
    infl = F.conv2d((x[:, :1] - x[:, 1:]), torch.ones(1, 1, 3, 3), padding=1)
    score = (infl > 0).float().sum((1, 2, 3)) - (infl < 0).float().sum((1, 2, 3))
    return x, (score > 6.5).float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(2, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = boards(1024, g)
    xva, yva = boards(256, g)
    print("black leads:", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(10):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva).squeeze(1)
            vl = loss_fn(lv, yva).item()
            va = ((lv > 0).float() == yva).float().mean().item()
        row = {"epoch": epoch + 1, "loss": round(tot / 1024, 4), "val_loss": round(vl, 4),
               "val_acc": round(va, 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 10},
               out / "area_lead.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="area_lead.pt",
           log="train_log.jsonl",
           what="BN CNN predicting whether black leads on area on a 9x9 go board (healthy)")


if __name__ == "__main__":
    main()
