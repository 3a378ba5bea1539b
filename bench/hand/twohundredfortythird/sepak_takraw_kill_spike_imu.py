"""Plain torch: a sepak takraw coach flags the kill spikes (the overhead bicycle kick that wins
the rally outright) in a striker's ankle-IMU stream, one window of 48 samples (0.5 s at
96 Hz) of vertical acceleration, forward acceleration and shank angular rate per touch.
A kill spike is a fast leg swing over the head (a large angular-rate peak with a vertical
surge before it); sets, receives and ordinary headers/kicks are softer. Only 2.5 % of the
2400 logged touches are kill spikes.
1-D CNN with BatchNorm: Conv1d(3→16,k5)-BN-ReLU-MaxPool-Conv1d(16→32,k5)-BN-ReLU-global
max pool-Linear(32→1), ``BCEWithLogitsLoss``, SGD 0.01 momentum 0.9, batch 64, 6 epochs of
2000 touches, 400 validation touches. Log: TSV per epoch ``spikes.tsv`` (``epoch`` /
``train_bce`` / ``val_bce`` / ``val_acc`` / ``val_recall``); checkpoint ``net`` / ``opt`` /
``epoch``.
The bug: the loss is the plain ``nn.BCEWithLogitsLoss()`` on that 2.5 % positive rate, so
every touch is called "not a kill": train BCE 0.129 → 0.050, val BCE
0.131 → 0.062, val accuracy 0.97 in every epoch (the negative rate) and val recall 0.0 in
every epoch. Control (``pos_weight=torch.tensor(20.0)``): val recall 1.0 from epoch 1 on,
val accuracy 0.84, 0.98, 0.82, 0.86, 0.94, 0.92 (false alarms, not misses), train BCE
(weighted) 0.84 → 0.16."""
import torch
import torch.nn as nn


def touches(n, g):
    kill = torch.rand(n, generator=g) < 0.03
    t = torch.arange(48).float()
    at = 14 + 20 * torch.rand(n, 1, generator=g)
    width = 2 + 2 * torch.rand(n, 1, generator=g)
    peak = torch.where(kill[:, None], 3.5 + 2 * torch.rand(n, 1, generator=g),
                       1.0 + 3.0 * torch.rand(n, 1, generator=g))
    gyro = peak * torch.exp(-((t - at) / width) ** 2)
    surge = torch.where(kill[:, None], 1.5 + torch.rand(n, 1, generator=g),
                        1.6 * torch.rand(n, 1, generator=g)) * torch.exp(-((t - at + 6) / 3) ** 2)
    fwd = 0.8 * torch.randn(n, 1, generator=g) * torch.exp(-((t - at) / 6) ** 2)
    x = torch.stack([surge, fwd, gyro], 1) + 0.6 * torch.randn(n, 3, 48, generator=g)
    return x, kill.float()


class SpikeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                               nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                               nn.BatchNorm1d(32), nn.ReLU())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.f(x).amax(2)).squeeze(1)


def build():
    torch.manual_seed(0)
    return SpikeCNN()


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(7)
    x, y = touches(2400, g)
    print("kill spikes", int(y.sum()), "of", len(y))
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    crit = nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    f = open(out / "spikes.tsv", "w")
    f.write("epoch\ttrain_bce\tval_bce\tval_acc\tval_recall\n")
    for epoch in range(1, 7):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = 0.0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx) / 2000
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vb = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
            pred = (lv > 0).float()
            acc = (pred == yva).float().mean().item()
            rec = (pred * yva).sum().item() / max(yva.sum().item(), 1)
        row = [epoch, round(tot, 4), round(vb, 4), round(acc, 4), round(rec, 4)]
        f.write("\t".join(str(v) for v in row) + "\n")
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 6},
               out / "spike_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="spike_cnn.pt", log="spikes.tsv",
           what="sepak takraw kill-spike 1-D CNN, 2.5 % positives, unweighted BCE",
           complaint=("Our sepak takraw kill-spike detector never flags a single spike. 2400 "
                      "touches from the ankle IMU, 6 epochs: val accuracy 0.97 in every epoch and "
                      "val recall 0.0 in every epoch, it calls every touch 'not a kill'. Train "
                      "loss does go down, 0.13 to 0.05. The spikes are obvious on the gyro trace "
                      "(huge peaks), so why can't it find them?"))


if __name__ == "__main__":
    main()
