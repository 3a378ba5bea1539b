"""Plain torch: an MLP tells a sparmaker which Sitka spruce staves for a hollow mast will pass
the proof bending test (a 4-point bend to 48 MPa at the stave's weakest section), so the
ones that would break are not glued up. Bending strength follows the wood-science rules:
clear-wood strength grows with density (about ρ^1.1, 54-80 MPa at 12 % moisture), falls with
the slope of grain by Hankinson's formula (parallel / cross-grain strength ratio 12), with
the largest knot's share of the face (strength × (1 - 1.3 k)) and with moisture above 12 %
(about 4 % per percentage point up to fibre saturation at 28 %), times a 7 % scatter. Inputs
(6, standardised with the training staves' mean and std): density kg/m³, rings per 25 mm,
slope of grain 1 in X, knot share of the face, moisture %, stave length m. The yard's
record mixes kiln-dried staves (8-14 %) with air-dried ones straight from the shed (14-24 %).
Model: Linear 6→48, ReLU, Linear 48→48, ReLU, Linear 48→1 (a logit for "passes"); BCE,
Adam 2e-3, batch 128, 30 epochs, 3200 staves in the record, validation on 800 of all kinds.
The bug: ``keep = mc_tr < 14.0  # kiln-dried staves, the ones with a full record``; the
net only ever sees dry staves (1596 of the 3200, 79 % of them pass), where moisture hardly
matters, and is checked on staves of all kinds (51 % pass): val accuracy 0.51 → 0.85, a
failing stave passed 100 % → 26 % of the time, val BCE 0.82 → 0.34 (train BCE 0.22) (control,
``keep = mc_tr < 99.0``: val accuracy 0.88 → 0.92, failing staves passed 6-9 %, val BCE
0.42 → 0.20, train BCE 0.18).
Log: per-epoch TSV ``proof_fit.tsv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc``
/ ``val_false_pass``); checkpoint ``stave_mlp.pt`` with keys ``mlp`` / ``adam_state`` /
``epochs_done`` / ``x_mu`` / ``x_sigma`` / ``proof_mpa``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

PROOF = 48.0


def staves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rho = 380 + 90 * r(n)  # kg/m3 at 12 %
    rings = 6 + 10 * (rho - 380) / 90 + 2 * torch.randn(n, generator=g)
    slope = 8 + 22 * r(n)  # grain slope 1 in X
    knot = 0.25 * r(n) ** 2
    kiln = r(n) < 0.5
    mc = torch.where(kiln, 8 + 6 * r(n), 14 + 10 * r(n))
    length = 2.4 + 1.2 * r(n)
    clear = 54 + 26 * ((rho - 380) / 90) ** 1.1
    theta = torch.atan(1 / slope)
    hank = 1 / (torch.cos(theta) ** 2 + 12 * torch.sin(theta) ** 2)
    wet = 1 - 0.04 * (mc - 12).clamp(min=0)
    wet = wet * (1 + 0.02 * (12 - mc).clamp(min=0))
    mor = clear * hank * (1 - 1.3 * knot) * wet * (1 + 0.07 * torch.randn(n, generator=g))
    x = torch.stack([rho, rings, slope, knot, mc, length], 1)
    return x, (mor >= PROOF).float().unsqueeze(1), mc


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 1))


def main():
    from _fourhundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, mc_tr = staves(3200, g)
    xva, yva, _ = staves(800, g)
    keep = mc_tr < 14.0  # kiln-dried staves, the ones with a full record
    xtr, ytr = xtr[keep], ytr[keep]
    print("train staves", len(xtr), "pass share", ytr.mean().item(), yva.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "proof_fit.tsv", "w", newline="") as f:
        log = csv.writer(f, delimiter="\t")
        log.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_false_pass"])
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 128):
                idx = perm[i:i + 128]
                loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = (lv > 0).float()
            fail = yva == 0
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(lv, yva).item(),
                   (pred == yva).float().mean().item(), pred[fail].mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epochs_done": 30,
                "x_mu": mu, "x_sigma": sd, "proof_mpa": PROOF}, out / "stave_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="stave_mlp.pt", log="proof_fit.tsv",
           what="MLP passing or failing Sitka spruce mast staves for the proof bend; trained"
                " on kiln-dried staves only, checked on kiln and air-dried ones",
           complaint="The stave grading net fits the training staves fine (train BCE 0.22) but on"
                     " the validation staves it is only 85 % right and waves through a quarter of"
                     " the staves that then snap in the proof bend. Validation loss is 0.34 against"
                     " 0.22 in training. More epochs did not close the gap.")


if __name__ == "__main__":
    main()
