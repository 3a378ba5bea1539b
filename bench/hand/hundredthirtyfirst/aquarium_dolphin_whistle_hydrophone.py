"""Plain torch: an MLP tells apart the signature whistles of 5 bottlenose dolphins in an
aquarium pool from 40-band log-power spectra (dB, 2-22 kHz) of each detected whistle. Each
dolphin's whistle has its own fundamental contour (a band range it sweeps) and a weaker second
harmonic; pool noise and pump hum add a floor. The training set was recorded in the main pool
with the old hydrophone (HTI-96, flat response); the validation set was recorded the next
month in the holding pool with a newly bought hydrophone whose response rolls off towards high
frequencies (−0.5 dB per band) and reads 9 dB hotter, plus louder pump hum. The features are
standardised with the training statistics. Adam 1e-3, batch 64, 10 epochs.
Training is healthy (train acc 0.78 → 0.98, loss 0.06), validation is poor from the first
epoch (val acc 0.53, then 0.37-0.49; val loss 1.19 rising to 1.85-2.08). Control, validation
from the old hydrophone (``VAL_HYDROPHONE = "old"``): val acc 0.974, val loss 0.077."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

B = 40
VAL_HYDROPHONE = "new"   # the holding-pool recordings


def whistles(n, g, hydrophone="old"):
    y = torch.randint(0, 5, (n,), generator=g)
    lo = torch.tensor([4., 8., 12., 6., 15.])[y] + torch.randn(n, generator=g)
    hi = lo + torch.tensor([6., 5., 4., 10., 3.])[y]
    bands = torch.arange(B).float()[None]
    sweep = torch.sigmoid(3 * (bands - lo[:, None])) * torch.sigmoid(3 * (hi[:, None] - bands))
    harm = 0.4 * torch.sigmoid(3 * (bands - 2 * lo[:, None])) * torch.sigmoid(
        3 * (2 * hi[:, None] - bands))
    db = 60 + 25 * sweep + 25 * harm + 3 * torch.randn(n, B, generator=g)
    hum = torch.exp(-((bands - 1.0) ** 2) / 2) * 6
    if hydrophone == "new":
        db = db + 9 - 0.5 * bands + 2.5 * hum + 2 * torch.randn(n, B, generator=g)
    return db + hum, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(B, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _hundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = whistles(2000, g, "old")
    xva, yva = whistles(500, g, VAL_HYDROPHONE)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "whistle_id.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(10):
        model.train()
        tl, tc = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        row = [epoch, round(tl / len(xtr), 4), round(tc / len(xtr), 4), round(vl, 4), round(va, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 10, "feature_mean": mu, "feature_std": sd}, out / "whistle_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="whistle_mlp.pt", log="whistle_id.csv",
           what="dolphin signature-whistle MLP, validation recorded with a different hydrophone "
                "(gain +9 dB, high-frequency roll-off) in another pool",
           complaint="My whistle classifier for our 5 dolphins hits 98% train accuracy (train loss "
                     "0.06) but on the validation recordings it never gets past 53%: val accuracy "
                     "0.53 after the first epoch, then it hovers around 0.37-0.49 and the val loss "
                     "climbs from 1.19 to about 2. Is it overfitting? The val set is only 500 whistles.")


if __name__ == "__main__":
    main()
