"""Tool-condition monitoring on a CNC milling machine (industry): classify the end mill after
each pass as sharp / worn / replace (flank wear VB < 80, 80–160, > 160 µm, measured under the
microscope) from 40 features of the pass's sensor record — RMS, kurtosis and spectral band
energies of the spindle vibration (x, y), acoustic-emission RMS and band energies, spindle
current — as in PHM-2010-style datasets. Synthetic: 5 cutters worn from 0 to ~250 µm over their
passes (wear accelerating late in life); wear raises 12 of the features (tooth-passing
harmonics, AE, current) through cutter-specific gains, the cutting conditions (feed, depth)
shift all features, every feature has sensor noise of about its wear signal's size, and the
microscope reading has ±15 µm error, so classes overlap at the thresholds. Only 160 passes:
120 for training (75 / 28 / 17 per class), 40 for validation (27 / 9 / 4). Features
standardised. An MLP 40 → 512 → 512 → 512 → 3 with ReLU (~550 k weights for 120 examples),
cross-entropy, Adam 3e-4, batch 16, 200 epochs, no weight decay, no dropout, no early stopping;
the last weights are saved. A CSV per epoch (ep, loss_tr, loss_va, acc_va).
Bug: the overfitting itself — a large network fit for 200 epochs to 120 noisy examples with no
regularisation and no early stopping. The val loss falls to 0.567 at epoch 7 (val accuracy
0.775, train loss 0.25), then climbs for the rest of the run: 0.766 at epoch 10, 0.99 at 20,
1.19 at 50, 1.35 at 100, 1.52 at 200, while the train loss goes to 1e-5 (0.0019 by epoch 24);
val accuracy 0.675–0.775 from epoch 4 on, 0.725 at the end (majority class 0.675). The
control (stop at the val minimum: ``range(1, 8)``) ends at val loss 0.567, val accuracy 0.775;
AdamW with weight decay 2.0 instead of stopping was not enough (val loss 0.568 at epoch 7, 1.28
at 200)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NF = 40


def passes(n, g):
    cutter = torch.randint(0, 5, (n,), generator=g)
    life = torch.rand(n, generator=g)  # fraction of the tool's life
    vb = 250 * (0.25 * life + 0.75 * life ** 3) + 20 * life * torch.randn(n, generator=g)
    gain = 0.6 + 0.8 * torch.rand(5, NF, generator=torch.Generator().manual_seed(7))
    sens = torch.zeros(NF)
    sens[[2, 3, 4, 12, 13, 14, 22, 23, 30, 31, 38, 39]] = 1.0  # harmonics, AE, current
    cond = torch.randn(n, 2, generator=g)  # feed, depth of cut
    mix = torch.randn(2, NF, generator=torch.Generator().manual_seed(8)) * 0.6
    x = (sens * gain[cutter]) * (vb[:, None] / 100) + cond @ mix
    x = x + 1.0 * torch.randn(n, NF, generator=g)
    return x, vb + 15 * torch.randn(n, generator=g)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(NF, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 3))


def main():
    from _hundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, vb = passes(160, g)
    mu, sd = x[:120].mean(0), x[:120].std(0)
    x = (x - mu) / sd
    y = (vb > 80).long() + (vb > 160).long()  # 0 sharp, 1 worn, 2 replace
    xtr, ytr, xva, yva = x[:120], y[:120], x[120:], y[120:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    f = open(out / "wear_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "loss_tr", "loss_va", "acc_va"])
    for ep in range(1, 201):
        model.train()
        perm = torch.randperm(120, generator=g)
        tot = 0.0
        for i in range(0, 120, 16):
            idx = perm[i:i + 16]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            row = [ep, round(tot / 120, 5), round(F.cross_entropy(p, yva).item(), 5),
                   round((p.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epochs_done": 200,
                "x_mean": mu, "x_std": sd, "classes": ["sharp", "worn", "replace"]},
               out / "wear_mlp_final.pt")
    finish(out, __file__, (xva, yva), causes=["overfitting"],
           checkpoint="wear_mlp_final.pt", log="wear_log.csv",
           what="3×512 MLP on 120 milling passes, 200 epochs, no regularisation or early stopping",
           complaint="Tool-wear classifier on our milling passes: training loss is basically 0 "
                     "(1e-5) after 200 epochs, but the validation loss is 1.52 and was 0.57 "
                     "around epoch 7. Validation accuracy is 0.725. Which checkpoint should I "
                     "trust, and why does validation get worse the longer it trains?")


if __name__ == "__main__":
    main()
