"""Plain torch: will a bird be lost on a pigeon racing young-bird race? Each entry is a loft
(one of 60, an embedding of 6) plus 5 race numbers: distance (100-700 km), headwind component
(-10..15 m/s), bird age (3-14 months), cloud cover (0-1) and previous races flown (0-8). The
chance of losing a bird rises with distance, headwind and cloud, falls with age and races
flown, and each loft has its own effect (training routine); about 4 % of entries are lost
birds. Loft embedding + standardised numbers → MLP 11→32→32→1 (ReLU), BCE with logits,
Adam 3e-3, batch 256, 12 epochs of 12000 entries, validation on 4000.
The bug: ``nn.BCEWithLogitsLoss()`` on the raw 4 % positives, no weighting of the rare lost
birds, so the loss is won by saying "returns" every time.
Result (4.1 % lost in train, 4.3 % in val): train BCE 0.302 → 0.128, val BCE 0.159 → 0.141,
val recall on lost birds 0.0 every epoch, balanced accuracy 0.5 every epoch.
Control (``nn.BCEWithLogitsLoss(pos_weight=torch.tensor(23.0))``): val recall on lost birds
0.81 → 0.77, balanced accuracy 0.756 → 0.759 (train BCE 1.14 → 0.83, weighted).
Log: JSON lines per epoch ``basket.jsonl`` (``ep`` / ``bce`` / ``val_bce`` / ``val_recall_lost``
/ ``val_bal_acc``); checkpoint ``loft_model.pt`` with keys ``net`` / ``opt`` / ``n_lofts`` /
``feature_order``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

LOFTS = 60
FEATURES = ["distance_km", "headwind_ms", "age_months", "cloud", "races_flown"]


def entries(n, g, loft_effect):
    loft = torch.randint(0, LOFTS, (n,), generator=g)
    dist = 100 + 600 * torch.rand(n, generator=g)
    wind = -10 + 25 * torch.rand(n, generator=g)
    age = 3 + 11 * torch.rand(n, generator=g)
    cloud = torch.rand(n, generator=g)
    races = torch.randint(0, 9, (n,), generator=g).float()
    score = (-4.6 + 0.006 * (dist - 400) + 0.12 * wind + 1.2 * (cloud - 0.5)
             - 0.15 * (age - 8) - 0.2 * (races - 4) + loft_effect[loft])
    lost = (torch.rand(n, generator=g) < torch.sigmoid(score)).float()
    x = torch.stack([(dist - 400) / 173, (wind - 2.5) / 7.2, (age - 8.5) / 3.2, (cloud - 0.5) / 0.29,
                     (races - 4) / 2.6], 1)
    return loft, x, lost


class LoftNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.loft = nn.Embedding(LOFTS, 6)
        self.mlp = nn.Sequential(nn.Linear(11, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, loft, x):
        return self.mlp(torch.cat([self.loft(loft), x], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return LoftNet()


def main():
    from _twohundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    loft_effect = 0.8 * torch.randn(LOFTS, generator=g)
    ltr, xtr, ytr = entries(12000, g, loft_effect)
    lva, xva, yva = entries(4000, g, loft_effect)
    print("lost share train", ytr.mean().item(), "val", yva.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(ltr, xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    criterion = nn.BCEWithLogitsLoss()  # plain BCE, the sigmoid gives us calibrated odds
    with open(out / "basket.jsonl", "w") as f:
        for ep in range(1, 13):
            model.train()
            tot, n = 0.0, 0
            for lb, xb, yb in loader:
                loss = criterion(model(lb, xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(lva, xva)
                pred = (lv > 0).float()
                rec_lost = (pred * yva).sum() / yva.sum()
                spec = ((1 - pred) * (1 - yva)).sum() / (1 - yva).sum()
                rec = {"ep": ep, "bce": round(tot / n, 6),
                       "val_bce": round(nn.functional.binary_cross_entropy_with_logits(lv, yva).item(), 6),
                       "val_recall_lost": round(rec_lost.item(), 6),
                       "val_bal_acc": round(((rec_lost + spec) / 2).item(), 6)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "n_lofts": LOFTS,
                "feature_order": FEATURES}, out / "loft_model.pt")
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64], "loft": lva[:64]},
           causes=["class_imbalance"], checkpoint="loft_model.pt", log="basket.jsonl",
           what="loft-embedding MLP predicting lost birds on a race, 4 % positives, unweighted BCE",
           complaint=("I built a model to flag which young birds are at risk of not homing on a "
                      "race (loft, distance, headwind, age, cloud, races flown). Loss goes down "
                      "nicely, but on the validation basket it almost never "
                      "flags a single bird as lost, even on 600 km into a headwind. Recall on "
                      "the lost birds is basically zero. Why is it not picking them up?"))


if __name__ == "__main__":
    main()
