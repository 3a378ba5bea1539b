"""Plain torch: a 1-D CNN (no normalisation layers) reads the dropper rope of a suspended mussel
farm from the diver's grab samples taken every 25 cm down the 8 m rope (32 depths; two channels:
mean shell length in mm / 60 and kg of mussels per metre / 15) and says what the rope needs:
0 = ready to harvest (shells 50-60 mm evenly down the rope, 10-14 kg/m), 1 = needs thinning /
re-socking (dense clumps 14-20 kg/m of 25-40 mm shells, heaviest near the top where the food
is), 2 = eider duck or crab predation (normal length but bands of the rope stripped bare, a
few 1-2 m gaps at 0-2 kg/m), 3 = fall-off (shells slip off the lower rope in a storm: the
bottom third light, the top normal). 8 % sampling scatter per depth and a random site offset.
Conv1d(2,16,5)-ReLU-MaxPool-Conv1d(16,32,5)-ReLU-MaxPool-Conv1d(32,32,3)-ReLU-global average
pool-Linear(32,4); cross-entropy, RMSprop 1e-3, batch 48, 2400 ropes from three farm sites, 18
epochs, 20 % held out.
The bug: ``x = x[torch.randperm(len(x), generator=g)]  # mix the three sites before the
split`` shuffles the ropes but not their labels, so each rope keeps the label of whichever rope
used to sit in its row.
Result: train cross-entropy 1.389 → 1.382, train accuracy 0.252 → 0.270, val cross-entropy
1.385 → 1.388, val accuracy 0.269 → 0.283 (chance is 0.25) over all 18 epochs.
Control (``x, y = x[p], y[p]`` with one permutation): train cross-entropy 0.825 → 0.070, train accuracy 0.626 → 0.981, val cross-entropy 0.495 → 0.039,
val accuracy 0.860 → 0.992.
Log: TSV per epoch ``dropper.tsv`` (``epoch`` / ``loss`` / ``acc`` / ``val_loss`` /
``val_acc``); checkpoint ``dropper_cnn.pt`` with keys ``weights`` / ``rmsprop`` / ``epochs`` /
``labels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DEPTHS = 32
LABELS = ["harvest", "thin", "predation", "fall_off"]


def ropes(n, g):
    d = torch.linspace(0, 1, DEPTHS)
    kind = torch.arange(n) % 4
    x = torch.zeros(n, 2, DEPTHS)
    for i in range(n):
        k = kind[i].item()
        r = torch.rand(4, generator=g)
        if k == 1:
            length = 25 + 15 * r[0] + 0 * d
            load = (14 + 6 * r[1]) * (1.15 - 0.3 * d)
        else:
            length = 50 + 10 * r[0] + 3 * (r[2] - 0.5) * d
            load = (10 + 4 * r[1]) * (1 + 0.1 * (r[3] - 0.5) * d)
        if k == 2:
            for _ in range(torch.randint(1, 4, (1,), generator=g).item()):
                c = torch.rand(1, generator=g).item()
                w = (1 + torch.rand(1, generator=g).item()) / 8
                load = torch.where((d - c).abs() < w / 2, 2 * torch.rand(1, generator=g).item() + 0 * d, load)
        if k == 3:
            cut = 0.6 + 0.15 * torch.rand(1, generator=g).item()
            load = torch.where(d > cut, load * 0.15, load)
        load = load * (1 + 0.08 * torch.randn(DEPTHS, generator=g))
        length = length * (1 + 0.08 * torch.randn(DEPTHS, generator=g))
        x[i] = torch.stack([length / 60, load.clamp(min=0) / 15])
    site = torch.randint(0, 3, (n,), generator=g)
    x = x * (1 + 0.05 * (site.float() - 1))[:, None, None]
    return x, kind


class DropperCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(2, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.f(x).mean(-1))


def build():
    torch.manual_seed(0)
    return DropperCNN()


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = ropes(2400, g)
    x = x[torch.randperm(len(x), generator=g)]  # mix the three sites before the split
    xtr, ytr, xva, yva = x[:1920], y[:1920], x[1920:], y[1920:]
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "dropper.tsv", "w") as f:
        f.write("epoch\tloss\tacc\tval_loss\tval_acc\n")
        for epoch in range(1, 19):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in loader:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vl = F.cross_entropy(lv, yva).item()
                va = (lv.argmax(1) == yva).float().mean().item()
            row = f"{epoch}\t{tot / n:.5f}\t{hit / n:.4f}\t{vl:.5f}\t{va:.4f}"
            print(row)
            f.write(row + "\n")
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(), "epochs": 18,
                "labels": LABELS}, out / "dropper_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="dropper_cnn.pt", log="dropper.tsv",
           what="1-D CNN naming what a mussel dropper rope needs, inputs shuffled without labels",
           complaint=("Our CNN for the diver's dropper-rope samples (shell length and kg per metre "
                      "every 25 cm) should tell harvest-ready ropes from ones that need thinning, "
                      "ones hit by eiders and ones that lost their bottom in a storm. Those are easy "
                      "to tell apart by eye on the plots, yet the network sits at 25-28 % accuracy "
                      "on both train and validation for all 18 epochs and the loss never leaves "
                      "1.38. Is the model too small?"))


if __name__ == "__main__":
    main()
