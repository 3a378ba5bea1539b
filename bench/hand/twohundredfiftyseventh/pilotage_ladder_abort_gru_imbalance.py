"""Plain torch: a GRU flags harbour pilot transfers that will have to be aborted at the pilot
ladder, from the last 24 readings (every 5 s) of the ship's approach: speed through water,
rate of turn, significant wave height at the lee side, roll angle and wind speed. A transfer
is aborted when the lee stops being a lee: roll plus swell stay high over the final minute
while the ship is still too fast or turning. Aborts are rare in a pilot station's records
(about 3 % of 2048 approaches; the outcome also depends on the crew and luck). GRU(5 → 32) → Linear(32, 1), BCEWithLogitsLoss, AdamW 2e-3,
batch 128, 12 epochs, validation on 512 approaches (recall, precision on aborts).
The bug: the rare class is trained with a plain ``nn.BCEWithLogitsLoss()`` over the raw 4 %
positives; the loss falls fast towards the base rate and the net rarely calls an abort:
train loss 0.52 → 0.085, val loss 0.42 → 0.065, val accuracy 0.975-0.982 (the negatives'
share is 0.979), val recall 0.0 for 2 epochs, then 0.36 and sliding to 0.18 (2 of the 11
val aborts). Control (``pos_weight=torch.tensor(10.0)``): val recall 0.55 → 0.82 from epoch
3 on, precision 0.15-0.29, val accuracy 0.90-0.96. Log: JSON lines per epoch (``epoch``, ``train_loss``, ``val_loss``,
``val_acc``, ``val_recall``, ``val_precision``); checkpoint keys ``gru`` / ``optim`` /
``epoch`` / ``feat_mean`` / ``feat_std``."""
import json

import torch
import torch.nn as nn


def approaches(n, g):
    t = 24
    speed = 6 + 4 * torch.rand(n, 1, generator=g) + 0.3 * torch.randn(n, t, generator=g)
    turn = 2 * torch.randn(n, 1, generator=g) + 0.5 * torch.randn(n, t, generator=g)
    swell = 1 + 1.5 * torch.rand(n, 1, generator=g) + 0.2 * torch.randn(n, t, generator=g)
    roll = 3 + 5 * torch.rand(n, 1, generator=g) + torch.randn(n, t, generator=g)
    wind = 10 + 15 * torch.rand(n, 1, generator=g) + 2 * torch.randn(n, t, generator=g)
    x = torch.stack([speed, turn, swell, roll, wind], -1)
    last = x[:, -12:].mean(1)
    risk = (last[:, 3] / 8 + last[:, 2] / 2.5 + 0.6 * ((last[:, 0] > 8.5) | (last[:, 1].abs() > 2.5)).float())
    risk = risk + 0.2 * torch.randn(n, generator=g)  # crew, ladder rigging, luck
    return x, (risk > 2.5).float()


class LadderGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.gru(x)[0][:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return LadderGRU()


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = approaches(2048, g)
    xva, yva = approaches(512, g)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("abort share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3)
    criterion = nn.BCEWithLogitsLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=128,
                                         shuffle=True)
    with open(out / "epochs.jsonl", "w") as f:
        for epoch in range(12):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                loss = criterion(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            pred = (lv > 0).float()
            tp = (pred * yva).sum().item()
            rec = {"epoch": epoch, "train_loss": round(tot / len(ytr), 5),
                   "val_loss": round(criterion(lv, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_recall": round(tp / max(yva.sum().item(), 1), 4),
                   "val_precision": round(tp / max(pred.sum().item(), 1), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"gru": net.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "feat_mean": mu, "feat_std": sd}, out / "ladder_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="ladder_gru.pt", log="epochs.jsonl",
           what="harbour pilot ladder-abort GRU trained on ~4 % aborts with plain BCE",
           complaint=("Our pilot-transfer abort model reports 98 % validation accuracy and a"
                      " low, smooth loss, but when we looked at the predictions it almost never"
                      " flags an abort: recall on aborts is 0.0 at first, peaks at 0.36 and ends"
                      " at 0.18. The swell/roll pattern"
                      " before an abort is something any pilot can see in the approach data."
                      " Does the GRU need more epochs or more hidden units?"))


if __name__ == "__main__":
    main()
