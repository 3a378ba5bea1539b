"""Credit risk from a Statlog-style table: 12 numeric columns, the label column coded the way
the data set ships it, 1 = good and 2 = bad. The script feeds that column straight into
BCEWithLogitsLoss, which expects 0/1; the accuracy uses ``(p > 0.5) + 1``. MLP, Adam 1e-3,
loss / accuracy per epoch in a CSV."""
import csv

import torch
import torch.nn as nn


def credit_table(n, g):
    x = torch.randn(n, 12, generator=g)
    risk = 1.2 * x[:, 0] - 0.9 * x[:, 1] + 0.7 * x[:, 2] * x[:, 3] + 0.5 * x[:, 4]
    bad = (risk + 0.6 * torch.randn(n, generator=g)) > 0.4
    return x, torch.where(bad, 2, 1)  # 1 = good, 2 = bad, as in the file


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = credit_table(2400, g), credit_table(600, g)
    model = build()
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "credit_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_accuracy"])
    for epoch in range(25):
        perm = torch.randperm(len(x), generator=g)
        running = 0.0
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = criterion(model(x[idx]).squeeze(1), y[idx].float())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running += loss.item() * len(idx)
        with torch.no_grad():
            logits = model(vx).squeeze(1)
            val_loss = criterion(logits, vy.float()).item()
            pred = (torch.sigmoid(logits) > 0.5).long() + 1
        w.writerow([epoch, running / len(x), val_loss, (pred == vy).float().mean().item()])
    f.close()
    print("val loss", val_loss, "val acc", (pred == vy).float().mean().item())
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch}, out / "credit_mlp.pt")
    finish(out, __file__, (vx[:128], vy[:128].float()),
           causes=["label_out_of_range", "loss_input_wrong"],
           checkpoint="credit_mlp.pt", log="credit_training.csv",
           what="BCEWithLogitsLoss fed labels coded 1/2 instead of 0/1",
           complaint="the loss went negative and keeps falling, and every applicant is "
                     "predicted bad")


if __name__ == "__main__":
    main()
