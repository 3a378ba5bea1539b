"""Nursing: pressure-ulcer (bedsore) risk of nursing-home residents from the admission sheet —
Braden sub-scores (sensory perception, moisture, activity, mobility, nutrition, friction),
age, BMI, serum albumin, hours in bed per day, incontinence and diabetes flags (12 columns,
standardised) → risk class (low / moderate / high) from a nonlinear rule with noise. A ReLU
MLP 12 → 64 → 64 → 3, Adam 1e-3, batch 64, 15 epochs of 2400 residents; a CSV log per epoch
(ep, trn_loss, val_loss, val_acc).
Bug: an "init like the reference implementation" helper sets every hidden bias to
``nn.init.constant_(m.bias, -3.0)`` (meant for the output bias of a rare-event head), so the
hidden pre-activations (std ~0.6) are below zero for almost every resident and almost every
ReLU unit outputs 0 for every input (0 of 64 first-layer units fire on any val resident). Train
loss 1.0959 → 1.0956 over 15 epochs (ln 3 = 1.0986), val accuracy 0.387 every epoch (the
majority class). Control (default biases): train loss 0.285, val loss 0.375, val accuracy 0.83."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def residents(n, g):
    x = torch.randn(n, 12, generator=g)
    braden = x[:, :6].sum(1) / 2.45          # low Braden sum = high risk
    s = -1.2 * braden + 0.6 * x[:, 6] - 0.5 * x[:, 8] + 0.7 * x[:, 9] * (x[:, 10] > 0) \
        + 0.4 * x[:, 11] * x[:, 7] + 0.3 * torch.randn(n, generator=g)
    y = (s > -0.5).long() + (s > 0.7).long()
    return x, y


class RiskMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(12, 64), nn.Linear(64, 64), nn.Linear(64, 3)
        for m in (self.fc1, self.fc2):
            nn.init.constant_(m.bias, -3.0)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


def build():
    torch.manual_seed(0)
    return RiskMLP()


def main():
    from _hundredfortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = residents(3000, g)
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    print("class counts", torch.bincount(ytr).tolist())
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    f = open(out / "braden_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "val_loss", "val_acc"])
    for ep in range(1, 16):
        net.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            lo = net(xva)
            h = F.relu(net.fc1(xva))
            row = [ep, round(tot / 2400, 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, "alive fc1 units", int((h > 0).any(0).sum()))
    f.close()
    torch.save({"state_dict": net.state_dict(), "optimizer": opt.state_dict(), "ep": 15},
               out / "braden_mlp.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["dead_relu"],
           checkpoint="braden_mlp.pth", log="braden_train.csv",
           what="pressure-ulcer risk ReLU MLP, hidden biases initialised to -3.0",
           complaint="Our pressure-ulcer risk model does not learn anything. Training loss is 1.0959 "
                     "after the first epoch and 1.0956 after 15, validation accuracy is 0.387 "
                     "in every single epoch. The Braden scores alone should give much more "
                     "than that.")


if __name__ == "__main__":
    main()
