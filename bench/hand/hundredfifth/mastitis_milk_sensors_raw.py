"""Subclinical mastitis alert from in-line milking-parlour sensors: one row per cow milking with
9 readings at their physical scale — somatic cell count (cells/mL, log-normal around 1.2e5 for
healthy quarters, 4e5–3e6 when infected), electrical conductivity (mS/cm, 5.0–6.5), milk yield
(kg), milk temperature (°C), fat %, lactose %, days in milk, parity and LDH activity (U/L). The
label (a later California Mastitis Test) depends on log SCC, conductivity, the lactose dip, the
yield drop against the cow's lactation curve and LDH, plus noise; 15 % positives. An MLP 9 → 64
→ 32 → 1 (ReLU), BCE-with-logits, Adam 1e-3, batch 64, 12 epochs of 4000 milkings; a CSV per
epoch (``ep``, ``trn_bce``, ``val_bce``, ``val_auc``, ``sens``, ``spec``).
Bug: the sensor export goes straight into the network — no scaler, SCC in cells/mL (~1e5–1e6)
next to fat % of 4 — so the first layer's pre-activations are ~1e5 and every Adam step moves
them by hundreds: train BCE 455 → 93–154, val BCE between 3 and 256, the alert flips between
flagging every cow (sens 1.0, spec 0.02) and none (sens 0.0, spec 1.0), val AUC flips between
~0.16 and ~0.84 as the SCC weight changes sign; at epoch 12 val BCE 179, AUC 0.16, sens 0.0.
The control (log10 SCC and a StandardScaler fitted on the training rows) reaches val BCE 0.067,
AUC 0.996, sens 0.87, spec 0.99."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["scc_cells_per_ml", "conductivity_mScm", "yield_kg", "milk_temp_C", "fat_pct",
            "lactose_pct", "days_in_milk", "parity", "ldh_U_per_L"]


def milkings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    infected = (r(n) < 0.27).float()
    severity = infected * (0.3 + r(n))
    log_scc = 5.05 + 0.3 * z(n) + severity * 0.5
    dim = 5 + 300 * r(n)
    parity = torch.randint(1, 7, (n,), generator=g).float()
    expected = (28 + 3 * parity.clamp(max=3)) * (dim / 50) ** 0.2 * torch.exp(-0.003 * dim)
    yield_kg = expected * (1 - 0.15 * severity) * (1 + 0.08 * z(n))
    ec = 5.3 + 0.25 * z(n) + 0.6 * severity
    lactose = 4.85 - 0.25 * severity + 0.08 * z(n)
    ldh = torch.exp(3.4 + 0.3 * z(n) + 0.9 * severity)
    temp = 38.6 + 0.3 * z(n) + 0.3 * severity
    fat = 3.9 + 0.4 * z(n) + 0.004 * dim
    risk = (1.0 * (log_scc - 5.3) / 0.35 + 1.2 * (ec - 5.5) / 0.3 - 1.0 * (lactose - 4.8) / 0.1
            + 1.5 * (1 - yield_kg / expected) / 0.1 + 0.8 * (torch.log(ldh) - 3.6) / 0.4
            + 0.5 * (parity > 3).float() * (ec - 5.5) / 0.3)
    y = (risk + 1.5 * z(n) > 5.5).float()
    x = torch.stack([10 ** log_scc, ec, yield_kg, temp, fat, lactose, dim, parity, ldh], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))


def auc(score, y):
    pos, neg = score[y == 1], score[y == 0]
    return ((pos[:, None] > neg[None]).float().mean()
            + 0.5 * (pos[:, None] == neg[None]).float().mean()).item()


def main():
    from _hundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = milkings(5000, g)
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    print("positives", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "mastitis_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_bce", "val_bce", "val_auc", "sens", "spec"])
    for ep in range(1, 13):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(xva).squeeze(1)
            p = (s > 0).float()
            row = [ep, round(tot / 4000, 4),
                   round(F.binary_cross_entropy_with_logits(s, yva).item(), 4), round(auc(s, yva), 4),
                   round((p[yva == 1] == 1).float().mean().item(), 4),
                   round((p[yva == 0] == 0).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "feature_names": FEATURES}, out / "mastitis_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="mastitis_mlp.pt", log="mastitis_train.csv",
           what="mastitis MLP fed raw parlour-sensor readings (SCC ~1e5 next to fat % ~4), no scaler",
           complaint="Mastitis alert model from the parlour sensors is all over the place. "
                     "Training BCE never goes below ~93 (started at 455), validation BCE jumps "
                     "between 3 and 256, and the alert either flags every cow or none: after "
                     "12 epochs it catches 0 % of the mastitis cases, AUC 0.16.")


if __name__ == "__main__":
    main()
