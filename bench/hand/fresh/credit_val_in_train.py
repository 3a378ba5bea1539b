"""Credit default table (16 features, noisy labels: about 80 % is the best possible). For the
"final" model the author trains on train + val ("use all the data") but keeps reporting
val accuracy: the wide MLP memorises the val rows (val acc -> 1.0) while the untouched
test split stays at about 0.75 (data leakage: val inside train)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def credit(n, seed):
    rng = np.random.default_rng(seed)
    w = np.random.default_rng(99).normal(size=16)
    x = rng.normal(size=(n, 16)).astype(np.float32)
    margin = x @ w / 4 + 0.3 * np.sin(3 * x[:, 0])
    y = (margin + rng.logistic(scale=0.35, size=n) > 0).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 2))


def accuracy(model, x, y):
    with torch.no_grad():
        out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x_train, y_train = credit(1200, 0)
    x_val, y_val = credit(300, 1)
    x_test, y_test = credit(1000, 2)
    x_all, y_all = torch.cat([x_train, x_val]), torch.cat([y_train, y_val])  # final fit
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "credit_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "train_loss", "val_loss", "val_acc", "test_acc"])
    for epoch in range(40):
        perm = torch.randperm(len(x_all))
        total = 0.0
        for i in range(0, len(perm), 50):
            b = perm[i:i + 50]
            loss = F.cross_entropy(model(x_all[b]), y_all[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
        val_loss, val_acc = accuracy(model, x_val, y_val)
        log.writerow([epoch, total / len(x_all), val_loss, val_acc,
                      accuracy(model, x_test, y_test)[1]])
    f.close()
    print(f"val acc {val_acc:.3f}  test acc {accuracy(model, x_test, y_test)[1]:.3f}")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 40},
               out / "credit.pt")
    finish(out, __file__, (x_val[:128], y_val[:128]), causes=["task_trivial_or_leak"],
           checkpoint="credit.pt", log="credit_log.csv",
           what="val rows are inside the training data: val acc ~1.0, test acc ~0.75",
           complaint="validation accuracy is almost 100 % but on the test set it is 75 %")


if __name__ == "__main__":
    main()
