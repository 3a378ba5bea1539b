"""Plain torch: a small 2-D CNN with batch norm grades clay roof tiles as they come off a
kiln car, from a 24×24 RGB patch cropped from the sorting-line camera: underfired (pale,
salmon, porous; T peak < 1000 °C), well fired (terracotta red), overfired (dark brown to
purple with glassy bloat spots; T peak > 1080 °C). The colour darkens and reddens with the
peak temperature; the clay's iron content (4-9 % Fe2O3) shifts it too (more iron, redder and
darker at the same temperature), the line lights vary the brightness ±12 %, sand grains
and surface texture add speckle, and bloat spots appear above about 1070 °C.
Input: (3, 24, 24), standardised per channel with the train mean / std. Model: Conv2d 3→16
(k3) + BN + ReLU + MaxPool2, Conv2d 16→32 (k3) + BN + ReLU + MaxPool2, Conv2d 32→32 (k3)
+ BN + ReLU, global average pool, Linear 32→32 + BN + ReLU, Linear 32→3; cross-entropy,
SGD 0.01 (momentum 0.9, Nesterov), 8 epochs, 960 tiles, validation on 320.
The bug: the loader hands the net two tiles per step (``BATCH = 2``), so every batch-norm
layer normalises each tile against one other tile in training and against the running
averages in eval; the tile's overall colour, which is what the grade rests on, is mostly
normalised away in training and the eval-mode net sees different numbers: train CE stays
at 0.94-1.05 (train acc 0.42-0.48), val accuracy erratic from epoch to epoch (0.57, 0.60,
0.77, 0.05, 0.34, 0.33, 0.36, 0.57), val CE 0.85 → 2.78 at epoch 3 → 1.17 at the end
(control, ``BATCH = 32``: val acc 0.85 → 0.89, val CE 0.43 → 0.27, train acc 0.87).
Log: CSV per epoch ``kiln_epochs.csv`` (``epoch`` / ``lr`` / ``train_ce`` / ``train_acc``
/ ``val_ce`` / ``val_acc``); checkpoint ``tile_grader.pth`` with keys ``weights`` /
``opt_state`` / ``epoch`` / ``grades`` / ``rgb_mean`` / ``rgb_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 24
GRADES = ["underfired", "fired", "overfired"]
BATCH = 2  # tiles per step; the grader also runs on the line two tiles at a time


def tiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = 940 + 200 * r(n)
    iron = 4 + 5 * r(n)
    grade = (temp > 1000).long() + (temp > 1080).long()
    u = (((temp - 940) / 200) + 0.04 * (iron - 6.5)).clamp(0, 1)
    base = torch.stack([0.88 - 0.42 * u ** 1.3, 0.66 - 0.45 * u, 0.52 - 0.30 * u], 1)
    light = 0.88 + 0.24 * r(n, 1)
    img = (base * light).view(n, 3, 1, 1).expand(n, 3, S, S).clone()
    speck = 0.06 * torch.randn(n, 1, S, S, generator=g)
    img = img + speck + 0.02 * torch.randn(n, 3, S, S, generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    for i in torch.nonzero(temp > 1070).flatten().tolist():
        k = int(1 + (temp[i] - 1070) / 20)
        for _ in range(k):
            cy, cx = float(r(1)) * S, float(r(1)) * S
            spot = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 3.0)
            img[i] = img[i] - 0.25 * spot
    return img.clamp(0, 1), grade


class TileNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Linear(32, 3))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return TileNet()


def main():
    from _threehundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = tiles(960, g)
    iva, yva = tiles(320, g)
    mean, std = itr.mean((0, 2, 3)), itr.std((0, 2, 3))
    xtr = (itr - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
    xva = (iva - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
    print("grades", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    with open(out / "kiln_epochs.csv", "w") as log:
        log.write("epoch,lr,train_ce,train_acc,val_ce,val_acc\n")
        for epoch in range(8):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vce = F.cross_entropy(lv, yva).item()
            vacc = (lv.argmax(1) == yva).float().mean().item()
            log.write(f"{epoch},{opt.param_groups[0]['lr']:.4g},{tot / n:.5f},{hit / n:.5f},"
                      f"{vce:.5f},{vacc:.5f}\n")
            print(epoch, round(tot / n, 4), round(hit / n, 4), round(vce, 4), round(vacc, 4))
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 8,
                "grades": GRADES, "rgb_mean": mean, "rgb_std": std}, out / "tile_grader.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="tile_grader.pth", log="kiln_epochs.csv",
           what="2-D CNN with batch norm grading kiln-fired roof tiles (under / fired / over)"
                " from a camera patch, trained two tiles per batch",
           complaint="Our roof tile grader will not learn. Training accuracy sits at about"
                     " 47 % for all 8 epochs and the validation accuracy jumps all over"
                     " the place: 57 %, 60 %, 77 %, then 5 % (!), 34 %, 33 %, 36 %, 57 %."
                     " Validation loss hit 2.8 at one point. Underfired, good and overfired"
                     " tiles are easy to tell apart by eye, so what is going on?")


if __name__ == "__main__":
    main()
