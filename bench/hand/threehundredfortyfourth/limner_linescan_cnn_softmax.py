"""Plain torch: a fully convolutional 1-D CNN without batch norm labels every pixel of a
multispectral line scan across an illuminated manuscript page with its pigment, so a limner
restoring the page can map what was laid where: bare parchment, vermilion, azurite,
verdigris, lead white, shell gold, lamp-black ink (7 classes). A line is 96 pixels crossing
2-5 painted areas (runs of 6-40 pixels); each pixel's reflectance in 8 narrow bands
(420-700 nm, 40 nm apart) follows Kubelka-Munk (R = 1 + K/S - sqrt((K/S)² + 2 K/S), each
pigment's K/S from its absorption edge or bands, the paint layer's strength varying from
area to area), gold a rising metallic curve, with a 2-pixel blur at the borders, a lamp gain
drifting along the line, and camera noise.
Input: (8, 96) band reflectances standardised per band. Model: Conv1d 8→32 (k5) + ReLU,
Conv1d 32→32 (k5, dilation 2) + ReLU, Conv1d 32→32 (k3) + ReLU, Conv1d 32→7 (k1), softmax in
``forward``; NLL of the log-probabilities per pixel, Adam 2e-3, batch 16, 12 epochs, 480
lines, validation on 120 lines.
The bug: the softmax is taken over the last dimension, the 96 pixels of the line
(``return F.softmax(self.out(h), dim=-1)  # per-pixel pigment probabilities``), not over the
7 pigments (``dim=1``), so the loss only asks each pixel to score its pigment higher than the
other pixels of the line do; a constant per line and pigment cancels out of it, and which
pigment a pixel is never gets learned. Measured: train NLL 4.06 → 3.43, val NLL
3.76 → 3.48, val pixel accuracy 0.66 → 0.88 (azurite 0.72 → 0.94); control (``dim=1``): val
NLL 0.47 → 0.0099, pixel accuracy 0.81 → 0.997.
Log: CSV per epoch ``scan_fit.csv`` (``epoch`` / ``train_nll`` / ``val_nll`` /
``val_pixel_acc`` / ``val_acc_azurite``); checkpoint ``linescan_fcn.pth`` with keys
``weights`` / ``adam_state`` / ``epoch`` / ``bands_nm`` / ``band_mean`` / ``band_std`` /
``classes``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

WL = torch.arange(420, 701, 40).float()
L = 96
CLASSES = ["parchment", "vermilion", "azurite", "verdigris", "lead_white", "shell_gold", "ink"]


def ks_curves():
    edge = lambda c, w: torch.sigmoid((c - WL) / w)  # noqa: E731  absorbs below c
    band = lambda c, w: torch.exp(-((WL - c) / w) ** 2)  # noqa: E731
    return torch.stack([
        0.6 * edge(480, 30) + 0.12,                            # parchment
        8 * edge(590, 8) + 0.02,                               # vermilion
        3 * (1 - edge(520, 20)) + 2 * band(640, 40) + 0.3,     # azurite
        2.5 * (1 - edge(570, 30)) + 1.5 * edge(430, 10) + 0.2,  # verdigris
        0.03 + 0.02 * edge(430, 10),                           # lead white
        torch.zeros(len(WL)),                                  # shell gold (not K-M)
        torch.full((len(WL),), 12.0),                          # ink
    ])


def lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ks = ks_curves()
    lab = torch.zeros(n, L, dtype=torch.long)
    strength = torch.ones(n, L)
    for i in range(n):
        pos = 0
        while pos < L:
            run = int(6 + 34 * r(1))
            lab[i, pos:pos + run] = int(7 * r(1))
            strength[i, pos:pos + run] = 0.5 + r(1)
            pos += run
    m = ks[lab] * strength.unsqueeze(2)  # (n, L, bands)
    refl = 1 + m - torch.sqrt(m ** 2 + 2 * m)
    gold = 0.25 + 0.55 * torch.sigmoid((WL - 530) / 30)
    refl = torch.where((lab == 5).unsqueeze(2), gold * strength.unsqueeze(2).clamp(max=1.2), refl)
    refl = refl.transpose(1, 2)  # (n, bands, L)
    refl = F.avg_pool1d(F.pad(refl, (2, 2), mode="replicate"), 5, 1)  # border blur
    gain = 0.93 + 0.1 * r(n, 1, 1) + 0.04 * torch.linspace(-1, 1, L) * (r(n, 1, 1) - 0.5)
    return refl * gain + 0.01 * torch.randn(n, len(WL), L, generator=g), lab


class LineFCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(8, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, padding=4, dilation=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.out = nn.Conv1d(32, 7, 1)

    def forward(self, x):
        h = self.body(x)
        return F.softmax(self.out(h), dim=-1)  # per-pixel pigment probabilities


def build():
    torch.manual_seed(0)
    return LineFCN()


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lines(480, g)
    xva, yva = lines(120, g)
    mu, sd = xtr.mean((0, 2), keepdim=True), xtr.std((0, 2), keepdim=True)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("pixel shares", (torch.bincount(ytr.flatten()) / ytr.numel()).tolist())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "scan_fit.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_nll", "val_nll", "val_pixel_acc", "val_acc_azurite"])
        for epoch in range(12):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 16):
                idx = perm[b:b + 16]
                probs = model(xtr[idx])
                loss = F.nll_loss(torch.log(probs), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            pred = pv.argmax(1)
            az = yva == 2
            row = [epoch, round(tot / len(xtr), 5), round(F.nll_loss(torch.log(pv), yva).item(), 5),
                   round((pred == yva).float().mean().item(), 4),
                   round((pred[az] == 2).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 12,
                "bands_nm": WL.tolist(), "band_mean": mu, "band_std": sd, "classes": CLASSES},
               out / "linescan_fcn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="linescan_fcn.pth", log="scan_fit.csv",
           what="fully convolutional 1-D CNN labelling the pigment of every pixel of a"
                " manuscript line scan, softmax over the pixels instead of the 7 pigments",
           complaint=("Our pixel-wise pigment classifier for manuscript line scans (small 1-D conv net,"
                     " 7 classes, 96-pixel lines) gets stuck: the train NLL drops from 4.06 to"
                     " about 3.5 in three epochs and then sits at 3.43, val at 3.48, for the rest"
                     " of the 12 epochs. Pixel accuracy creeps up to 0.88 but no further, and a"
                     " loss of 3.4 with 88 % accuracy makes no sense to me; with 7 classes I"
                     " thought 1.95 was chance. The spectra of these pigments are very different,"
                     " so I expected close to 100 %. What am I missing?"))


if __name__ == "__main__":
    main()
