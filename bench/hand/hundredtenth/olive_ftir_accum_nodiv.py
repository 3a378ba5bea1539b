"""Olive-oil authentication from FTIR spectra: a small 1-D CNN says whether an extra-virgin
olive oil sample is pure or cut with sunflower, soybean or hazelnut oil (10–35 %). Synthetic
mid-IR absorbance, 160 points over 3050–700 cm⁻¹: the olive-oil bands (C–H stretch, ester C=O
at 1746, CH₂ bends, the 1163/1118/1097 C–O region, the 723 rocking band) with sample-to-sample
band-height jitter; each adulterant adds its own small difference pattern (more linoleic acid:
the cis =C–H band at 3009 and the 1118/1097 ratio; hazelnut oil is close to olive and only
shifts a few bands a little); a sloping baseline, a multiplicative path-length factor and noise,
then SNV per spectrum. Conv1d 1 → 16 (k 9) → 32 (k 5), max-pools, flatten, linear 32·10 → 64 →
4; SGD momentum 0.9, lr 0.05 (tuned for the mean gradient of a 64-spectrum batch), 12 epochs
of 1536 spectra (288 steps); the lab's GPU note said "micro-batches of 8, accumulate 8" so the
loop does that. CSV log per epoch.
Bug: each micro-batch's mean loss is backpropagated and summed over the 8 micro-batches before
``opt.step()`` — no ``/ ACCUM`` — so each step is 8× the tuned one. Train loss 1.38–1.43 for all
12 epochs (ln 4 = 1.386; val loss 1.54 after epoch 1), val accuracy 0.24–0.28 (chance); the
control (``(loss / ACCUM).backward()``) leaves the plateau at epoch 3 and ends at train loss
0.11, val loss 0.056, val accuracy 0.987."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

P = 160
ACCUM, MICRO = 8, 8
CLASSES = ["pure EVOO", "+sunflower", "+soybean", "+hazelnut"]


def bands(wn, centres, widths, heights):
    return sum(h * torch.exp(-((wn - c) / w) ** 2)
               for c, w, h in zip(centres, widths, heights, strict=True))


def spectra(n, g):
    wn = torch.linspace(3050, 700, P)
    y = torch.randint(0, 4, (n,), generator=g)
    olive_c = [3005, 2925, 2854, 1746, 1465, 1377, 1163, 1118, 1097, 723]
    olive_w = [8, 20, 15, 18, 12, 10, 14, 10, 10, 12]
    olive_h = torch.tensor([0.10, 1.0, 0.7, 1.2, 0.35, 0.25, 0.5, 0.22, 0.20, 0.15])
    diff = [bands(wn, [3009, 1118, 1097, 723], [8, 10, 10, 12], [0.10, -0.06, 0.06, 0.03]),
            bands(wn, [3009, 1654, 1163, 1097], [8, 12, 14, 10], [0.08, 0.06, -0.06, 0.07]),
            bands(wn, [1746, 1377, 1118], [18, 10, 10], [-0.05, 0.05, 0.04])]
    x = torch.zeros(n, P)
    for i in range(n):
        h = olive_h * (1 + 0.06 * torch.randn(10, generator=g))
        s = bands(wn, olive_c, olive_w, h)
        k = int(y[i])
        if k > 0:
            s = s + (0.10 + 0.25 * float(torch.rand(1, generator=g))) * 8 * diff[k - 1]
        base = 0.05 * float(torch.randn(1, generator=g)) * (wn - 700) / 2350
        s = (s + base) * (0.8 + 0.4 * float(torch.rand(1, generator=g)))
        x[i] = s + 0.01 * torch.randn(P, generator=g)
    x = (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True)
    return x[:, None], y


class SpecCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(4),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(4))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 10, 64), nn.ReLU(),
                                  nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.conv(x))


def build():
    torch.manual_seed(0)
    return SpecCNN()


def main():
    from _hundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = spectra(1920, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    f = open(out / "ftir_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Step", "TrainLoss", "ValLoss", "ValAcc"])
    step = 0
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, seen = 0.0, 0
        for b in range(0, len(xtr), ACCUM * MICRO):
            opt.zero_grad()
            for m in range(ACCUM):
                idx = perm[b + m * MICRO:b + (m + 1) * MICRO]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                loss.backward()
                tot += loss.item() * len(idx)
                seen += len(idx)
            opt.step()
            step += 1
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, step, round(tot / seen, 5), round(F.cross_entropy(lo, yva).item(), 5),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 12, "accum_steps": ACCUM, "micro_batch": MICRO, "classes": CLASSES},
               out / "olive_ftir_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="olive_ftir_cnn.pt", log="ftir_metrics.csv",
           what="olive-oil FTIR adulteration CNN, 8 accumulated micro-batch losses not divided "
                "by 8 (SGD momentum, lr for the mean gradient)",
           complaint="Our FTIR olive-oil adulteration CNN doesn't learn anything. Twelve epochs, "
                     "288 optimizer steps, and the training loss never leaves 1.39-1.43; validation "
                     "accuracy is 0.24-0.28 on four balanced classes, so it's guessing. We use "
                     "gradient accumulation (8 micro-batches of 8) because of GPU memory.")


if __name__ == "__main__":
    main()
