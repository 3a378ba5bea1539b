"""Water-mass regime of Argo float profiles: a 1-D CNN reads temperature and salinity on 64
standard pressure levels (0–2000 dbar) and names the regime the float is drifting in — a
subtropical gyre (warm, salty mixed layer, deep thermocline), the subpolar gyre (cold, fresh,
weak stratification), equatorial upwelling (shallow sharp thermocline) or a Mediterranean
outflow tongue (a salinity maximum near 1000 dbar) — from synthetic profiles with seasonal
mixed-layer depth, eddy heave of the thermocline (± 80 dbar), sensor noise and a few spikes.
Per-channel standardisation with the training statistics; 3 conv layers (k 5, 24 channels,
ReLU, max-pool 2), global average pooling, dropout 0.4, a linear head. Float regime labels
come from an automatic region lookup and 8 % of the training labels are wrong (floats that
drifted across a front); validation uses quality-controlled labels. AdamW 2e-3, weight decay
1e-3, batch 64, 12 epochs of 1600 profiles; JSON lines per epoch.
Healthy, and a little odd: the training loss sits well above the validation loss for the whole
run (dropout and the wrong labels act only in training): train CE 1.21, 0.71, 0.59, then
0.51–0.56 for epochs 4–12 (the floor the 8 % wrong labels set), val CE 0.68, 0.21, 0.15, then
0.11–0.15, bouncing; val accuracy 1.0 from the first epoch (the regimes are distinct)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

P = torch.linspace(0, 2000, 64)
REGIMES = ["subtropical", "subpolar", "equatorial", "med_outflow"]


def profile(k, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    mld = 20 + 80 * r()
    heave = (r() - 0.5) * 160
    if k == 0:
        sst, deep, zt, s0, sdeep = 24 + 3 * r(), 4.0, 450 + heave, 36.6 + 0.3 * r(), 34.9
    elif k == 1:
        sst, deep, zt, s0, sdeep = 8 + 3 * r(), 3.0, 250 + heave, 34.6 + 0.3 * r(), 34.9
    elif k == 2:
        sst, deep, zt, s0, sdeep = 26 + 2 * r(), 4.0, 120 + heave / 2, 35.2 + 0.3 * r(), 34.7
    else:
        sst, deep, zt, s0, sdeep = 16 + 4 * r(), 4.5, 400 + heave, 36.0 + 0.3 * r(), 35.0
    width = 60 + 120 * r() if k != 1 else 300 + 200 * r()
    t = deep + (sst - deep) / (1 + torch.exp((P - zt) / width))
    t = torch.where(P < mld, torch.full_like(P, sst), t)
    s = sdeep + (s0 - sdeep) / (1 + torch.exp((P - zt) / width))
    if k == 3:
        s = s + (0.6 + 0.3 * r()) * torch.exp(-((P - 1000 - (r() - 0.5) * 200) / 200) ** 2)
    t = t + 0.05 * torch.randn(64, generator=g)
    s = s + 0.02 * torch.randn(64, generator=g)
    if r() < 0.2:
        j = int(torch.randint(0, 64, (1,), generator=g))
        t[j] += 2 * (r() - 0.5) * 3
    return torch.stack([t, s])


def floats(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.stack([profile(int(k), g) for k in y])
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class ProfileCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 24, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(24, 24, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(24, 24, 5, padding=2), nn.ReLU())
        self.drop = nn.Dropout(0.4)
        self.fc = nn.Linear(24, 4)

    def forward(self, x):
        return self.fc(self.drop(self.conv(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return ProfileCNN()


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = floats(1600, g, flip=0.08)
    xva, yva = floats(400, g)
    mean, std = xtr.mean((0, 2), keepdim=True), xtr.std((0, 2), keepdim=True)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    log = open(out / "argo_train.jsonl", "w")
    for ep in range(12):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"ep": ep, "tr_ce": round(tot / 1600, 4),
                   "va_ce": round(F.cross_entropy(lv, yva).item(), 4),
                   "va_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"weights": model.state_dict(), "optimiser": opt.state_dict(),
                "meta": {"epochs": 12, "regimes": REGIMES, "levels_dbar": P.tolist()}},
               out / "argo_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="argo_cnn.pt",
           log="argo_train.jsonl",
           what="Argo T/S profile water-mass CNN, 8 % wrong training labels, dropout 0.4 (healthy)")


if __name__ == "__main__":
    main()
