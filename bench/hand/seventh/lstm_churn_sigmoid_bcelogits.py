"""Subscription churn: 12 months of 5 usage features per customer (logins, minutes, tickets,
failed payments, plan changes; standardised) -> will the customer leave next month (32 %
do), a 1-layer LSTM with a linear head, Adam 2e-3, batch 64, 10 epochs,
``nn.BCEWithLogitsLoss``; accuracy and recall with ``torch.sigmoid(out) > 0.5``. Bug: the model
ends in ``torch.sigmoid`` (kept from an earlier version that used ``nn.BCELoss``), so
BCEWithLogits applies a second sigmoid: the outputs live in (0, 1), the loss flattens at 0.61
and every customer is predicted to churn (val accuracy 0.325 = the churn share, recall 1.0);
without the sigmoid in ``forward`` the same script gets val loss 0.24, accuracy 0.89."""
import csv

import torch
import torch.nn as nn


def customers(n, g):
    risk = torch.randn(n, 1, generator=g)
    t = torch.linspace(0, 1, 12)[None]
    logins = -risk * t * 1.5 + 0.5 * torch.randn(n, 12, generator=g)
    minutes = -risk * t + 0.6 * torch.randn(n, 12, generator=g)
    tickets = (risk > 0.5) * t * 1.2 + 0.7 * torch.randn(n, 12, generator=g)
    failed = (torch.rand(n, 12, generator=g) < torch.sigmoid(risk - 2.5)).float()
    plan = (torch.rand(n, 12, generator=g) < 0.05).float()
    x = torch.stack([logins, minutes, tickets, failed, plan], -1)
    y = (risk[:, 0] + 0.35 * torch.randn(n, generator=g) > 0.45).float()
    return x, y


class ChurnLSTM(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(5, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return torch.sigmoid(self.head(h[-1])).squeeze(1)  # BUG: the loss below wants logits


def build():
    torch.manual_seed(0)
    return ChurnLSTM()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = customers(3000, g), customers(600, g)
    mu, sd = x.mean((0, 1)), x.std((0, 1))
    x, vx = (x - mu) / sd, (vx - mu) / sd
    model = build()
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rows = [["epoch", "loss", "val_loss", "val_acc", "val_recall"]]
    for epoch in range(10):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = criterion(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out_ = model(vx)
            pred = (torch.sigmoid(out_) > 0.5).float()
        rows.append([epoch, tot / len(x), criterion(out_, vy).item(),
                     (pred == vy).float().mean().item(),
                     (pred * vy).sum().item() / vy.sum().item()])
        print([round(v, 4) for v in rows[-1]])
    with open(out / "churn_log.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "churn_lstm.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["activation_before_softmax"],
           checkpoint="churn_lstm.pt", log="churn_log.csv",
           what="LSTM churn model ending in sigmoid, trained with BCEWithLogitsLoss",
           complaint="churn model: loss is stuck around 0.61 and it predicts that every "
                     "customer will churn")


if __name__ == "__main__":
    main()
