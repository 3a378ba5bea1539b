"""Plain torch: an MLP names the land cover of a survey grid cell (5 classes: open water,
wetland, woodland, scree, grassland) from what the cartographer's terrain model and the
aerial survey give per cell, so the field sheet can be drafted before the walk-over.
10 inputs: elevation (m), slope (°), sin / cos of aspect, distance to the nearest stream
(m), curvature, red and near-infrared reflectance, NDVI, and the cell's roughness from
the lidar returns. The rule: flat cells by a stream with dark NIR are water; low, flat,
green cells near water are wetland; green cells with rough canopy are woodland; steep
cells with little green are scree; the rest grassland; 4 % of the labels come from an
old sheet and are wrong. Inputs standardised with the train mean / std.
Model: 10→128→ReLU→128→ReLU→5; cross-entropy, Adam 1e-3, batch 100, 20 epochs, 4000
cells, validation on 1000.
The bug: the optimiser is ``torch.optim.Adam(model.parameters(), lr=1e-3,
weight_decay=0.05)  # the old sheet's labels are noisy: regularise hard``; Adam adds it to
the gradient as an L2 pull on every weight: train CE 1.09 → 0.616, val CE
0.855 → 0.645, val accuracy 0.737 → 0.828, and not one wetland cell found in 20 epochs
(control, ``weight_decay=0``: train CE 0.98 → 0.357, val CE 0.712 → 0.427, val
accuracy 0.799 → 0.877, wetland cells found 0.0 → 0.66).
Log: TSV per epoch ``landcover.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc``
/ ``val_acc_wetland``); checkpoint ``landcover_mlp.pt`` with keys ``state_dict`` /
``optimizer`` / ``epoch`` / ``mean`` / ``std`` / ``classes``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["water", "wetland", "woodland", "scree", "grassland"]


def cells(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    elev = 400 * r()
    slope = 40 * r() ** 1.5
    asp = 6.2832 * r()
    stream = 300 * r() ** 2
    curv = torch.randn(n, generator=g)
    green = r()
    rough = r()
    red = 0.05 + 0.15 * (1 - green) + 0.02 * torch.randn(n, generator=g)
    nir = 0.05 + 0.4 * green + 0.03 * torch.randn(n, generator=g)
    ndvi = (nir - red) / (nir + red)
    y = torch.full((n,), 4, dtype=torch.long)
    y[(slope > 20) & (green < 0.4)] = 3
    y[(green > 0.5) & (rough > 0.55)] = 2
    y[(elev < 150) & (slope < 6) & (green > 0.45) & (stream < 80)] = 1
    y[(slope < 4) & (stream < 25) & (green < 0.3)] = 0
    flip = torch.rand(n, generator=g) < 0.04
    y[flip] = torch.randint(0, 5, (int(flip.sum()),), generator=g)
    x = torch.stack([elev, slope, asp.sin(), asp.cos(), stream, curv, red, nir, ndvi, rough], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 5))


def main():
    from _threehundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = cells(4000, g)
    rva, yva = cells(1000, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0.05)  # the old sheet's labels are noisy: regularise hard
    crit = nn.CrossEntropyLoss()
    with open(out / "landcover.tsv", "w") as f:
        f.write("epoch\ttrain_ce\tval_ce\tval_acc\tval_acc_wetland\n")
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pv = lv.argmax(1)
            wet = yva == 1
            row = (tot / len(xtr), crit(lv, yva).item(), (pv == yva).float().mean().item(),
                   (pv[wet] == 1).float().mean().item())
            f.write(f"{epoch}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 20,
                "mean": mean, "std": std, "classes": CLASSES}, out / "landcover_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="landcover_mlp.pt", log="landcover.tsv",
           what="MLP naming the land cover of a survey grid cell from terrain and aerial"
                " survey features; Adam with weight_decay=0.05",
           complaint="Our land-cover classifier for the survey sheets tops out far too early."
                     " Training and validation loss both stay high and almost equal, it"
                     " hardly ever calls a cell wetland, and training longer doesn't help."
                     " The rules aren't that hard, a junior surveyor gets them right.")


if __name__ == "__main__":
    main()
