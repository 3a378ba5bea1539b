"""Plain torch: an MLP flags oaks with acute oak decline (AOD) from the woodward's yearly walk
through an estate's oak stands, so that the few sick trees are sent for a bark sample before
the bleeding spreads. Per tree: stem bleeds counted on the lower 3 m, D-shaped exit holes of
the two-spotted oak buprestid, crown dieback (%), girth at breast height, estimated age,
distance to the stand edge, soil compaction (penetrometer, MPa) and whether the tree stands
on heavy clay. AOD trees bleed more, carry more exit holes, thin at the crown and favour
big, old, edge trees on compacted clay, but stress bleeds, old exit holes and dieback from
drought and mildew are common on healthy oaks too, so the signs overlap. About 5 % of
the oaks have AOD (confirmed by the lab).
Input: (8,) standardised with the training mean / std. Model: Linear 8→48, ReLU, Linear
48→24, ReLU, Linear 24→1 (a logit); Adam 1e-3, batch 256, 20 epochs, 6000 oaks, validation
on 1500.
The bug: ``crit = nn.BCEWithLogitsLoss()  # decline / healthy`` and nothing else done about
the 5 % AOD trees: val accuracy 0.945 → 0.950 (the healthy share is 0.945), AOD recall
0.0 for the first 8 epochs and 0.16 (13 of 82) at the end, val BCE 0.576 → 0.154 (control,
``pos_weight=torch.tensor(24.0)``: AOD recall 0.95 → 0.79, precision 0.07 → 0.18, val accuracy
0.32 → 0.79).
Log: a CSV per epoch ``survey_fit.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_acc``
/ ``val_recall_aod`` / ``val_precision_aod``); checkpoint ``aod_screen.pt`` with keys
``mlp`` / ``adam`` / ``epochs_done`` / ``feature_mean`` / ``feature_std`` / ``features``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ["bleeds", "exit_holes", "dieback_pct", "girth_cm", "age_y", "edge_m", "soil_mpa",
            "clay"]


def oaks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 60 + 240 * r(n)
    girth = 80 + 1.3 * age * (0.7 + 0.6 * r(n))
    edge = 150 * r(n) ** 2
    soil = 0.8 + 2.2 * r(n)
    clay = (r(n) < 0.4).float()
    risk = (-3.5 + 0.006 * (age - 150) - 0.012 * (edge - 40) + 0.5 * (soil - 1.9) + 0.5 * clay)
    aod = (r(n) < torch.sigmoid(risk)).float()
    bleeds = torch.poisson(0.6 + 1.2 * aod + 0.5 * r(n), generator=g)
    holes = torch.poisson(0.3 + 0.8 * aod * r(n), generator=g)
    dieback = (10 + 25 * r(n) ** 2 + 12 * aod * r(n)).clamp(max=100)
    x = torch.stack([bleeds, holes, dieback, girth, age, edge, soil, clay], 1)
    return x, aod.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 48), nn.ReLU(), nn.Linear(48, 24), nn.ReLU(),
                         nn.Linear(24, 1))


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = oaks(6000, g)
    xva, yva = oaks(1500, g)
    print("AOD share", ytr.mean().item(), yva.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()  # decline / healthy
    with open(out / "survey_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_bce", "val_bce", "val_acc", "val_recall_aod",
                      "val_precision_aod"])
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
                logit = model(xva)
            pred = (logit > 0).float()
            tp = ((pred == 1) & (yva == 1)).sum().item()
            row = [tot / len(xtr),
                   nn.functional.binary_cross_entropy_with_logits(logit, yva).item(),
                   (pred == yva).float().mean().item(), tp / max(yva.sum().item(), 1),
                   tp / max(pred.sum().item(), 1)]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epochs_done": 20,
                "feature_mean": mu, "feature_std": sd, "features": FEATURES}, out / "aod_screen.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="aod_screen.pt", log="survey_fit.csv",
           what="MLP flagging acute oak decline from a woodward's tree survey; plain BCE with"
                " 5 % sick oaks and nothing done about the rare class",
           complaint="Our acute oak decline screen shows 95 % accuracy on the held-out survey, but"
                     " of the 82 oaks the lab confirmed with AOD it flags only 13. For the first"
                     " eight epochs it flagged none at all. The loss was still going down"
                     " (0.58 to 0.15 on validation), so it is learning something, just not the"
                     " sick trees, which are the whole point.")


if __name__ == "__main__":
    main()
