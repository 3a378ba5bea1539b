"""Plain torch: an MLP with BatchNorm grades durians at a wholesale market (A, B or C) from 10
stall measurements (weight, spine density, husk colour, aroma reading, stalk freshness, crack
width, ...). The grade is a nonlinear function of weight, aroma and spine density plus noise.
MLP 10-64(BN)-64(BN)-3, Adam 2e-3, batch 50, 15 epochs; the deployment market (Penang stalls)
gives the fixed validation set of 400 fruit.
The bug: the training rows are the Kuala Lumpur stalls only (``tr = market[:2000] == 0``),
where the fruit are a lighter, milder cultivar mix; Penang's fruit sit 1–1.8 standard
deviations away in weight, aroma and spine density, where the grade boundaries curve. Train
accuracy climbs 0.51 → 0.87 (train loss 0.98 → 0.35) on 1000 KL rows while Penang val
accuracy wanders 0.43, 0.45, 0.56, ... 0.68, 0.62, 0.715, 0.69 and ends at 0.665, val loss 1.18 → 1.44 → 0.71 → 0.88
(never below 0.71). Control (``tr = market[:2000] >= 0``: both markets' 2000 rows): val
accuracy 0.86–0.88 from epoch 13, val loss 0.31 at epoch 15 (train accuracy 0.83).
"""
import json

import torch
import torch.nn as nn


def fruit(n, g):
    market = (torch.arange(n) % 2 == 1).long()  # 0 = Kuala Lumpur, 1 = Penang
    x = torch.randn(n, 10, generator=g)
    x[:, 0] += 1.8 * market  # weight (Musang King heavier)
    x[:, 1] += 1.5 * market  # aroma reading
    x[:, 2] -= 1.0 * market  # spine density
    d = (torch.sin(1.3 * x[:, 0]) + 0.8 * torch.tanh(x[:, 1]) * x[:, 2] - 0.3 * x[:, 1] ** 2
         + 0.4 * x[:, 3] + 0.2 * torch.randn(n, generator=g))
    y = torch.bucketize(d, torch.tensor([-1.0, 0.0]))
    return x, y, market


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3))


def main():
    from _twohundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, market = fruit(2800, g)
    pen = (market[2000:] == 1).nonzero().squeeze(1) + 2000
    xva, yva = x[pen], y[pen]
    tr = market[:2000] == 0
    xtr, ytr = x[:2000][tr], y[:2000][tr]
    print("train rows", len(ytr), "classes", torch.bincount(ytr).tolist(),
          "val", torch.bincount(yva).tolist())
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    lines = []
    for epoch in range(15):
        model.train()
        tot = cor = n = 0
        for xb, yb in train:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            cor += (logits.argmax(1) == yb).sum().item()
            n += len(yb)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"epoch": epoch + 1, "train_loss": round(tot / n, 4), "train_acc": round(cor / n, 4),
               "val_loss": round(loss_fn(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        print(rec)
        lines.append(json.dumps(rec))
    (out / "grading.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15},
               out / "durian_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="durian_grader.pth", log="grading.jsonl",
           what="durian grade MLP (BN) trained on one market's stalls, validated on another's",
           complaint=("Durian grading model for the Penang stalls: training accuracy gets to 0.87 but on"
                      " the Penang fruit it only manages 0.665 after 15 epochs, and the val loss"
                      " jumps between 0.7 and 1.4 from epoch to epoch instead of going down. Adam"
                      " 2e-3, batch 50, BatchNorm MLP. Is the model too small or is it overfitting?"))


if __name__ == "__main__":
    main()
