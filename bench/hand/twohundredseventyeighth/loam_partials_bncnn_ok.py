"""Plain torch: a 1-D CNN with BatchNorm reads the strike spectrum of a bell just out of the
loam mould and says which partial the tuner will have to work on: 0 = true-harmonic within
tolerance, 1 = flat tierce (the minor third low by 0.5-1.2 semitone: profile too thin at the
waist), 2 = sharp hum (the hum above the octave below the strike by 0.5-1.2 semitone), 3 = flat
nominal (0.5-1.2 semitone low against the prime). Spectra: 128 bins on a log frequency axis (32
bins per octave), peaks at hum, prime, tierce, quint, nominal, superquint and octave nominal of
a strike note anywhere in a 20-bin band, every partial also off by a little (sd 0.12 semitone),
levels falling with a per-bell damping, noise floor, dB scaled to 0-1.
Conv1d 1→16 (k7) → 32 (k5) → 32 (k5) → 48 (k5), each BN + ReLU, max-pool 2 after the first
three, global average pool, linear 48→4; cross-entropy, SGD lr 0.05 nesterov momentum 0.9,
weight decay 5e-4, MultiStepLR ×0.2 at epochs 10 and 15, batch 48, 18 epochs, 2400 bells,
validation on 480.
Log: TSV per epoch ``tuning_book.tsv`` (``epoch`` / ``ce`` / ``train_acc`` / ``val_ce`` /
``val_acc`` / ``lr``); checkpoint ``bell_cnn.pt`` with keys ``model_state`` /
``optimizer_state`` / ``scheduler_state`` / ``epoch`` / ``class_names``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BINS = 128
PARTIALS = torch.tensor([-1.0, 0.0, 0.263, 0.585, 1.0, 1.585, 2.0])   # octaves from the strike
LEVELS = torch.tensor([0.7, 0.8, 0.9, 0.75, 1.0, 0.6, 0.5])
CLASSES = ["true", "flat_tierce", "sharp_hum", "flat_nominal"]
WHICH = {1: (2, -1.0), 2: (0, 1.0), 3: (4, -1.0)}       # class -> (partial, direction)


def bells(n, g):
    axis = torch.arange(BINS).float()
    y = torch.randint(0, 4, (n,), generator=g)
    strike = 36 + 20 * torch.rand(n, 1, generator=g)
    semis = 0.12 * torch.randn(n, 7, generator=g)
    size = 0.5 + 0.7 * torch.rand(n, generator=g)
    for k, (p, sign) in WHICH.items():
        semis[y == k, p] += sign * size[y == k]
    pos = strike + 32 * (PARTIALS[None] + semis / 12)
    damp = 0.3 + 0.5 * torch.rand(n, 1, generator=g)
    lev = LEVELS[None] * torch.exp(-damp * (PARTIALS[None] + 1)) * (
        1 + 0.15 * torch.randn(n, 7, generator=g))
    spec = (lev[:, :, None] * torch.exp(-0.5 * ((axis[None, None] - pos[:, :, None]) / 1.2) ** 2)).sum(1)
    spec = spec + 0.01 + 0.005 * torch.rand(n, BINS, generator=g)
    x = ((20 * torch.log10(spec) + 40) / 42).clamp(0, 1)
    return x[:, None, :], y


def block(cin, cout, k, pool):
    layers = [nn.Conv1d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout),
              nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool1d(2)) if pool else nn.Sequential(*layers)


class PartialCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(block(1, 16, 7, True), block(16, 32, 5, True),
                                      block(32, 32, 5, True), block(32, 48, 5, False))
        self.head = nn.Linear(48, 4)

    def forward(self, x):
        return self.head(self.features(x).mean(-1))


def build():
    torch.manual_seed(0)
    return PartialCNN()


def main():
    from _twohundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bells(2400, g)
    xva, yva = bells(480, g)
    print("class counts", torch.bincount(ytr).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 15], gamma=0.2)
    with open(out / "tuning_book.tsv", "w") as f:
        f.write("epoch\tce\ttrain_acc\tval_ce\tval_acc\tlr\n")
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
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = (f"{epoch}\t{tot / n:.5f}\t{hit / n:.4f}\t{F.cross_entropy(lv, yva).item():.5f}"
                   f"\t{(lv.argmax(1) == yva).float().mean().item():.4f}\t{lr:.5f}")
            print(row)
            f.write(row + "\n")
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": 18, "class_names": CLASSES},
               out / "bell_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bell_cnn.pt", log="tuning_book.tsv",
           what="1-D BN CNN naming which partial of a fresh bell is out, from its strike"
                " spectrum (healthy)")


if __name__ == "__main__":
    main()
