"""Plain torch: a GRU flags museum display cases whose seal has failed from two days of the
case's own sensor (48 hourly readings of relative humidity, temperature and the gallery's
humidity outside the case, standardised). A sealed case damps the gallery's humidity swings; a
failed seal lets the inside follow the outside with a lag and slowly drift. Only 2.5 % of the
case-days in the conservation department's history are failures. GRU(3→32), Linear(32→1) on
the last hidden state, ``BCEWithLogitsLoss``, Adam 2e-3, batch 64, 12 epochs of 2400
case-days, shuffled; a CSV row every 10 steps with validation numbers at each epoch's end.
The bug: the loss is an unweighted ``nn.BCEWithLogitsLoss()`` on a 2.5 % positive set (no
``pos_weight``, no resampling), and the decision threshold stays at 0.5.
Val accuracy 0.966 for epochs 1–9 = the share of sealed cases (27 failures in 800 val
case-days); val recall of failed seals 0.00 for epochs 1–9, 0.04 at 10, 0.11 at 11 and 12; val
BCE 0.149 → 0.112.
Control (``pos_weight=torch.tensor(24.0)``): val recall 0.26 at epoch 3, 0.63 at 5, 0.48–0.70
over epochs 9–12 (0.70 at 12), accuracy 0.80–0.97 (noisy with the weight)."""
import csv
import sys

import torch
import torch.nn as nn


def case_days(n, g, rate=0.025):
    t = torch.arange(48).float()
    y = (torch.rand(n, generator=g) < rate).float()
    outside = (torch.sin(2 * torch.pi * t / 24 + 6.28 * torch.rand(n, 1, generator=g))
               * (0.5 + torch.rand(n, 1, generator=g)) + 0.3 * torch.randn(n, 1, generator=g))
    lagged = torch.roll(outside, 3, dims=1)
    couple = 0.15 + 0.15 * y[:, None]
    drift = y[:, None] * 0.006 * t * torch.rand(n, 1, generator=g)
    rh = couple * lagged + drift + 0.35 * torch.randn(n, 48, generator=g)
    temp = 0.3 * torch.sin(2 * torch.pi * t / 24) + 0.25 * torch.randn(n, 48, generator=g)
    return torch.stack([rh, temp, outside], 2), y


class SealMonitor(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1]).squeeze(1)


def build():
    torch.manual_seed(0)
    return SealMonitor()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = case_days(2400, g)
    xva, yva = case_days(800, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    criterion = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "seal_monitor.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "bce", "val_bce", "val_acc", "val_recall"])
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(2400, generator=g)
            for i in range(0, 2400, 64):
                idx = perm[i:i + 64]
                loss = criterion(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    w.writerow([step, epoch, round(loss.item(), 5), "", "", ""])
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
                pred = (lv > 0).float()
                acc = (pred == yva).float().mean().item()
                rec = ((pred * yva).sum() / yva.sum()).item()
            w.writerow([step, epoch, round(loss.item(), 5), round(vl, 5), round(acc, 4),
                        round(rec, 4)])
            print(epoch, round(vl, 4), round(acc, 4), round(rec, 4))
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epoch": 12, "step": step}, out / "seal_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="seal_gru.pt", log="seal_monitor.csv",
           what="museum display-case seal-failure GRU trained with an unweighted BCE on 2.5 %"
                " positives",
           complaint=("Our display-case seal monitor reports 96.6-97% validation accuracy but "
                      "it catches almost no failed seals: validation recall was 0.0 for the "
                      "first 9 epochs and only 0.11 (3 of 27) at epoch 12. The conservators can see the failures in these traces "
                      "by eye (inside humidity following the gallery). What is going on?"))


if __name__ == "__main__":
    main()
