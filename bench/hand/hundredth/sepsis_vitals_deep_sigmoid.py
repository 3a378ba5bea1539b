"""Sepsis early warning from one row of ICU vitals and labs (heart rate, respiratory rate,
temperature, systolic / mean arterial pressure, SpO2, GCS, WBC, lactate, creatinine, platelets,
bilirubin, age, hours since admission, on-vasopressor flag, FiO2; 16 columns, synthetic):
sepsis within the next 6 h (42 % positive) from a SOFA / qSOFA-like risk — respiratory rate ≥ 22,
systolic ≤ 100, altered mentation, lactate > 2, temperature outside 36–38 (U-shaped), low
platelets, high creatinine, with interactions — plus patient-level noise. Columns z-scored with
the training statistics. An MLP: 16 → 10 hidden layers of 64 with ``nn.Sigmoid()`` after each
(PyTorch's default init, no normalisation, no residuals) → 1 logit, ``BCEWithLogitsLoss``. SGD
lr 0.05, momentum 0.9, batch 64, 15 epochs of 4000 rows; a CSV log per epoch (train BCE, val
BCE, val AUROC, val accuracy at 0.5).
Bug: the network was made "deeper to capture the interactions" with the sigmoid units of the
risk-score MLP it grew from: 10 sigmoid layers at the default init shrink the backward signal
by ~4× or more per layer (σ' ≤ 0.25), the first layer gets gradients ~10⁻⁸ of the last one's, and
only the top of the stack moves (first-layer gradient norm ~1e-9, the last layer's 0.01–0.5).
Train BCE 0.687 → 0.689 over 15 epochs (the label entropy is 0.680), val AUROC wandering
0.39–0.61 (0.48 at epoch 15) and val accuracy 0.56 at every epoch (= every row negative).
The control (``DEPTH = 2``: two sigmoid layers) reaches train BCE 0.31, val BCE 0.30, val AUROC
0.947 and val accuracy 0.86 in the same 15 epochs; 10 ReLU layers at the default init (not the
fix, a check) also stall (train BCE 0.681, AUROC 0.89, accuracy 0.56)."""
import csv

import torch
import torch.nn as nn

DEPTH, WIDTH = 10, 64
COLUMNS = ["hr", "resp_rate", "temp_c", "sbp", "map", "spo2", "gcs", "wbc", "lactate",
           "creatinine", "platelets", "bilirubin", "age", "hours_in_icu", "vasopressor", "fio2"]


def icu_rows(n, g):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    sick = torch.rand(n, generator=g)  # latent severity
    hr = 85 + 25 * sick + 12 * r(n)
    rr = 16 + 8 * sick + 3 * r(n)
    temp = 37.0 + torch.where(torch.rand(n, generator=g) < 0.5, 1.0, -0.8) * sick * 1.5 \
        + 0.4 * r(n)
    sbp = 125 - 30 * sick + 12 * r(n)
    mapp = sbp * 0.62 + 12 + 4 * r(n)
    spo2 = 97 - 4 * sick + 1.5 * r(n)
    gcs = (15 - 4 * sick * (torch.rand(n, generator=g) < 0.5) + 0.7 * r(n)).clamp(3, 15)
    wbc = 9 + 6 * sick * torch.sign(r(n)) + 2.5 * r(n)
    lactate = (1.2 + 2.5 * sick ** 2 + 0.5 * r(n)).clamp(min=0.3)
    creat = (0.9 + 1.2 * sick * torch.rand(n, generator=g) + 0.25 * r(n)).clamp(min=0.3)
    plt = 250 - 120 * sick * torch.rand(n, generator=g) + 50 * r(n)
    bili = (0.8 + 1.5 * sick * torch.rand(n, generator=g) + 0.3 * r(n)).clamp(min=0.1)
    age = 45 + 30 * torch.rand(n, generator=g)
    hours = 72 * torch.rand(n, generator=g)
    vaso = (sbp + 10 * r(n) < 95).float()
    fio2 = 0.21 + 0.4 * (spo2 < 94).float() * torch.rand(n, generator=g)
    x = torch.stack([hr, rr, temp, sbp, mapp, spo2, gcs, wbc, lactate, creat, plt, bili, age,
                     hours, vaso, fio2], 1)
    score = (1.2 * (rr >= 22).float() + 1.2 * (sbp <= 100).float() + 1.0 * (gcs < 14).float()
             + 1.5 * (lactate > 2).float() + 0.8 * ((temp > 38) | (temp < 36)).float()
             + 0.6 * (plt < 150).float() + 0.6 * (creat > 1.6).float()
             + 1.0 * ((wbc > 12) | (wbc < 4)).float() * (hr > 100).float()
             + 0.02 * (age - 60))
    logit = 2.2 * (score - 2.6) + 0.6 * r(n)
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    return x, y


def build():
    torch.manual_seed(0)
    layers, d = [], len(COLUMNS)
    for _ in range(DEPTH):
        layers += [nn.Linear(d, WIDTH), nn.Sigmoid()]
        d = WIDTH
    return nn.Sequential(*layers, nn.Linear(d, 1))


def auroc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = y == 1
    n1, n0 = pos.sum().item(), (~pos).sum().item()
    return (ranks[pos].sum().item() - n1 * (n1 + 1) / 2) / max(n1 * n0, 1)


def main():
    from _hundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = icu_rows(5000, g)
    mu, sd = x[:4000].mean(0), x[:4000].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    print("positive share", ytr.mean().item())
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    bce = nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(1)
    f = open(out / "sepsis_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_bce", "val_bce", "val_auroc", "val_acc"])
    for epoch in range(1, 16):
        net.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = bce(net(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            s = net(xva).squeeze(1)
        row = [epoch, round(tot / len(xtr), 4), round(bce(s, yva).item(), 4),
               round(auroc(s, yva), 4), round(((s > 0).float() == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, f"first-layer grad {net[0].weight.grad.norm():.2e}",
              f"last-layer grad {net[-1].weight.grad.norm():.2e}")
    f.close()
    torch.save({"net": net.state_dict(), "sgd": opt.state_dict(), "epoch": 15,
                "columns": COLUMNS, "mu": mu, "sd": sd}, out / "sepsis_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["vanishing_gradients"],
           checkpoint="sepsis_mlp.pt", log="sepsis_log.csv",
           what="sepsis early-warning MLP, 10 plain sigmoid layers at the default init",
           complaint="I made my sepsis MLP deeper (10 hidden layers) and now it does not train "
                     "at all. Train BCE goes 0.687 -> 0.689 in 15 epochs, val AUROC jumps "
                     "around between 0.39 and 0.61 and ends at 0.48, and val accuracy is 0.56 "
                     "every epoch: it says no sepsis for every patient.")


if __name__ == "__main__":
    main()
