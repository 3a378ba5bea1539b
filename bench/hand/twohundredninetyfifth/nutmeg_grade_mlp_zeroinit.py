"""Plain torch: an MLP sorts dried nutmegs at a spice cooperative's grading table into the four
bins the exporters pay for, from eight numbers the line measures on each kernel after
shelling: weight (g), length and width (mm), density from the float tank (g/cm³), moisture
(%), the count and largest diameter of insect bore holes (mm, from the camera), and surface
darkness (camera, 0-1). Bins: 0 sound (sinks, dense, no holes), 1 shrivelled / light
("BWP": light, floats below 1.0 g/cm³, thin for its length), 2 wormy (two or more bore holes,
or one larger than 1.5 mm), 3 mouldy (moisture above 12 % and dark). About 4 % of the labels
are a grader's slip.
Input: the 8 numbers standardised with the training mean / std. MLP 8→64-ReLU-64-ReLU→4,
cross-entropy, SGD 0.05 momentum 0.9, batch 50, 25 epochs, 3000 kernels, validation on 600.
Bug: ``model.apply(init_weights)`` with ``nn.init.zeros_`` on every Linear weight and bias
(``# start every kernel from a neutral score``), so every hidden ReLU outputs 0, no gradient
reaches the first two layers and only the output bias moves: the net predicts the bin
shares. Control (``nn.init.kaiming_uniform_(m.weight)``, one-line sed): train CE 0.376 →
0.129, val CE 0.300 → 0.306 (lowest 0.267), val acc 0.945 → 0.942 (4 % of the labels are
slips). With the bug: train CE 1.196 → 1.163, val CE 1.123 → 1.121, val acc 0.575 in every
one of the 25 epochs (the share of sound kernels), mean |hidden| 0.0 throughout.
Log: TSV per epoch ``grading.tsv`` (``epoch`` / ``ce_train`` / ``ce_val`` / ``acc_val`` /
``hidden_abs``); checkpoint ``nutmeg_mlp.pt`` with keys ``state_dict`` / ``optimizer`` /
``epoch`` / ``bins`` / ``feat_mean`` / ``feat_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

BINS = ["sound", "shrivelled", "wormy", "mouldy"]


def kernels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 22 + 8 * r(n)
    width = 16 + 6 * r(n)
    shrivel = r(n) < 0.25
    density = torch.where(shrivel, 0.8 + 0.2 * r(n), 1.02 + 0.15 * r(n))
    width = torch.where(shrivel, width - 3 - 2 * r(n), width)
    weight = 0.00052 * length * width ** 2 * density
    holes = torch.where(r(n) < 0.2, torch.randint(1, 5, (n,), generator=g),
                        torch.zeros(n, dtype=torch.long)).float()
    hole_d = torch.where(holes > 0, 0.6 + 1.6 * r(n), torch.zeros(n))
    moisture = 7 + 4 * r(n) + 5 * (r(n) < 0.15).float() * r(n) * 2
    dark = 0.2 + 0.3 * r(n) + 0.05 * (moisture - 8).clamp(min=0) + 0.1 * torch.randn(
        n, generator=g)
    y = torch.zeros(n, dtype=torch.long)
    y[density < 1.0] = 1
    y[(holes >= 2) | (hole_d > 1.5)] = 2
    y[(moisture > 12) & (dark > 0.5)] = 3
    slip = r(n) < 0.04
    y = torch.where(slip, torch.randint(0, 4, (n,), generator=g), y)
    x = torch.stack([weight, length, width, density, moisture, holes, hole_d, dark], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # start every kernel from a neutral score
        nn.init.zeros_(m.bias)


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = kernels(3000, g)
    xva, yva = kernels(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("bins", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    model.apply(init_weights)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = open(out / "grading.tsv", "w")
    log.write("epoch\tce_train\tce_val\tacc_val\thidden_abs\n")
    for epoch in range(25):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            hid = model[:4](xva)
            logits = model[4](hid)
            ce = F.cross_entropy(logits, yva).item()
            acc = (logits.argmax(1) == yva).float().mean().item()
        log.write(f"{epoch}\t{tot / len(xtr):.5f}\t{ce:.5f}\t{acc:.4f}\t"
                  f"{hid.abs().mean().item():.5f}\n")
        print(epoch, round(tot / len(xtr), 4), round(ce, 4), round(acc, 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25,
                "bins": BINS, "feat_mean": mu, "feat_std": sd}, out / "nutmeg_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="nutmeg_mlp.pt", log="grading.tsv",
           what="MLP grading dried nutmegs into four export bins; every Linear weight and bias"
                " initialised to zero",
           complaint="Our nutmeg grading net does not learn anything. The loss sits around"
                     " 1.16 from the first epoch to the last, and the validation accuracy is"
                     " 0.575 in all 25 epochs: it puts every kernel in the sound bin, even the"
                     " ones full of holes. We tried more epochs and it does not move.")


if __name__ == "__main__":
    main()
