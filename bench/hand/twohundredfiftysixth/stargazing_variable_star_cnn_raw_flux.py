"""Plain torch: a 1-D CNN (no BatchNorm) sorts an amateur stargazing group's backyard
photometry of a star into constant, eclipsing binary, pulsator or flare star from a 96-point
light curve (one frame every 5 minutes, CCD counts in ADU). Stars range from 2 000 to 40 000
ADU; eclipses are 15-40 % dips of fixed width, pulsators a 5-25 % sinusoid, flares a fast rise
and exponential decay, and every curve has photon noise plus slow airmass drift.
Conv1d 1→16→32→32 (k=7/5/5, ReLU, max-pool) → global max → Linear 4, Adam 1e-3, batch 64, 20
epochs of 1600 curves, validation on 400.
The bug: the curves go into the net as raw ADU counts (``x = flux`` with the comment "counts
are already calibrated"), thousands to tens of thousands per point, so the first conv layer's
outputs are huge, the loss starts in the hundreds and lurches from epoch to epoch: train CE
161.44 → 0.67 (4.23 at epoch 16), val CE 34.29 → 2.04, val top-1 0.39 → 0.84 (0.87-0.90 in the
last epochs, never settling). Control (that line → ``x = flux / flux.median(-1,
keepdim=True).values - 1``, relative flux, by sed): train CE 1.376 → 0.014, val CE 1.359 →
0.036, val top-1 0.435 → 0.9925. Log: JSON lines per epoch (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_top1``);
checkpoint keys ``cnn`` / ``adam`` / ``epoch``."""
import json

import torch
import torch.nn as nn

T = 96


def light_curves(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float()
    base = 2000 + 38000 * torch.rand(n, 1, generator=g)
    rel = torch.ones(n, T)
    c = 10 + 76 * torch.rand(n, 1, generator=g)
    depth = 0.15 + 0.25 * torch.rand(n, 1, generator=g)
    ecl = 1 - depth * torch.exp(-((t - c) / 4) ** 2)
    amp = 0.05 + 0.2 * torch.rand(n, 1, generator=g)
    per = 12 + 20 * torch.rand(n, 1, generator=g)
    pul = 1 + amp * torch.sin(6.283 * t / per + 6.283 * torch.rand(n, 1, generator=g))
    fl = 1 + 3 * amp * (t >= c).float() * torch.exp(-(t - c).clamp(min=0) / 5)
    rel = torch.where(y[:, None] == 1, ecl, rel)
    rel = torch.where(y[:, None] == 2, pul, rel)
    rel = torch.where(y[:, None] == 3, fl, rel)
    drift = 1 + 0.03 * torch.randn(n, 1, generator=g) * (t / T - 0.5)
    flux = base * rel * drift
    flux = flux + flux.sqrt() * 3 * torch.randn(n, T, generator=g)
    return flux[:, None, :], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def prepare(flux):
    x = flux  # counts are already calibrated
    return x


def main():
    from _twohundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = light_curves(1600, g)
    fva, yva = light_curves(400, g)
    xtr, xva = prepare(ftr), prepare(fva)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch, "train_ce": round(tot / len(ytr), 4),
                   "val_ce": round(crit(lv, yva).item(), 4),
                   "val_top1": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"cnn": model.state_dict(), "adam": opt.state_dict(), "epoch": 20},
               out / "varstar_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="varstar_cnn.pt", log="history.jsonl",
           what="variable-star light-curve CNN fed raw CCD counts (thousands of ADU) with no"
                " scaling",
           complaint=("Light-curve classifier for our club's variable-star photometry is all over the"
                      " place: the first epoch's loss is 161 (cross-entropy with 4 classes!),"
                      " and after 20 epochs the train loss still jumps around (4.2, 1.3, 1.9,"
                      " 0.67 over the last four epochs) with val accuracy bouncing between"
                      " 0.84 and 0.90 and val loss between 0.74 and 2.0. Eclipses and flares"
                      " are obvious by eye, so I expected near-perfect. Lowering the epochs"
                      " does not help."))


if __name__ == "__main__":
    main()
