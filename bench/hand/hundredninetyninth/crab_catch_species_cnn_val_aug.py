"""Plain torch: a small CNN with BatchNorm sorts a crab-fishing boat's catch by species from a
16×16 grey top-down photo of each crab on the sorting table (edible brown crab, velvet swimming
crab, spider crab, green shore crab): the carapace shape (broad oval, flattened oval with paddle
legs, pear-shaped, fan-shaped) and its texture (smooth, hairy, spiny, mottled) tell them apart;
size, rotation of a few degrees and position vary, the table is noisy. Training uses
augmentation (random shifts of up to 3 px, flips, brightness jitter, a gaussian noise, a random 8×8 cut-out).
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global average pool,
Linear(32→4); Adam 1e-3, batch 64, 12 epochs of 1536 photos, shuffled.
Log: CSV per epoch (``epoch``, ``loss``, ``acc``, ``val_loss``, ``val_acc``); checkpoint
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``.
The bug: the validation ``CrabPhotos`` is built without ``augment=False`` (the class defaults to
augmenting), so every evaluation scores randomly shifted, flipped, jittered and cut-out photos:
val accuracy 0.45 after epoch 1, 0.64 at epoch 4, 0.79 at epoch 8, 0.74 at epoch 12 (val loss
0.60), tracking the augmented train accuracy (0.81). Control (``augment=False`` on the validation
set, same training): val accuracy 0.66, 0.84 at epoch 4, 0.97 at epoch 8, 0.96 at epoch 12, val
loss 0.11."""
import csv
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16


def photos(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.empty(n, 1, S, S)
    for i in range(n):
        c = int(y[i])
        sc = 0.55 + 0.15 * float(torch.rand(1, generator=g))
        a = 0.3 * (float(torch.rand(1, generator=g)) - 0.5)
        u = (xx * math.cos(a) + yy * math.sin(a)) / sc
        v = (-xx * math.sin(a) + yy * math.cos(a)) / sc
        if c == 0:
            r = (u / 1.3) ** 2 + (v / 0.9) ** 2
            tex = 0.1 * torch.randn(S, S, generator=g)
        elif c == 1:
            r = (u / 1.1) ** 2 + (v / 0.6) ** 2
            tex = 0.35 * torch.randn(S, S, generator=g)
        elif c == 2:
            r = (u / (0.6 + 0.3 * (v + 1) / 2)) ** 2 + (v / 1.1) ** 2
            tex = 0.3 * torch.cos(9 * u) * torch.cos(9 * v)
        else:
            r = (u / (0.5 + 0.5 * (1 - v) / 2)) ** 2 + (v / 0.9) ** 2
            tex = 0.3 * torch.sign(torch.sin(5 * u + 3 * v))
        body = torch.sigmoid((1 - r) * 8)
        img[i, 0] = body * (0.8 + tex) + 0.25 * torch.randn(S, S, generator=g)
    return (img - 0.35) / 0.45, y


class CrabPhotos(torch.utils.data.Dataset):
    def __init__(self, x, y, augment=True, seed=0):
        self.x, self.y, self.augment = x, y, augment
        self.g = torch.Generator().manual_seed(seed)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        img = self.x[i]
        if self.augment:
            dy, dx = torch.randint(-3, 4, (2,), generator=self.g).tolist()
            img = torch.roll(img, (dy, dx), (1, 2))
            if torch.rand(1, generator=self.g) < 0.5:
                img = img.flip(2)
            img = img * (0.7 + 0.6 * torch.rand(1, generator=self.g))
            img = img + 0.5 * torch.randn(img.shape, generator=self.g)
            cy, cx = torch.randint(0, S - 8, (2,), generator=self.g).tolist()
            img[:, cy:cy + 8, cx:cx + 8] = 0.0
        return img, self.y[i]


class CrabNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return CrabNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = photos(1856, g)
    train_ds = CrabPhotos(x[:1536], y[:1536], seed=1)
    val_ds = CrabPhotos(x[1536:], y[1536:], seed=2)
    train = torch.utils.data.DataLoader(train_ds, batch_size=64, shuffle=True,
                                        generator=torch.Generator().manual_seed(3))
    val = torch.utils.data.DataLoader(val_ds, batch_size=160)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(1, 13):
        model.train()
        tot = cor = 0.0
        for xb, yb in train:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            cor += (logits.argmax(1) == yb).sum().item()
        model.eval()
        vl = vc = 0.0
        with torch.no_grad():
            for xb, yb in val:
                logits = model(xb)
                vl += F.cross_entropy(logits, yb, reduction="sum").item()
                vc += (logits.argmax(1) == yb).sum().item()
        rows.append({"epoch": epoch, "loss": round(tot / 1536, 4), "acc": round(cor / 1536, 4),
                     "val_loss": round(vl / 320, 4), "val_acc": round(vc / 320, 4)})
        print(rows[-1])
    with open(out / "catch_sorter.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12}, out / "catch_sorter.pt")
    finish(out, __file__, (x[1536:1600], y[1536:1600]), causes=["eval_data_augmented"],
           checkpoint="catch_sorter.pt", log="catch_sorter.csv",
           what="crab-species CNN whose validation photos go through the training augmentation",
           complaint=("the crab sorter tops out around 75-79% val accuracy after 12 epochs, about"
                      " the same as on the training batches, yet when the deckhand checks the"
                      " sorted boxes it looks better than that. Which number should I trust?"))


if __name__ == "__main__":
    main()
