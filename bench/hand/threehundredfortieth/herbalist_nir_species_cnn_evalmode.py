"""Plain torch: a 1-D CNN with batch norm and dropout names the herb in a jar of dried, milled
herb from its near-infrared reflectance spectrum (64 points, 1100-2500 nm, a handheld NIR
probe pressed on the powder), so a herbalist's dispensary can check a supplier's delivery
before it goes on the shelf: chamomile flowers, peppermint leaf, sage leaf, thyme herb, lemon
balm leaf, valerian root. Each spectrum is log(1/R) built from the herb's make-up: cellulose /
fibre (1490, 1780, 2100 nm), water (1450, 1940 nm, 6-12 % moisture), essential oil C-H
overtones (1700-1730 and 2300 nm; menthol, thymol, thujone, citral differ in their mix),
protein (2050, 2180 nm), starch and sugars (valerian root: 2100, 2280 nm), flavonoid /
pigment tail below 1200 nm; plus particle-size scatter (a multiplicative gain and a sloped
baseline), the harvest year's oil content and probe noise. The four leaves are close.
Input: (1, 64) log(1/R). Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5) +
BN + ReLU + MaxPool2, Flatten, Dropout 0.5, Linear 512→64 + ReLU, Dropout 0.5, Linear 64→6;
cross-entropy, Adam 2e-3, batch 16, 16 epochs, 360 jars, validation on 300.
The bug: ``model.train()  # dropout and batch-norm statistics on`` is called once, before the
epoch loop, and the untrained check right after it (``evaluate``, which calls
``model.eval()``) leaves the net in eval mode for the whole run: dropout off, batch norm on
its initial statistics (mean 0, variance 1), so nothing is normalised. Val accuracy 0.16 →
0.81 after 16 epochs (0.61 at epoch 6), 0.73 on the four leaves, val CE 1.79 → 0.458 with
train CE 0.463 beside it (control, ``model.train()`` at the top of every epoch: val accuracy
0.89 by epoch 6 and 0.93 at the end, 0.92 on the leaves, val CE 0.259, train CE 0.449).
Log: CSV per epoch ``nir_epochs.csv`` (``epoch`` / ``train_ce`` / ``train_acc`` / ``val_ce`` /
``val_acc`` / ``val_acc_leaves``); checkpoint ``herb_nir.ckpt`` with keys ``cnn_state`` /
``optim`` / ``epoch`` / ``wavelengths_nm`` / ``species``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NM = torch.linspace(1100, 2500, 64)
SPECIES = ["chamomile", "peppermint", "sage", "thyme", "lemon_balm", "valerian"]
#                 fibre  oil  menthol/thymol mix  protein  starch  pigment
MAKEUP = torch.tensor([[0.50, 0.30, 0.20, 0.30, 0.10, 0.50],
                       [0.55, 0.45, 0.80, 0.40, 0.05, 0.35],
                       [0.65, 0.35, 0.40, 0.30, 0.05, 0.30],
                       [0.70, 0.40, 0.10, 0.25, 0.05, 0.25],
                       [0.55, 0.25, 0.65, 0.45, 0.05, 0.40],
                       [0.40, 0.20, 0.30, 0.15, 0.80, 0.10]])


def band(c, w):
    return torch.exp(-0.5 * ((NM - c) / w) ** 2)


def jars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 6, (n,), generator=g)
    m = MAKEUP[sp] * (0.8 + 0.4 * r(n, 6))
    fibre, oil, mix, prot, starch, pig = [m[:, i:i + 1] for i in range(6)]
    water = 0.06 + 0.06 * r(n, 1)
    a = (fibre * (0.3 * band(1490, 40) + 0.35 * band(1780, 50) + 0.45 * band(2100, 60))
         + water * (4.0 * band(1450, 45) + 6.0 * band(1940, 50))
         + oil * (0.3 * (1 - mix) * band(1700, 25) + 0.3 * mix * band(1730, 25)
                  + 0.4 * band(2300, 40) + 0.15 * mix * band(2350, 30))
         + prot * (0.35 * band(2050, 35) + 0.3 * band(2180, 30))
         + starch * (0.4 * band(2100, 45) + 0.35 * band(2280, 40))
         + pig * 0.4 * torch.exp(-(NM - 1100) / 120))
    gain = 0.8 + 0.4 * r(n, 1)
    base = 0.1 + 0.15 * r(n, 1) + 0.08 * r(n, 1) * (NM - 1100) / 1400
    x = gain * a + base + 0.01 * torch.randn(n, 64, generator=g)
    return x.unsqueeze(1), sp


class HerbNIR(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(512, 64),
                                        nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 6))

    def forward(self, x):
        return self.classifier(self.features(x))


def build():
    torch.manual_seed(0)
    return HerbNIR()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    pred = logits.argmax(1)
    leaves = (y >= 1) & (y <= 4)
    return [F.cross_entropy(logits, y).item(), (pred == y).float().mean().item(),
            (pred[leaves] == y[leaves]).float().mean().item()]


def main():
    from _threehundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jars(360, g)
    xva, yva = jars(300, g)
    print("species", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=16,
                                     shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()  # dropout and batch-norm statistics on
    print("untrained", evaluate(model, xva, yva))  # should be near chance (1/6)
    with open(out / "nir_epochs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_ce", "train_acc", "val_ce", "val_acc", "val_acc_leaves"])
        for epoch in range(16):
            tot, hit = 0.0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
            row = [tot / len(xtr), hit / len(xtr)] + evaluate(model, xva, yva)
            w.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"cnn_state": model.state_dict(), "optim": opt.state_dict(), "epoch": 16,
                "wavelengths_nm": NM, "species": SPECIES}, out / "herb_nir.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="herb_nir.ckpt", log="nir_epochs.csv",
           what="1-D CNN with batch norm and dropout naming a dried herb from its NIR spectrum;"
                " model.train() called once before the epoch loop, evaluate() leaves it in eval"
                " mode from epoch 2 on",
           complaint="My CNN that identifies herbs from NIR spectra of the powder stalls at about"
                     " 80 % validation accuracy after 16 epochs (val loss 0.46), and on the four"
                     " leaf herbs (peppermint, sage, thyme, lemon balm) it is only 73 % right."
                     " Train and val loss are almost identical the whole time, so it doesn't"
                     " look like overfitting. Chamomile and valerian are fine. Is the network"
                     " too small, or do I just need many more epochs?")


if __name__ == "__main__":
    main()
