"""Hyperspectral land-cover classification per pixel (synthetic airborne cube, 64 bands from 400
to 2500 nm): 6 classes with smooth textbook-like reflectance signatures (water, healthy
vegetation with a red edge, dry soil, asphalt, metal roof, stressed crop), each pixel a class
signature with ±15 % brightness (illumination / slope), small per-pixel spectral variation, 5 %
linear mixing with a neighbour class and sensor noise. Training pixels come from flight line A
(a suburb: mostly vegetation, roofs and asphalt), validation pixels from flight line B (a
lakeside: mostly water and vegetation). A 1-D spectral CNN (3 conv layers over the bands, global
average pool, linear head), Adam 2e-3, batch 64, 10 epochs; a TSV log per epoch.
Bug: the validation flight is standardised with its own per-band mean / std
(``(xb - xb.mean(0)) / xb.std(0)``) instead of flight A's training statistics, so every
validation spectrum is shifted and rescaled band by band by the lakeside's class mix.
Train OA 0.65 → 0.999 (loss 0.0056), val OA 0.08 after epoch 1 and 0.12–0.19 after (0.16 at the
end, kappa 0.10), val loss 2.42 → 6.86; water (45 % of flight B) is never predicted. The control
(flight B standardised with flight A's mean / std): val OA 1.00, val loss 0.0027."""
import torch
import torch.nn as nn
import torch.nn.functional as F

B, K = 64, 6
CLASSES = ["water", "vegetation", "soil", "asphalt", "roof", "crop"]


def signatures():
    wl = torch.linspace(0.4, 2.5, B)
    water = 0.08 * torch.exp(-(wl - 0.45) / 0.12).clamp(max=1) + 0.01
    veg = 0.05 + 0.45 * torch.sigmoid((wl - 0.72) / 0.015) * torch.exp(-((wl - 0.9) / 0.9) ** 2)
    veg = veg - 0.15 * torch.exp(-((wl - 1.45) / 0.05) ** 2) - 0.2 * torch.exp(-((wl - 1.95) / 0.06)
                                                                                ** 2)
    veg = veg + 0.06 * torch.exp(-((wl - 0.55) / 0.03) ** 2)
    soil = 0.12 + 0.18 * (wl - 0.4) / 2.1 - 0.05 * torch.exp(-((wl - 2.2) / 0.05) ** 2)
    asphalt = 0.07 + 0.03 * (wl - 0.4) / 2.1
    roof = 0.3 + 0.05 * torch.sin(6 * wl)
    crop = 0.08 + 0.25 * torch.sigmoid((wl - 0.74) / 0.03) - 0.1 * torch.exp(-((wl - 1.95) / 0.08)
                                                                              ** 2)
    crop = crop + 0.05 * torch.exp(-((wl - 0.6) / 0.05) ** 2)
    return torch.stack([water, veg, soil, asphalt, roof, crop]).clamp(min=0.005)


def flight(n, mix, g):
    sig = signatures()
    y = torch.multinomial(torch.tensor(mix), n, replacement=True, generator=g)
    other = torch.randint(0, K, (n,), generator=g)
    a = 0.05 * torch.rand(n, 1, generator=g)
    s = (1 - a) * sig[y] + a * sig[other]
    s = s * (0.85 + 0.3 * torch.rand(n, 1, generator=g))
    wobble = torch.cumsum(torch.randn(n, B, generator=g), 1) * 0.002
    return s + wobble + 0.006 * torch.randn(n, B, generator=g), y


class SpectralCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 7, padding=3)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2, stride=2)
        self.c3 = nn.Conv1d(32, 32, 3, padding=1, stride=2)
        self.fc = nn.Linear(32, K)

    def forward(self, x):
        h = F.relu(self.c1(x[:, None]))
        h = F.relu(self.c2(h))
        h = F.relu(self.c3(h))
        return self.fc(h.mean(-1))


def build():
    torch.manual_seed(0)
    return SpectralCNN()


def main():
    from _ninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xa, ya = flight(4000, [0.05, 0.35, 0.1, 0.2, 0.2, 0.1], g)    # flight A, suburb
    xb, yb = flight(1200, [0.45, 0.3, 0.1, 0.05, 0.02, 0.08], g)  # flight B, lakeside
    mean, std = xa.mean(0), xa.std(0)
    xa = (xa - mean) / std
    xb = (xb - xb.mean(0)) / xb.std(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "hsi_log.tsv", "w")
    log.write("ep\ttrn_loss\ttrn_oa\tval_loss\tval_oa\tval_kappa\n")
    for ep in range(1, 11):
        model.train()
        perm = torch.randperm(len(xa), generator=g)
        tl, tc = 0.0, 0
        for i in range(0, len(xa), 64):
            idx = perm[i:i + 64]
            logits = model(xa[idx])
            loss = F.cross_entropy(logits, ya[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (logits.argmax(1) == ya[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xb)
            pred = lo.argmax(1)
            oa = (pred == yb).float().mean().item()
            pe = sum((pred == k).float().mean() * (yb == k).float().mean() for k in range(K))
            kappa = (oa - pe.item()) / (1 - pe.item())
            row = [ep, tl / len(xa), tc / len(xa), F.cross_entropy(lo, yb).item(), oa, kappa]
        log.write("\t".join(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row) + "\n")
        log.flush()
        print(row, torch.bincount(pred, minlength=K).tolist())
    log.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epochs_done": 10,
                "band_mean": mean, "band_std": std, "classes": CLASSES},
               out / "spectral_cnn_ep10.pt")
    finish(out, __file__, (xb[:128], yb[:128]), causes=["distribution_shift"],
           checkpoint="spectral_cnn_ep10.pt", log="hsi_log.tsv",
           what="hyperspectral pixel CNN, validation flight standardised with its own per-band "
                "stats instead of the training flight's",
           complaint="Training on flight A goes perfectly (train accuracy 0.999, loss 0.006), "
                     "but on the flight B validation pixels overall accuracy is 0.08 after the "
                     "first epoch and never gets above 0.19 (0.16 at epoch 10, kappa 0.10), and "
                     "the validation loss climbs from 2.4 to 6.9. It never predicts water, "
                     "although almost half of flight B is lake.")


if __name__ == "__main__":
    main()
