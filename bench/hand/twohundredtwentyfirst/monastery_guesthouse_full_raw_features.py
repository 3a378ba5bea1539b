"""Plain torch: an MLP tells the hospitaller of a monastery guest house on a pilgrim route
whether tonight's beds will all be taken (binary), from six numbers per night: the monastery's
altitude (m), the length of the stage that ends there (km), how many pilgrims were counted at
the previous monastery yesterday, the beds the guest house has, the day of the year and whether
it is a feast day. The house fills when yesterday's count upstream is large against the beds,
more so in summer and on feast days, less after a long or high stage (pilgrims stop short).
MLP 6-64-64-1 with ReLU, BCE with logits, SGD lr 0.01 momentum 0.9, batch 64, 12 epochs of
1536 nights, 256 validation nights. Per-epoch CSV ``hospitaller.csv`` (epoch, train_bce,
val_bce, val_acc); checkpoint ``guesthouse.pt`` with keys net / opt / epoch.

Bug: the six features go into the network as they come from the register: altitude in the
hundreds to thousands, counts in the hundreds, day of year up to 365, next to a 0/1 feast flag.
Numbers: train BCE 111.3 in epoch 1 (the first steps blow up on the raw scale), then 0.51-0.61
for the remaining 11 epochs without a trend; val BCE 0.59-0.71; val accuracy 0.7227 in every
epoch, which is every night predicted 'not full' (the validation share of non-full nights).
Control (the features standardised with the training nights' mean and std, a one-line sed of
the ``return`` in ``nights``): train BCE 0.606 → 0.278 (epoch 4) → 0.159 (12), val BCE 0.546 →
0.306 → 0.205, val accuracy 0.723 → 0.871 (epoch 4) → 0.918 (10), 0.910 (12)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N = 1536


def nights(n, g):
    alt = 200 + 2300 * torch.rand(n, generator=g)
    stage = 8 + 30 * torch.rand(n, generator=g)
    upstream = torch.poisson(20 + 280 * torch.rand(n, generator=g), generator=g)
    beds = torch.randint(10, 121, (n,), generator=g).float()
    doy = torch.randint(1, 366, (n,), generator=g).float()
    feast = (torch.rand(n, generator=g) < 0.1).float()
    summer = torch.exp(-((doy - 200) / 50) ** 2)
    arrivals = upstream * (0.25 + 0.35 * summer + 0.2 * feast) * (1.4 - stage / 40 - alt / 5000)
    y = (arrivals + 5 * torch.randn(n, generator=g) > beds).float()
    x = torch.stack([alt, stage, upstream, beds, doy, feast], 1)
    return x, y  # features


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = nights(N + 256, g)
    print("full share", y.mean().item())
    xtr, ytr, xva, yva = x[:N], y[:N], x[N:], y[N:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    f = open(out / "hospitaller.csv", "w")
    f.write("epoch,train_bce,val_bce,val_acc\n")
    for ep in range(12):
        model.train()
        perm = torch.randperm(N, generator=g)
        tot = 0.0
        for i in range(0, N, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva).squeeze(1)
        row = (ep + 1, tot / N, F.binary_cross_entropy_with_logits(lv, yva).item(),
               ((lv > 0).float() == yva).float().mean().item())
        f.write(",".join([str(row[0])] + [f"{v:.4f}" for v in row[1:]]) + "\n")
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12},
               out / "guesthouse.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="guesthouse.pt", log="hospitaller.csv",
           what="MLP predicting whether a monastery guest house fills tonight from altitude,"
                " stage km, upstream count, beds, day of year, feast flag",
           complaint="My guest-house model is stuck: train BCE bounces around 0.51-0.61 for all 12"
                     " epochs (the first epoch even said 111) and validation accuracy is"
                     " 0.7227 every single epoch. The hospitaller's own rule of thumb"
                     " does better than that. I tried a wider net, no change. What's going on?")


if __name__ == "__main__":
    main()
