"""Plain torch: an embedding model for a macrame studio that sells plant hangers: from the
test-hang record of a finished hanger, say whether it 0 = holds, 1 = will slip (a sinnet of
knots creeps under the pot's weight) or 2 = will fray (the cord wears through at the ring).
Per hanger: cord material (8: single-twist cotton, 3-ply cotton, braided cotton, jute, hemp,
nylon, polyester, waxed linen) through ``nn.Embedding(8, 3)``, main knot (5: square knot,
half-hitch spiral, lark's head, gathering wrap, overhand) through ``nn.Embedding(5, 3)``, cord
diameter (2-6 mm), pot weight (0.5-9 kg), knots per sinnet, days hung in a humid spot, ring
material hardness and the maker's pull tension (0-1). The rule: slipping cords (nylon,
polyester, waxed linen) with loose knots, few knots per sinnet and a heavy pot slip; rough
cords on a hard ring with a heavy pot and long humid hanging fray; 93.8 % of the records
hold, 3.6 % slip, 2.6 % fray.
Numeric inputs standardised; MLP (6 + 3 + 3) → 64-ReLU-64 → 32-ReLU → 3, cross-entropy,
NAdam 2e-3, batch 128, 20 epochs, 6000 hangers, validation on 1500 (accuracy, recall per
class, macro F1).
The bug: the loss is the plain ``nn.CrossEntropyLoss()``; the class counts are computed (and
printed) right above it but never reach the loss, so 94 % "holds" runs the training.
Result: val accuracy 0.949 from the first epoch (all "holds", slip and fray recall 0.0 for
two epochs) → 0.956 at epoch 20; slip recall 0.11 at epoch 3, 0.36-0.49 from epoch 5 (0.40 at
the end), fray recall 0.0 until epoch 4, then 0.17-0.40 (0.33 at the end); mean recall 0.575,
macro F1 0.633; val CE 0.202 → 0.126.
Control (``nn.CrossEntropyLoss(weight=counts.sum() / (3 * counts))``): val accuracy 0.779 →
0.864, slip recall 0.77-0.89 (0.81 at the end), fray recall 0.63 → 0.80-0.87 (0.80), mean
recall 0.825; macro F1 is lower, 0.46 → 0.555, since the flagged hangers now include many that
hold (weighted val CE 0.683 → 0.386 at epoch 10 → 0.514).
Log: CSV per epoch ``hang_test_log.csv`` (``epoch`` / ``ce`` / ``val_ce`` / ``val_acc`` /
``rec_holds`` / ``rec_slips`` / ``rec_frays`` / ``macro_f1``); checkpoint ``hanger_model.pt``
with keys ``model_state`` / ``nadam_state`` / ``materials`` / ``knots`` / ``num_mean`` /
``num_std`` / ``epoch``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

MATERIALS = ["cotton_single_twist", "cotton_3ply", "cotton_braided", "jute", "hemp", "nylon",
             "polyester", "waxed_linen"]
KNOTS = ["square", "half_hitch_spiral", "larks_head", "gathering_wrap", "overhand"]
SLICK = torch.tensor([0.2, 0.1, 0.3, -0.6, -0.4, 1.2, 1.0, 0.8])
ROUGH = torch.tensor([0.3, 0.2, 0.0, 1.2, 1.0, -0.5, -0.3, -0.2])
KNOT_GRIP = torch.tensor([0.6, 0.2, -0.8, 0.4, -0.3])


def test_hangs(n, g):
    mat = torch.randint(0, 8, (n,), generator=g)
    knot = torch.randint(0, 5, (n,), generator=g)
    u = torch.rand(n, 6, generator=g)
    diam, pot, per, humid, ring, pull = (2 + 4 * u[:, 0], 0.5 + 8.5 * u[:, 1],
                                         (2 + 14 * u[:, 2]).floor(), 120 * u[:, 3], u[:, 4],
                                         u[:, 5])
    slip = (1.6 * SLICK[mat] - 1.2 * KNOT_GRIP[knot] - 2.2 * pull - 0.15 * per + 0.45 * pot
            - 0.3 * diam + 1.0 * torch.randn(n, generator=g))
    fray = (1.4 * ROUGH[mat] + 2.0 * ring + 0.35 * pot + 0.02 * humid - 0.4 * diam
            + 1.0 * torch.randn(n, generator=g))
    y = torch.zeros(n, dtype=torch.long)
    y[slip > 2.85] = 1
    y[(fray > 6.15) & (y == 0)] = 2
    num = torch.stack([diam, pot, per, humid, ring, pull], 1)
    return num, mat, knot, y


class HangerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mat = nn.Embedding(8, 3)
        self.knot = nn.Embedding(5, 3)
        self.mlp = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 3))

    def forward(self, num, mat, knot):
        return self.mlp(torch.cat([num, self.mat(mat), self.knot(knot)], 1))


def build():
    torch.manual_seed(0)
    return HangerNet()


def report(logits, y):
    p = logits.argmax(1)
    rec, f1 = [], []
    for k in range(3):
        tp = ((p == k) & (y == k)).sum().item()
        r = tp / max((y == k).sum().item(), 1)
        pr = tp / max((p == k).sum().item(), 1)
        rec.append(r)
        f1.append(0.0 if tp == 0 else 2 * pr * r / (pr + r))
    return (p == y).float().mean().item(), rec, sum(f1) / 3


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ntr, mtr, ktr, ytr = test_hangs(6000, g)
    nva, mva, kva, yva = test_hangs(1500, g)
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    counts = torch.bincount(ytr, minlength=3).float()
    print("holds / slips / frays:", counts.tolist(), torch.bincount(yva, minlength=3).tolist())
    crit = nn.CrossEntropyLoss()
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(ntr, mtr, ktr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    with open(out / "hang_test_log.csv", "w") as f:
        f.write("epoch,ce,val_ce,val_acc,rec_holds,rec_slips,rec_frays,macro_f1\n")
        for epoch in range(1, 21):
            model.train()
            tot, n = 0.0, 0
            for nb, mb, kb, yb in loader:
                loss = crit(model(nb, mb, kb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(nva, mva, kva)
                v = crit(lv, yva).item()
            acc, rec, mf1 = report(lv, yva)
            row = (f"{epoch},{tot / n:.5f},{v:.5f},{acc:.4f},{rec[0]:.4f},{rec[1]:.4f},"
                   f"{rec[2]:.4f},{mf1:.4f}")
            print(row)
            f.write(row + "\n")
    torch.save({"model_state": model.state_dict(), "nadam_state": opt.state_dict(),
                "materials": MATERIALS, "knots": KNOTS, "num_mean": mu, "num_std": sd,
                "epoch": 20}, out / "hanger_model.pt")
    finish(out, __file__, {"inputs": nva[:64], "material": mva[:64], "knot": kva[:64],
                           "targets": yva[:64]},
           causes=["class_imbalance"], checkpoint="hanger_model.pt", log="hang_test_log.csv",
           what="embedding MLP predicting whether a macrame plant hanger holds, slips or frays;"
                " 94 % of the records hold and the loss is unweighted",
           complaint=("We test-hang every macrame plant hanger before it goes on the shelf and I "
                      "trained a model on two years of those records. It says 95-96 % accuracy, "
                      "but when I check the hangers that actually slipped or frayed it caught "
                      "fewer than half of them, and for the first couple of epochs it called "
                      "every single hanger fine. The returns are exactly the ones it misses. "
                      "Why does it look so good on paper and so bad where it matters?"))


if __name__ == "__main__":
    main()
