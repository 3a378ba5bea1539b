"""Crop-type mapping from a Sentinel-2 time series per field parcel (a TempCNN, Pelletier et al.)
on synthetic parcels: 24 cloud-filtered acquisitions over a season (every 10 days, March to
October), 5 features (B4 red, B8 NIR, B11 SWIR, B12 SWIR, NDVI). 6 classes — winter wheat,
maize, rapeseed, sunflower, sugar beet, grassland — each with its own phenology: a double
logistic NDVI curve (green-up and senescence dates, peak NDVI; grassland with a mowing dip,
rapeseed with a flowering dip in B4/B8), a per-parcel date shift of ±12 days and peak ±0.08,
soil brightness per parcel; 8 % of the acquisitions are residual clouds (bright in every band,
NDVI near 0) and sensor noise 0.01. Per-feature z-scores from the training split. TempCNN: 3 ×
(Conv1d 64, k 5, batch norm, ReLU, dropout 0.3), flatten, a dense 128 with batch norm, ReLU,
dropout 0.3, a linear head for 6. Adam 1e-3, weight decay 1e-4, batch 64, 12 epochs of 2400
parcels (their labels from the farmers' declarations, 5 % of them wrong), 600 validation
parcels (checked in the field); a whitespace-separated text log per epoch (``epoch tr_loss
tr_oa va_loss va_oa va_kappa``, OA = overall accuracy, Cohen's kappa).
Healthy, but the training side looks far worse than validation: train loss 0.76 → 0.26, train
OA 0.78 → 0.948 (capped near 0.95 by the wrong declarations and the dropout), while val loss is
0.16 after epoch 1 and 0.03–0.08 from epoch 3, val OA 0.978 → 0.997, kappa 0.996 at epoch 12."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T, CROPS = 24, ["winter_wheat", "maize", "rapeseed", "sunflower", "sugar_beet", "grassland"]
# green-up day index, senescence day index, peak NDVI (in acquisition steps of 10 days)
PHENO = torch.tensor([[2.0, 11.0, 0.85], [9.0, 19.0, 0.88], [1.0, 9.0, 0.80],
                      [8.0, 15.0, 0.75], [8.0, 21.0, 0.86], [1.0, 22.0, 0.70]])


def parcels(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    t = torch.arange(T).float()[None]
    p = PHENO[y]
    shift = (torch.rand(n, 1, generator=g) - 0.5) * 2.4
    up, down = p[:, :1] + shift, p[:, 1:2] + shift
    peak = p[:, 2:] + (torch.rand(n, 1, generator=g) - 0.5) * 0.16
    ndvi = 0.15 + (peak - 0.15) * (torch.sigmoid(1.5 * (t - up)) - torch.sigmoid(1.5 * (t - down)))
    grass = (y == 5)[:, None].float()
    ndvi = ndvi - grass * 0.3 * torch.exp(-((t - 10 - shift) / 1.2) ** 2)  # mowing
    soil = 0.15 + 0.1 * torch.rand(n, 1, generator=g)
    red = soil * (1 - ndvi) * 0.8 + 0.02
    nir = red * (1 + ndvi) / (1 - ndvi).clamp(min=0.05)
    flower = (y == 2)[:, None].float() * 0.06 * torch.exp(-((t - 5 - shift) / 1.0) ** 2)
    red, nir = red + flower, nir + 0.5 * flower
    swir1 = soil * 1.3 - 0.12 * ndvi
    swir2 = soil * 0.9 - 0.10 * ndvi
    x = torch.stack([red, nir, swir1, swir2], 1)
    x = x + 0.01 * torch.randn(x.shape, generator=g)
    cloud = (torch.rand(n, 1, T, generator=g) < 0.08).float()
    x = x * (1 - cloud) + cloud * (0.35 + 0.1 * torch.rand(n, 4, T, generator=g))
    nd = (x[:, 1] - x[:, 0]) / (x[:, 1] + x[:, 0])
    return torch.cat([x, nd[:, None]], 1), y


class TempCNN(nn.Module):
    def __init__(self, d=5, h=64):
        super().__init__()
        blocks, c = [], d
        for _ in range(3):
            blocks += [nn.Conv1d(c, h, 5, padding=2), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(0.3)]
            c = h
        self.conv = nn.Sequential(*blocks)
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(h * T, 128), nn.BatchNorm1d(128),
                                   nn.ReLU(), nn.Dropout(0.3))
        self.out = nn.Linear(128, 6)

    def forward(self, x):
        return self.out(self.dense(self.conv(x)))


def build():
    torch.manual_seed(0)
    return TempCNN()


def kappa(pred, y):
    cm = torch.zeros(6, 6)
    cm.index_put_((y, pred), torch.ones(len(y)), accumulate=True)
    n = cm.sum()
    po = cm.trace() / n
    pe = (cm.sum(0) * cm.sum(1)).sum() / n ** 2
    return ((po - pe) / (1 - pe)).item()


def main():
    from _hundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = parcels(3000, g)
    mu, sd = x[:2400].mean((0, 2), keepdim=True), x[:2400].std((0, 2), keepdim=True)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    wrong = torch.rand(2400, generator=g) < 0.05  # farmers' declarations (LPIS) that are wrong
    ytr = torch.where(wrong, (ytr + torch.randint(1, 6, (2400,), generator=g)) % 6, ytr)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    log = open(out / "tempcnn.log", "w")
    log.write("epoch tr_loss tr_oa va_loss va_oa va_kappa\n")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            lo = model(xtr[b])
            loss = F.cross_entropy(lo, ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
            hit += (lo.argmax(1) == ytr[b]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        line = (f"{epoch + 1} {tot / len(xtr):.4f} {hit / len(xtr):.4f} "
                f"{F.cross_entropy(lo, yva).item():.4f} {(lo.argmax(1) == yva).float().mean().item():.4f} "
                f"{kappa(lo.argmax(1), yva):.4f}")
        log.write(line + "\n")
        print(line)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "classes": CROPS, "band_mean": mu, "band_std": sd},
               out / "tempcnn_s2_e12.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tempcnn_s2_e12.pth", log="tempcnn.log",
           what="TempCNN crop-type classifier on Sentinel-2 parcel time series (healthy)")


if __name__ == "__main__":
    main()
