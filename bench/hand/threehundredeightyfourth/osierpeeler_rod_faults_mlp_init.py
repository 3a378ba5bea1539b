"""Plain torch: a plain MLP flags the faults an osier-peeler finds in a bundle of cut willow
rods (osiers) before it goes through the peeling brake, multi-label, 4 flags: bark will not
strip clean, crooked, scarred by willow beetle, brittle. From the bundle's ticket: rod length,
butt and tip diameter, days since cutting, weeks from the sap rise (rods peel "in the sap"
for about 5 weeks from late April, or after boiling for buff), hours in the pit water, moisture
share, variety (Black Maul, Dicky Meadows, Flanders Red one-hot) and a beetle-count index.
Rules: bark sticks when the rod is out of the sap and not pitted long enough, or was cut more
than ~5 days ago and dried out; crooked rods come from long thin rods (low taper) of Flanders
Red; scarring follows the beetle index; brittle rods are dry and old. 8 % of flags flipped.
Input: 10 features standardised with the training mean / std. Model: Linear 10→256, ReLU,
Linear 256→256, ReLU, Linear 256→256, ReLU, Linear 256→4 (logits); BCE with logits, Adam
1e-3, batch 64, 20 epochs, 2000 bundles, validation on 500.
The bug: every Linear is re-initialised with ``nn.init.normal_(m.weight, std=1.0)`` (16×
the default scale on a 256-wide layer), so the logits start in the thousands: train BCE 942
in the first epoch and still 40 after 20, val BCE 402 → 146, val macro F1 0.54 → 0.59 and
per-flag accuracy 0.72 → 0.73 (control, ``kaiming_normal_(m.weight, nonlinearity="relu")``:
train BCE 0.52 → 0.22, val BCE 0.438 → 0.493 (lowest 0.418 at epoch 5), macro F1 0.72 →
0.73, per-flag accuracy 0.82 → 0.82, 0.84 at best).
Log: CSV per epoch ``rods_train.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_f1_macro`` /
``val_flag_acc``); checkpoint ``osier_mlp.pth`` with keys ``mlp`` / ``adam_state`` /
``epochs_done`` / ``feat_mu`` / ``feat_sd`` / ``flags``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def bundles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 1.0 + 1.6 * r(n)  # m
    butt = 6 + 10 * r(n)  # mm
    tip = butt * (0.2 + 0.35 * r(n))
    cut_days = 8 * r(n)
    sap_wk = -6 + 14 * r(n)  # weeks from the sap rise
    pit_h = 48 * r(n) * (r(n) < 0.5)
    moist = 0.55 - 0.03 * cut_days + 0.08 * r(n) + 0.002 * pit_h
    var = torch.randint(0, 3, (n,), generator=g)
    beetle = r(n) ** 2 * 10
    in_sap = (sap_wk > 0) & (sap_wk < 5)
    stick = (~in_sap & (pit_h < 24)) | (cut_days > 5 + 2 * r(n))
    crooked = (length / (butt - tip) > 0.22 + 0.08 * r(n)) & ((var == 2) | (r(n) < 0.25))
    scarred = beetle > 4 + 3 * r(n)
    brittle = (moist < 0.42) & (cut_days > 3)
    y = torch.stack([stick, crooked, scarred, brittle], 1).float()
    y = torch.where(r(n, 4) < 0.08, 1 - y, y)
    x = torch.stack([length, butt, tip, cut_days, sap_wk, pit_h, moist, beetle], 1)
    return torch.cat([x, F.one_hot(var, 3).float()[:, :2]], 1), y


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 4))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=1.0)  # unit-variance start for every layer
            nn.init.zeros_(m.bias)
    return model


def main():
    from _threehundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bundles(2000, g)
    xva, yva = bundles(500, g)
    print("flag rates", ytr.mean(0).tolist())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "rods_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "bce", "val_bce", "val_f1_macro", "val_flag_acc"])
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            p = (lv > 0).float()
            tp, fp, fn = (p * yva).sum(0), (p * (1 - yva)).sum(0), ((1 - p) * yva).sum(0)
            f1 = (2 * tp / (2 * tp + fp + fn).clamp_min(1)).mean().item()
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(lv, yva).item(), f1,
                   (p == yva).float().mean().item()]
            w.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epochs_done": 20,
                "feat_mu": mu, "feat_sd": sd,
                "flags": ["stick", "crooked", "scarred", "brittle"]}, out / "osier_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="osier_mlp.pth", log="rods_train.csv",
           what="plain MLP flagging faults in bundles of willow rods before peeling,"
                " multi-label; every Linear initialised with normal(std=1.0)",
           complaint="Our osier bundle fault model starts at a training loss of about 940 and"
                     " after 20 epochs it is still at 40; validation BCE went 402 -> 146."
                     " Macro F1 over the four flags stays around 0.59 and per-flag accuracy"
                     " around 0.73, which is about what you get from always answering the"
                     " common case. 2000 bundles, Adam 1e-3, batch 64.")


if __name__ == "__main__":
    main()
