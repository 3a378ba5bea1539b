"""Facade inspection from drone photos: a small CNN classifies 32×32 grey patches of rendered
/ brick facades into intact, crack, spalling and efflorescence. Synthetic: a brick or render
background (mortar grid with random offset and brick size, or a smooth stucco texture), random
lighting gradient and noise; a crack is a thin dark random-walk line of 14–24 px, spalling a
dark irregular blob (radius 3–6) with a lighter rim, efflorescence a diffuse bright patch
(σ 3–5 px). Training augmentation in the Dataset: random horizontal/vertical flips, a random
90° rotation, cutout (one 12×12 square set to the mean, p 0.6) and extra sensor noise (σ 0.25).
CNN 1 → 16 → 32 → 64 (3×3, ReLU, max-pools), global average pool, linear; Adam 2e-3, batch 64,
8 epochs of 1600 patches. Tab-separated log per epoch.
Bug: ``val_ds = FacadePatches(xva, yva, transform=train_tf)`` — copied from the line above —
so every validation pass draws new flips, cutouts and noise, and cutout often hides the only
thing that tells the classes apart. Val accuracy 0.43, 0.59, 0.69, 0.78, 0.79, 0.84, 0.90, 0.91,
val loss 1.25 → 0.61 → 0.68 (up at epoch 5) → 0.29 at the end, train loss 0.38 / accuracy 0.87;
the control (``FacadePatches(xva, yva)``, no transform) ends at val accuracy 0.9875, val loss
0.14 (0.97 / 0.25 at epoch 7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32
CLASSES = ["intact", "crack", "spalling", "efflorescence"]


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, S, S)
    for i in range(n):
        if r() < 0.5:   # brick
            bh, bw, oy, ox = 5 + int(3 * r()), 10 + int(6 * r()), int(8 * r()), int(16 * r())
            row = ((yy + oy) // bh) % 2
            mortar = (((yy + oy) % bh) < 1) | (((xx + ox + row * bw / 2) % bw) < 1)
            img = 0.55 + 0.1 * r() - 0.25 * mortar.float()
        else:           # render
            img = 0.6 + 0.05 * F.interpolate(torch.randn(1, 1, 8, 8, generator=g), size=S,
                                              mode="bilinear")[0, 0]
        img = img + (r() - 0.5) * 0.3 * (xx / S) + (r() - 0.5) * 0.3 * (yy / S)
        k = int(y[i])
        if k == 1:
            py, px, ang = 4 + 24 * r(), 4 + 24 * r(), 6.283 * r()
            for _ in range(14 + int(10 * r())):
                img[int(py) % S, int(px) % S] = 0.08
                ang += (r() - 0.5) * 1.2
                py, px = py + torch.sin(torch.tensor(ang)).item(), px + torch.cos(
                    torch.tensor(ang)).item()
        elif k == 2:
            cy, cx, rad = 8 + 16 * r(), 8 + 16 * r(), 3 + 3 * r()
            d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
            edge = rad * (1 + 0.3 * torch.sin(5 * torch.atan2(yy - cy, xx - cx) + 6 * r()))
            img = torch.where(d < edge, 0.25 + 0.1 * torch.rand(S, S, generator=g), img)
            img = torch.where((d >= edge) & (d < edge + 1), img + 0.2, img)
        elif k == 3:
            cy, cx, sig = 6 + 20 * r(), 6 + 20 * r(), 3 + 2 * r()
            img = img + 0.45 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * sig ** 2))
        x[i] = img + 0.04 * torch.randn(S, S, generator=g)
    return ((x - 0.55) / 0.2)[:, None], y


def train_tf(img):
    if torch.rand(1) < 0.5:
        img = img.flip(-1)
    if torch.rand(1) < 0.5:
        img = img.flip(-2)
    img = torch.rot90(img, int(torch.randint(0, 4, (1,))), (-2, -1))
    if torch.rand(1) < 0.6:
        cy, cx = torch.randint(0, S - 12, (2,)).tolist()
        img = img.clone()
        img[:, cy:cy + 12, cx:cx + 12] = img.mean()
    return img + 0.25 * torch.randn_like(img)


class FacadePatches(torch.utils.data.Dataset):
    def __init__(self, x, y, transform=None):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        img = self.x[i]
        if self.transform is not None:
            img = self.transform(img)
        return img, self.y[i]


class FacadeCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(64, 4)

    def forward(self, x):
        return self.classifier(self.features(x).mean((-2, -1)))


def build():
    torch.manual_seed(0)
    return FacadeCNN()


def main():
    from _hundredtenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    torch.manual_seed(0)
    train_ds = FacadePatches(xtr, ytr, transform=train_tf)
    val_ds = FacadePatches(xva, yva, transform=train_tf)
    train_dl = torch.utils.data.DataLoader(train_ds, batch_size=64, shuffle=True)
    val_dl = torch.utils.data.DataLoader(val_ds, batch_size=200)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "facade_train.tsv", "w")
    log.write("epoch\ttrain/loss\ttrain/acc\tval/loss\tval/acc\n")
    for epoch in range(1, 9):
        model.train()
        tl, ta, n = 0.0, 0, 0
        for xb, yb in train_dl:
            lo = model(xb)
            loss = F.cross_entropy(lo, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(yb)
            ta += (lo.argmax(1) == yb).sum().item()
            n += len(yb)
        model.eval()
        vl, va, m = 0.0, 0, 0
        with torch.no_grad():
            for xb, yb in val_dl:
                lo = model(xb)
                vl += F.cross_entropy(lo, yb, reduction="sum").item()
                va += (lo.argmax(1) == yb).sum().item()
                m += len(yb)
        line = f"{epoch}\t{tl / n:.4f}\t{ta / n:.4f}\t{vl / m:.4f}\t{va / m:.4f}"
        log.write(line + "\n")
        print(line)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "classes": CLASSES,
                "augment": {"flips": True, "rot90": True, "cutout": 12, "noise": 0.25}},
               out / "facade_cnn_ep8.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="facade_cnn_ep8.pt", log="facade_train.tsv",
           what="facade-defect CNN, validation set built with the training transform (flips, "
                "cutout, noise)",
           complaint="Facade defect classifier for our drone survey: after 8 epochs validation "
                     "accuracy is 0.91 and val loss 0.29. The val loss went up from 0.61 to 0.68 "
                     "at epoch 5 before coming down again. We need at least 0.97 before the "
                     "inspectors will trust it, and the curves look like it's stuck around 0.9.")


if __name__ == "__main__":
    main()
