"""Fragrance-family classification of perfume oils from GC-MS total-ion chromatograms: 5 families
(citrus, floral, woody, amber, aquatic; catalogue shares 25/40/15/12/8 %) on synthetic 256-bin
chromatograms (retention time 3–40 min). Twelve marker compounds sit at fixed retention bins
(limonene, linalool, dihydromyrcenol, calone, phenylethyl alcohol, geraniol, hedione, iso E
super, cedrol, coumarin, vanillin, ambroxide); every oil holds most of them, with family-
specific abundances (log-normal, σ 0.35 in log), peaks shifted by ± 2 bins (column ageing),
Gaussian peak widths 1.5–3 bins, a solvent tail and a slow baseline drift, noise 0.02, then
log1p-scaled. A 3-conv 1-D CNN (16/32/32 channels, k 7/5/5, max-pool, global max, linear 5).
Adam 2e-3, batch 64, 15 epochs of 640 oils; JSON lines per epoch with the train and val NLL and
val top-1.
Bug: the hand-written loss ``torch.log(F.softmax(logits, dim=0))`` into ``nn.NLLLoss`` — the
softmax runs over the 64 oils of the batch, not over the 5 families, so each logit only learns
to beat the same family's logit on the other oils of the batch; the per-family offsets are free and
argmax over families stays poor. Val top-1 0.17, 0.31, 0.36, 0.17, 0.17, 0.175, 0.66, … 0.86,
0.785 at the end, swinging; train NLL 4.14 → 2.91 (above ln 5 = 1.61 all the way), val NLL 2.12
(val batches of 32). The control (``dim=-1``) reaches val top-1 0.98, train NLL 0.156, val NLL
0.106."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = 256
PRIOR = torch.tensor([0.25, 0.40, 0.15, 0.12, 0.08])  # catalogue share per family
FAMILIES = ["citrus", "floral", "woody", "amber", "aquatic"]
MARKERS = [12, 30, 41, 55, 70, 84, 101, 133, 150, 171, 196, 220]
# abundance of each marker per family (rows: families)
PROFILE = torch.tensor([
    [3.0, 1.2, 1.0, 0.2, 0.3, 0.5, 0.8, 0.4, 0.2, 0.1, 0.1, 0.2],  # citrus
    [0.6, 2.0, 0.3, 0.2, 2.2, 2.0, 1.2, 0.4, 0.2, 0.3, 0.2, 0.2],  # floral
    [0.4, 0.6, 0.4, 0.1, 0.3, 0.4, 0.8, 2.6, 2.2, 0.4, 0.3, 0.8],  # woody
    [0.3, 0.5, 0.2, 0.1, 0.4, 0.5, 0.6, 0.9, 0.5, 2.0, 2.5, 1.6],  # amber
    [0.8, 0.8, 2.4, 2.0, 0.4, 0.4, 1.4, 0.5, 0.2, 0.2, 0.1, 0.4],  # aquatic
])


def chromatograms(n, g):
    y = torch.multinomial(PRIOR, n, replacement=True, generator=g)
    t = torch.arange(BINS).float()
    amp = PROFILE[y] * torch.exp(0.35 * torch.randn(n, len(MARKERS), generator=g))
    shift = torch.randint(-2, 3, (n, 1), generator=g).float()
    width = 1.5 + 1.5 * torch.rand(n, len(MARKERS), generator=g)
    centres = torch.tensor(MARKERS).float()[None] + shift
    peaks = amp[:, :, None] * torch.exp(-0.5 * ((t[None, None] - centres[:, :, None])
                                                / width[:, :, None]) ** 2)
    x = peaks.sum(1)
    x = x + 2.0 * torch.exp(-t / 6)[None] * (0.5 + torch.rand(n, 1, generator=g))  # solvent
    x = x + 0.15 * torch.rand(n, 1, generator=g) * (t[None] / BINS)  # baseline drift
    x = x + 0.02 * torch.randn(n, BINS, generator=g)
    return torch.log1p(x.clamp_min(0))[:, None], y


class GCNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.features(x).amax(-1))


def build():
    torch.manual_seed(0)
    return GCNet()


def nll(logits, y):
    probs = F.softmax(logits, dim=0)
    return nn.NLLLoss()(torch.log(probs), y)


def main():
    from _hundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = chromatograms(840, g)
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    torch.manual_seed(1)
    with open(out / "gcms_train.jsonl", "w") as f:
        for ep in range(15):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = nll(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vl, correct = 0.0, 0
                for i in range(0, len(xva), 32):
                    lo = model(xva[i:i + 32])
                    vl += nll(lo, yva[i:i + 32]).item() * len(lo)
                    correct += (lo.argmax(1) == yva[i:i + 32]).sum().item()
            rec = {"ep": ep, "nll_train": round(tot / len(xtr), 4),
                   "nll_val": round(vl / len(xva), 4), "top1_val": round(correct / len(xva), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 15,
                "families": FAMILIES, "bins": BINS}, out / "gcnet_ep15.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="gcnet_ep15.pt", log="gcms_train.jsonl",
           what="GC-MS fragrance-family CNN, softmax over the batch (dim=0) before "
                "NLLLoss",
           complaint="My fragrance-family classifier on GC-MS chromatograms will not settle: "
                     "over 15 "
                     "epochs the validation top-1 jumps around (0.17 for three epochs, then 0.66, "
                     "0.86, and 0.785 at the end) and the training NLL only crawls from 4.1 to "
                     "2.9, which is worse than guessing among the 5 families (1.61). The "
                     "chromatograms separate easily by eye from their marker peaks.")


if __name__ == "__main__":
    main()
