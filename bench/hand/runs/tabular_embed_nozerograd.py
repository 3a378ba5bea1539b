"""Churn prediction with categorical embeddings; the loop was refactored and
optimizer.zero_grad() got lost, so gradients pile up over every step of the run."""
import csv

import torch
import torch.nn as nn

CARD = [20, 5, 7]  # city, device, weekday


def make_table(n, g):
    cats = torch.stack([torch.randint(0, c, (n,), generator=g) for c in CARD], 1)
    num = torch.randn(n, 4, generator=g)
    city_effect = torch.linspace(-1.5, 1.5, CARD[0])[cats[:, 0]]
    logit = 1.2 * num[:, 0] - 0.8 * num[:, 1] + city_effect + 0.5 * (cats[:, 1] == 2)
    y = (torch.rand(n, generator=g) < torch.sigmoid(2 * logit)).float()
    return torch.cat([cats.float(), num], 1), y


class TabNet(nn.Module):
    def __init__(self, cards=CARD, n_num=4, emb=6, hidden=64):
        super().__init__()
        self.embs = nn.ModuleList(nn.Embedding(c, emb) for c in cards)
        self.mlp = nn.Sequential(nn.Linear(emb * len(cards) + n_num, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        cats, num = x[:, :3].long(), x[:, 3:]
        e = [emb(cats[:, i]) for i, emb in enumerate(self.embs)]
        return self.mlp(torch.cat(e + [num], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return TabNet()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_table(4000, g)
    xva, yva = make_table(1000, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            for i in range(0, len(xtr), 128):
                idx = perm[i:i + 128]
                loss = crit(model(xtr[idx]), ytr[idx])
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vl = crit(logits, yva).item()
                acc = ((logits > 0).float() == yva).float().mean().item()
            w.writerow([epoch, loss.item(), vl, acc])
    print(f"val loss {vl:.3f} acc {acc:.3f}")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10}, out / "tabnet.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["missing_zero_grad"],
           checkpoint="tabnet.pt", log="train.csv", what="no optimizer.zero_grad() in the loop",
           complaint="validation loss is jumpy and worse than a plain logistic regression")


if __name__ == "__main__":
    main()
