"""Plain torch: a GRU flags a subclinical udder infection in a dairy camel from her last 14 milkings
(per milking: electrical conductivity of each of the four quarters, milk yield, milk
temperature, milking duration; 7 numbers, standardised). A sick quarter's conductivity
creeps up over the last days while its yield share drops; healthy camels have day-to-day
noise and herd-wide drifts (heat days). About 3 % of the camels in the training export are
positive. GRU(7→32), Linear(32→1); Adam 2e-3, batch 64, 15 epochs of 2048 camels, shuffled,
``BCEWithLogitsLoss()``; the log is per-epoch CSV (``epoch,loss,val_loss,val_acc``).
Bug: the 3 % positives are trained with a plain unweighted BCE and a 0.5 threshold: the loss
is minimised by pushing almost every camel towards "healthy": for 6 epochs the model flags
nobody (val accuracy 0.9618 = the share of healthy camels), and at epoch 15 (train loss 0.096,
val loss 0.123, val accuracy 0.9635) it flags 9 camels, 5 of the 22 sick ones (recall 0.23).
Control (``sed -i 's/BCEWithLogitsLoss()/BCEWithLogitsLoss(pos_weight=torch.tensor(10.0))/'``):
epoch 15 val accuracy 0.90, 58 camels flagged, 12 of the 22 sick ones (recall 0.55); already
9 of 22 at epoch 5."""
import csv
import sys

import torch
import torch.nn as nn

T = 14


def herd(n, g, rate=0.03):
    y = (torch.rand(n, generator=g) < rate).float()
    t = torch.arange(T).float().view(1, T)
    heat = 0.5 * torch.randn(n, 1, generator=g) * torch.sin(t / 2 + torch.rand(n, 1, generator=g))
    ec = torch.randn(n, T, 4, generator=g) * 0.6 + heat.unsqueeze(2)
    quarter = torch.randint(0, 4, (n,), generator=g)
    onset = torch.randint(4, 10, (n,), generator=g).view(n, 1).float()
    ramp = ((t - onset).clamp(min=0) / 4).clamp(max=1.0) * 0.8
    ec[torch.arange(n), :, quarter] += ramp * y.view(n, 1)
    yld = torch.randn(n, T, generator=g) * 0.6 - 0.55 * ramp * y.view(n, 1)
    temp = torch.randn(n, T, generator=g) * 0.8 + heat
    dur = torch.randn(n, T, generator=g)
    x = torch.cat([ec, yld.unsqueeze(2), temp.unsqueeze(2), dur.unsqueeze(2)], 2)
    return x, y.unsqueeze(1)


class UdderGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(7, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return UdderGRU()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = herd(2048, g)
    xva, yva = herd(576, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    rows = []
    for epoch in range(15):
        model.train()
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            pred = (lv > 0).float()
        rows.append({"epoch": epoch + 1, "loss": round(tot / 2048, 4),
                     "val_loss": round(loss_fn(lv, yva).item(), 4),
                     "val_acc": round((pred == yva).float().mean().item(), 4)})
        print(rows[-1], int((pred * yva).sum()), int(yva.sum()), int(pred.sum()))
    with open(out / "udder_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15},
               out / "udder_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="udder_gru.ckpt", log="udder_log.csv",
           what="GRU camel udder-infection flag from 14 milkings, ~3 % positives, unweighted BCE",
           complaint=("Udder-infection alert model for our camel dairy: 96 % validation accuracy, looks "
                      "great, but when I checked against the 22 camels the vet confirmed, it "
                      "only flagged 5 of them, and for the first 6 epochs it flagged no camel "
                      "at all."))


if __name__ == "__main__":
    main()
