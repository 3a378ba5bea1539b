"""Customer churn from a CSV export (10 numeric columns, then `churned`, then `is_premium`):
the script takes "the label = the last column" as in the tutorial it came from, so it
trains on `is_premium`, which the features do not predict."""
import csv

import numpy as np
import torch
import torch.nn as nn

COLUMNS = [f"f{i}" for i in range(10)] + ["churned", "is_premium"]


def export_csv(path, n, seed):
    """What the data team hands over: a CSV with a header."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 10)) * rng.uniform(0.5, 20, 10) + rng.uniform(-5, 50, 10)
    z = (x[:, 0] - x[:, 0].mean()) / x[:, 0].std() - (x[:, 3] - x[:, 3].mean()) / x[:, 3].std()
    churned = (z + 0.5 * rng.normal(size=n) > 0.3).astype(float)
    premium = (rng.random(n) < 0.4).astype(float)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(np.column_stack([x, churned, premium]).round(4).tolist())


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    export_csv(out / "churn.csv", 5000, 0)
    data = np.loadtxt(out / "churn.csv", delimiter=",", skiprows=1, dtype=np.float32)
    x, y = data[:, :10], data[:, -1]  # last column is the label
    mu, sd = x[:4000].mean(0), x[:4000].std(0)
    x = torch.from_numpy((x - mu) / sd)
    y = torch.from_numpy(y)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    crit = nn.BCEWithLogitsLoss()
    hist = csv.writer(open(out / "churn_log.csv", "w", newline=""))
    hist.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(20):
        perm = torch.randperm(4000)
        for i in range(0, 4000, 100):
            b = perm[i:i + 100]
            opt.zero_grad()
            loss = crit(model(xtr[b]).squeeze(1), ytr[b])
            loss.backward()
            opt.step()
        with torch.no_grad():
            tl = crit(model(xtr).squeeze(1), ytr).item()
            vo = model(xva).squeeze(1)
            acc = ((vo > 0).float() == yva).float().mean().item()
        hist.writerow([epoch, tl, crit(vo, yva).item(), acc])
    print(f"train loss {tl:.3f} val acc {acc:.3f} (majority {max(yva.mean(), 1 - yva.mean()):.3f})")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "churn.pt")
    (out / "churn.csv").unlink()
    finish(out, __file__, (xva[:200], yva[:200]), causes=["labels_wrong"],
           checkpoint="churn.pt", log="churn_log.csv",
           what="target taken from the wrong column (is_premium, not churned)",
           complaint="churn model is no better than always guessing the majority")


if __name__ == "__main__":
    main()
